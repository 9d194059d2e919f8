"""An import writes batch by batch without reading the clinic table again: each batch's statements stay on its rows."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import event, func, select

from provider_dir.extensions import db
from provider_dir.imports import importer
from provider_dir.imports.formats.reading import open_source
from provider_dir.imports.importer import Importer
from provider_dir.imports.models import OutsideRating
from provider_dir.listings.models import Clinic
from tests.bulkjobs import BatchWatch, cache_size
from tests.imports.conftest import row
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics

PLACES = [("Denver", "CO", "80202"), ("New York", "NY", "10001"), ("Chicago", "IL", "60601"),
          ("San Francisco", "CA", "94103"), ("Boston", "MA", "02108"), ("Seattle", "WA", "98101")]


def rows(price: int) -> list[dict]:
    """Six listings in six cities, each with an outside rating; `price` changes every row between two files."""
    return [row(f"s{i}", f"{city} Quiet Harbor Clinic {i}", f"{i} Main St", city, state, zip_code,
                phone=f"(303) 555-01{i:02d}", website=f"https://clinic-{i}.example.com/",
                price_per_infusion=str(price + i), rating_source="Google", rating="4.5", rating_count=str(10 + i),
                rating_url=f"https://maps.example.com/{i}", rating_date="2026-11-01")
            for i, (city, state, zip_code) in enumerate(PLACES)]  # fmt: skip


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_an_import_and_of_a_re_import_stays_on_its_own_rows(app, write_csv, monkeypatch, statistics):
    seed_clinics(db.session, 4)  # a directory that already holds listings
    with_statistics(db.session, statistics)
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    with watching() as first:
        report = Importer(db.session, "plans").run(open_source(write_csv(rows(400), "a.csv")))
    assert report.created == 6, report.text()
    with watching() as again:
        report = Importer(db.session, "plans").run(open_source(write_csv(rows(500), "b.csv")))
    assert report.updated == 6, report.text()
    imported = Clinic.name.contains("Quiet Harbor Clinic")
    assert db.session.scalars(select(Clinic.price_per_infusion_usd).where(imported).order_by(Clinic.id)).all() == [
        500 + i for i in range(6)]
    assert db.session.scalar(select(func.count()).select_from(OutsideRating)) == 6
    # Per batch of two rows: new listings, their provenance and ratings; then the updates and replaced ratings.
    assert_per_range_statements_bounded(db.session, first, at_least=3)
    assert_per_range_statements_bounded(db.session, again, at_least=3)


def test_an_import_runs_with_the_collector_paused_and_the_bulk_cache_and_sets_both_back(app, write_csv, monkeypatch):
    # Its duplicate index and slugs hold every listing: the collector's full passes would walk them every few batches.
    gc.enable()
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    app.config["SQLITE_BULK_CACHE_MB"] = 40
    watch = BatchWatch()

    report = Importer(db.session, "plans").run(open_source(write_csv(rows(400), "a.csv")), progress=watch)

    assert report.created == 6 and watch.collector == [False, False, False, False]
    assert gc.isenabled()
    # The whole import is one transaction: on SQLite it runs with the bulk page cache, set back after.
    assert watch.caches == watch.bulk_cache(40)
    if watch.sqlite:
        assert cache_size() != -40 * 1024



def test_an_import_reads_the_whole_clinic_table_with_the_default_cache(app, write_csv):
    # One pass over every listing gains nothing from keeping its pages: in the bulk cache it would take memory for
    # all of them (1.3 GB at a million clinics) before the first row is written.
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: a connection's page cache (PostgreSQL's shared buffers are the server's)")
    seed_clinics(db.session, 4)
    app.config["SQLITE_BULK_CACHE_MB"] = 40
    default = cache_size()
    caches_while_reading: list[int] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT clinic.id, clinic.slug") and "WHERE" not in statement:
            caches_while_reading.append(conn.connection.dbapi_connection.execute("PRAGMA cache_size").fetchone()[0])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = Importer(db.session, "plans").run(open_source(write_csv(rows(400), "a.csv")))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert report.created == 6
    assert caches_while_reading == [default]
