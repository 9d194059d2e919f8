"""HSDS 3.0 input: a JSON array of services, and a Tabular Data Package as a folder or a .zip."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.imports.models import ListingSource
from provider_dir.listings.vocab import Route
from tests.imports.conftest import clinic_count, clinic_named
from tests.imports.hsds_samples import service, write_json, write_package, zip_folder


def _check_harbor() -> None:
    clinic = clinic_named("Harbor Ketamine Clinic")
    assert (clinic.street, clinic.city, clinic.state, clinic.zip_code) == ("1 Beacon St", "Boston", "MA", "02108")
    assert clinic.phone == "617-555-0142" and clinic.website == "https://svc-1.example.org"
    assert (clinic.price_per_infusion_usd, clinic.price_series_usd) == (495, 2700)
    assert clinic.languages == ["English", "Portuguese"]
    assert clinic.description == "IV ketamine for depression."
    source = db.session.scalar(select(ListingSource).where(ListingSource.clinic_id == clinic.id))
    assert (source.source, source.source_id) == ("hsds", "svc-1")


def test_a_json_array_of_hsds_services_is_imported(app, tmp_path, import_file):
    path = write_json(tmp_path / "services.json", [service(), service("svc-2", name="Bay Ketamine",
                                                                      phone="617-555-0150", zip_code="02134")])

    result = import_file(path, "--source", "hsds")

    assert result.exit_code == 0, result.output
    assert "created 2, updated 0, unchanged 0, refused 0, duplicates 0" in result.output
    _check_harbor()
    assert clinic_named("Harbor Ketamine Clinic").routes == [Route.IV]


def test_an_hsds_service_that_breaks_the_schema_is_refused_by_the_schema(app, tmp_path, import_file):
    broken = service("svc-2", name="Bay Ketamine", phone="617-555-0150", status="open")
    del broken["organization"]["description"]
    path = write_json(tmp_path / "services.json", [service(), broken, "not an object"])

    result = import_file(path, "--source", "hsds")

    assert "item 2: HSDS organization: 'description' is a required property" in result.output
    assert "HSDS status: 'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']" in result.output
    assert "item 3: HSDS: each item of the array must be a service object." in result.output
    assert "created 1, updated 0, unchanged 0, refused 2" in result.output


def test_a_json_file_that_is_not_an_array_of_objects_exits_2(app, tmp_path, import_file):
    path = tmp_path / "services.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")

    result = import_file(path)

    assert result.exit_code == 2 and "an array of HSDS service objects" in result.output


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_tabular_data_package_is_imported(app, tmp_path, import_file, as_zip):
    folder = write_package(tmp_path / "package", [service()])
    path = zip_folder(folder, tmp_path / "package.zip") if as_zip else folder

    result = import_file(path, "--source", "hsds")

    assert result.exit_code == 0, result.output
    assert "created 1, updated 0, unchanged 0, refused 0, duplicates 0" in result.output
    _check_harbor()
    again = import_file(path, "--source", "hsds")
    assert "created 0, updated 0, unchanged 1" in again.output
    assert clinic_count() == 1


def test_a_package_row_that_breaks_the_schema_is_refused_with_its_line(app, tmp_path, import_file):
    folder = write_package(tmp_path / "package", [service(), service("svc-2", name="Bay", phone="617-555-0150",
                                                                     status="closed")])

    result = import_file(folder)

    assert "services.csv line 3: HSDS status: 'closed' is not one of" in result.output


def test_a_folder_without_datapackage_json_exits_2(app, tmp_path, import_file):
    (tmp_path / "empty").mkdir()

    result = import_file(tmp_path / "empty")

    assert result.exit_code == 2 and "has no datapackage.json" in result.output
