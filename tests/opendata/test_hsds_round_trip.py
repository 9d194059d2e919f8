"""Export HSDS from the demo directory, import it into an empty database: every clinic comes back the same."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.imports.models import ListingSource
from provider_dir.listings.models import Clinic
from provider_dir.opendata.ids import public_id
from tests.conftest import rolled_back

# What a patient reads on a listing that HSDS carries, and the search flags that follow from the hours.
FIELDS = ("name", "street", "city", "state", "zip_code", "latitude", "longitude", "phone", "website", "routes",
          "conditions", "opening_hours", "hours", "open_evenings", "open_weekends", "languages", "closure",
          "price_per_infusion_usd", "price_series_usd", "description")


def _facts(clinic: Clinic) -> dict:
    return {name: getattr(clinic, name) for name in FIELDS}


def _same(name: str, exported, imported) -> bool:
    # A listing without a description comes back with its organization's one line ("X, a ketamine clinic in ...").
    if name == "description" and not exported:
        return imported.endswith("a ketamine clinic in New York, NY.")
    return exported == imported


@pytest.mark.parametrize("form", ["services.json", "datapackage"])
def test_every_clinic_comes_back_equal_through_either_form(runner, directory, empty_app, tmp_path, form):
    result = runner.invoke(args=["export", "hsds", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    expected = {public_id("service", clinic.id): _facts(clinic) for clinic in directory.values()}

    with rolled_back(empty_app):
        assert db.session.scalars(select(Clinic)).first() is None  # an empty directory
        imported = empty_app.test_cli_runner().invoke(
            args=["import", "clinics", str(tmp_path / "out" / form), "--source", "Lantern open data"])
        assert imported.exit_code == 0, imported.output
        assert f"created {len(expected)}, updated 0, unchanged 0, refused 0, duplicates 0" in imported.output
        found = {source_id: _facts(clinic) for source_id, clinic in db.session.execute(
            select(ListingSource.source_id, Clinic).join(Clinic, Clinic.id == ListingSource.clinic_id))}

    assert found.keys() == expected.keys()
    differences = [(expected[key]["name"], name, expected[key][name], found[key][name])
                   for key in expected for name in FIELDS if not _same(name, expected[key][name], found[key][name])]
    assert differences == []
    awkward = next(facts for facts in found.values() if facts["name"] == "=Calm Ketamine")
    assert awkward["languages"] == ["English", "-Spanish", "'=Quoted"]
    assert {"day": 4, "opens": "18:00", "closes": "24:00"} in awkward["opening_hours"]
