"""The HSDS export reads each range of clinics, and their staff, from the indexes: never a scan per range."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db
from provider_dir.opendata.hsds import export
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_range_of_the_export_reads_only_its_clinics(app, statistics, tmp_path, monkeypatch):
    seed_clinics(db.session, 8)
    with_statistics(db.session, statistics)
    monkeypatch.setattr(export, "BATCH", 2)
    with watching() as sent:
        written = export.export_hsds(db.session, tmp_path)
    assert written.services == 8
    assert_per_range_statements_bounded(db.session, sent, at_least=2)  # the clinics of a range, their staff
