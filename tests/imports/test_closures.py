"""Closures stated by a source: HSDS service.status, or a CSV closure column; closed clinics leave search."""

from __future__ import annotations

from provider_dir.listings.vocab import Closure
from tests.imports.conftest import clinic_named, row
from tests.imports.hsds_samples import service, write_json


def test_an_hsds_service_temporarily_closed_or_defunct_is_imported_closed(app, tmp_path, import_file):
    path = write_json(tmp_path / "services.json", [
        service(status="temporarily closed"),
        service("svc-2", name="Bay Ketamine", phone="617-555-0150", zip_code="02134", status="defunct"),
    ])

    result = import_file(path, "--source", "hsds")

    assert "created 2" in result.output, result.output
    assert clinic_named("Harbor Ketamine Clinic").closure == Closure.TEMPORARY
    assert clinic_named("Bay Ketamine").closure == Closure.PERMANENT


def test_a_source_that_reopens_a_clinic_updates_its_closure(app, tmp_path, import_file):
    import_file(write_json(tmp_path / "a.json", [service(status="temporarily closed")]), "--source", "hsds")

    result = import_file(write_json(tmp_path / "b.json", [service(status="active")]), "--source", "hsds")

    assert "created 0, updated 1" in result.output, result.output
    assert clinic_named("Harbor Ketamine Clinic").closure == Closure.OPEN


def test_a_csv_closure_column_sets_the_closure_and_a_bad_value_is_refused(app, write_csv, import_file, client):
    path = write_csv([row("r1", closure="permanently_closed"),
                      row("r2", name="Summit Ketamine Care", phone="303-555-0199", zip_code="80203",
                          closure="closed for lunch")])

    result = import_file(path)

    assert "line 3: closure: give one of open, temporarily_closed, permanently_closed" in result.output
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    assert clinic.closure == Closure.PERMANENT
    page = client.get(f"/clinics/{clinic.slug}")
    assert page.status_code == 200 and "Permanently closed" in page.get_data(as_text=True)
    found = client.get("/api/v1/search?location=80202&radius_mi=25").get_json()
    assert clinic.slug not in [hit["slug"] for hit in found["results"]]
