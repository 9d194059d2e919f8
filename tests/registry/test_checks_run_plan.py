"""The transparency report's count of a month's registry checks is read from an index, not a scan of every check."""

from __future__ import annotations

from datetime import date

import pytest

from provider_dir.extensions import db
from provider_dir.registry.services import checks_run
from tests.queryplans import plan, watching


def test_a_months_registry_checks_are_counted_through_the_checked_at_index(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN (a tiny PostgreSQL table's plan says nothing)")
    with watching() as sent:
        assert checks_run(date(2026, 11, 1), date(2026, 12, 1)) == 0
    [statement] = [sql for sql in sent.counts if "registry_check" in sql]

    lines = plan(db.session, statement, sent.params[statement])

    assert any("ix_registry_check_checked_at" in line for line in lines), lines
    assert not any(line.startswith("SCAN registry_check") for line in lines), lines
