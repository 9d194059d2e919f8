"""The demo data exported once per module as FHIR bulk data, and a reader for an export folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provider_dir.extensions import db
from provider_dir.opendata.fhir.export import MANIFEST, write_fhir
from tests.conftest import rolled_back


def read_export(folder: Path) -> dict:
    """Return an export folder as {"manifest": ..., resource type: [resources, ...]}."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    out = {"manifest": manifest}
    for item in manifest["output"]:
        lines = (folder / f"{item['type']}.ndjson").read_text(encoding="utf-8").splitlines()
        out[item["type"]] = [json.loads(line) for line in lines]
    return out


@pytest.fixture(scope="module")
def demo_export(base_app, tmp_path_factory):
    """The demo data, loaded by `flask seed` and exported by write_fhir (undone after the module)."""
    folder = tmp_path_factory.mktemp("fhir-demo")
    with rolled_back(base_app):
        result = base_app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code == 0, result.output
        write_fhir(db.session, folder)
        yield read_export(folder)
