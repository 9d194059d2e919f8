"""The triggers that fill a clinic's derived search columns touch that one row: a bulk insert stays linear."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, insert, select

from provider_dir.extensions import db
from provider_dir.geo.index.triggers import SQLITE_CREATE
from provider_dir.listings.models import Clinic
from tests.queryplans import plan, seed_clinics, unbounded_reads, use_large_statistics


def trigger_bodies() -> list[str]:
    """Return each SQLite trigger's statement with NEW.column replaced by a value."""
    bodies = [re.search(r"\bBEGIN\s+(.*?);\s*END", sql, re.DOTALL).group(1) for sql in SQLITE_CREATE]
    return [re.sub(r"\bNEW\.(\w+)", "1", body) for body in bodies]


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_trigger_updates_its_row_by_primary_key(app, statistics):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's triggers (PostgreSQL's fills NEW before the row is written)")
    if statistics == "large":
        use_large_statistics(db.session)
    bodies = trigger_bodies()
    assert len(bodies) == 2
    for body in bodies:
        lines = plan(db.session, body, ())
        assert lines and not unbounded_reads(lines), lines
        assert any("INTEGER PRIMARY KEY (rowid=?)" in line for line in lines), lines


def test_a_bulk_insert_without_search_columns_gets_them_filled(app):
    seed_clinics(db.session, 3)
    table = Clinic.__table__
    columns = [c for c in table.columns if c.key not in {"id", "geo_cell", "geo_x", "geo_y", "geo_z"}]
    rows = [dict(row._mapping) for row in db.session.execute(select(*columns).order_by(table.c.id))]
    for n, row in enumerate(rows):
        row["slug"] = f"copied-{n}"
    high = db.session.scalar(select(func.max(table.c.id)))
    db.session.execute(insert(table), rows)
    copies = db.session.execute(select(table.c.geo_cell, table.c.geo_x).where(table.c.id > high)).all()
    originals = db.session.execute(select(table.c.geo_cell, table.c.geo_x).where(table.c.id <= high)
                                   .order_by(table.c.id)).all()  # fmt: skip
    assert len(copies) == 3
    assert [c.geo_cell for c in copies] == [o.geo_cell for o in originals]
    assert [c.geo_x for c in copies] == pytest.approx([o.geo_x for o in originals])
