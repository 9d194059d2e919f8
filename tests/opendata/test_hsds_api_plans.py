"""The HSDS API reads ranges of the clinic index, never the whole table per page or per streamed batch."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db
from provider_dir.opendata.hsds_api import queries
from provider_dir.opendata.hsds_api.params import parse
from tests.queryplans import plan, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_ndjson_streams_range_by_range(app, monkeypatch, statistics):
    with_statistics(db.session, statistics)
    seed_clinics(db.session, 8)
    monkeypatch.setattr(queries, "BATCH", 3)
    with watching() as sent:
        rows = list(queries.every(db.session, parse("services", {})))
    assert len(rows) == 8
    [batch] = sent.repeated()
    for line in plan(db.session, batch, sent.params[batch]):
        # An index search from the last id on: (status=? AND rowid>?) or (rowid>?), never a scan.
        assert line.startswith("SEARCH clinic") and "rowid>?" in line, line


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_a_page_starts_at_its_anchor_and_modified_after_reads_its_index(app, statistics):
    with_statistics(db.session, statistics)
    seed_clinics(db.session, 8)
    for args in ({"page": ["2"], "per_page": ["3"]}, {"modified_after": ["2000-01-01T00:00:00Z"], "page": ["2"],
                                                      "per_page": ["3"]}):
        query = parse("services", args)
        with watching() as first:
            queries.page(db.session, query)  # counts and finds the anchors, which the process keeps
        with watching() as sent:
            assert len(queries.page(db.session, query).rows) == 3
        [statement] = [sql for sql in sent.counts if "clinic.name" in sql]
        lines = plan(db.session, statement, sent.params[statement])
        assert not any(line.startswith("SCAN clinic") for line in lines), lines
        if "modified_after" in args:
            [count] = [sql for sql in first.counts if "count(*)" in sql]
            lines = plan(db.session, count, first.params[count])
            assert any("ix_clinic_status_updated_at" in line for line in lines), lines
