"""flask export hsds PATH on the demo data: every object strictly valid by the standard, the package by frictionless."""

from __future__ import annotations

import csv
import json
import warnings

from frictionless import validate

from provider_dir.opendata.hsds import schemas
from provider_dir.opendata.hsds.cells import unguard
from provider_dir.opendata.hsds.export import standard_descriptor

NUMBER_TYPES = {"number", "integer"}


def _export(runner, path):
    result = runner.invoke(args=["export", "hsds", str(path)])
    assert result.exit_code == 0, result.output
    return result


def _typed_rows(package, resource):
    """Read a table back as JSON objects: empty cells left out, numbers as numbers, guarded cells undone."""
    numbers = {f["name"] for f in resource["schema"]["fields"] if f["type"] in NUMBER_TYPES}
    with (package / resource["path"]).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k: (float(v) if k in numbers else unguard(v)) for k, v in row.items() if v != ""}


def test_every_service_and_every_table_row_is_valid_by_the_standards_schemas(runner, directory, tmp_path):
    result = _export(runner, tmp_path / "out")
    assert "Wrote" in result.output

    services = json.loads((tmp_path / "out" / "services.json").read_text(encoding="utf-8"))
    assert len(services) == len(directory)  # published listings only: the draft is not there
    for service in services:
        assert schemas.errors("compiled/service_with_definitions", service) == [], service["name"]

    package = tmp_path / "out" / "datapackage"
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["resources"] == standard_descriptor()["resources"]  # the standard's tables, unchanged
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    rows_seen = 0
    for resource in descriptor["resources"]:
        for row in _typed_rows(package, resource):
            assert schemas.errors(resource["name"], row) == [], (resource["name"], row)
            rows_seen += 1
    assert rows_seen > 10 * len(directory)


def test_the_data_package_passes_frictionless_without_warnings(runner, directory, tmp_path):
    _export(runner, tmp_path / "out")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = validate(str(tmp_path / "out" / "datapackage" / "datapackage.json"))

    assert report.valid, report.flatten(["type", "message"])[:5]
    assert report.stats["warnings"] == 0
    assert {task.name for task in report.tasks} >= {"service", "schedule", "taxonomy_term", "attribute"}


def test_the_package_holds_every_object_the_issue_names(runner, directory, tmp_path):
    _export(runner, tmp_path / "out")
    package = tmp_path / "out" / "datapackage"

    def count(name):
        with (package / name).open(encoding="utf-8") as handle:
            return sum(1 for _ in csv.DictReader(handle))

    clinics = len(directory)
    for table in ("organizations.csv", "services.csv", "locations.csv", "service_at_location.csv", "addresses.csv"):
        assert count(table) == clinics, table
    assert count("accessibility.csv") == sum(1 for c in directory.values() if c.accessibility)
    assert count("phones.csv") == sum(1 for c in directory.values() if c.phone)
    assert count("schedules.csv") >= sum(1 for c in directory.values() if c.opening_hours)
    assert count("languages.csv") == sum(len(set(c.languages)) for c in directory.values())
    assert count("attributes.csv") == sum(len(c.routes) + len(c.conditions) for c in directory.values())
    assert (count("taxonomies.csv"), count("taxonomy_terms.csv")) == (2, 15)


def test_cells_a_spreadsheet_would_run_are_guarded(runner, directory, tmp_path):
    _export(runner, tmp_path / "out")
    package = tmp_path / "out" / "datapackage"

    with (package / "services.csv").open(encoding="utf-8", newline="") as handle:
        service = next(r for r in csv.DictReader(handle) if "Calm Ketamine" in r["name"])
    assert service["name"] == "'=Calm Ketamine"
    assert service["description"].startswith("'=HYPERLINK(")
    with (package / "languages.csv").open(encoding="utf-8", newline="") as handle:
        names = {r["name"] for r in csv.DictReader(handle)}
    assert {"'-Spanish", "''=Quoted"} <= names
    with (package / "locations.csv").open(encoding="utf-8", newline="") as handle:
        longitudes = [r["longitude"] for r in csv.DictReader(handle)]
    assert all(value.startswith("-") for value in longitudes)  # numbers stay numbers
    every_cell = (package / "services.csv").read_text(encoding="utf-8") + \
        (package / "addresses.csv").read_text(encoding="utf-8")
    assert "\n=" not in every_cell and ",=" not in every_cell and ",@" not in every_cell


def test_the_same_clinic_has_the_same_ids_in_every_export(runner, directory, tmp_path):
    _export(runner, tmp_path / "one")
    _export(runner, tmp_path / "two")

    def ids(folder):
        return [(s["id"], s["organization"]["id"], s["service_at_locations"][0]["location"]["id"])
                for s in json.loads((tmp_path / folder / "services.json").read_text(encoding="utf-8"))]

    assert ids("one") == ids("two")
    assert len({service_id for service_id, _, _ in ids("one")}) == len(directory)


def test_closed_clinics_say_so_and_a_file_path_is_refused(runner, directory, tmp_path):
    _export(runner, tmp_path / "out")
    services = json.loads((tmp_path / "out" / "services.json").read_text(encoding="utf-8"))
    assert next(s for s in services if s["name"] == "Shuttered Ketamine")["status"] == "defunct"

    (tmp_path / "file").write_text("x")
    result = runner.invoke(args=["export", "hsds", str(tmp_path / "file")])
    assert result.exit_code != 0 and "is a file" in result.output


def test_an_empty_directory_exports_an_empty_array_and_a_valid_package(runner, app, tmp_path):
    _export(runner, tmp_path / "out")

    assert json.loads((tmp_path / "out" / "services.json").read_text(encoding="utf-8")) == []
    report = validate(str(tmp_path / "out" / "datapackage" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]
