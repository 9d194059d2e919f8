"""The synthetic seed writes chunk by chunk without reading the tables it grows, then refreshes in ranges."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from provider_dir.credentials.models import StaffMember
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.engine import PAGE_CACHE_KIB
from provider_dir.models.rewrites import INDEX_BUILD_CACHE_MB
from provider_dir.scoring.models import ScoreSnapshot
from provider_dir.scoring.services import recompute_all as recompute_scores
from provider_dir.seeding.bulk import BULK_CACHE_KIB, indexes_built_after
from provider_dir.seeding.synthetic import BATCH_TABLES, add_synthetic_clinics
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_chunk_of_the_seed_reads_nothing_beyond_itself(app, statistics):
    seed_clinics(db.session, 4)  # a database that already holds clinics: the seed continues after them
    with_statistics(db.session, statistics)
    with watching() as sent:
        add_synthetic_clinics(db.session, 6, seed=9, today=date(2026, 11, 26), chunk=2, workers=0)
    assert db.session.scalar(select(func.count()).select_from(Clinic)) == 10
    # Per chunk: the rows of clinics, staff, credentials, answers and reviews.
    assert_per_range_statements_bounded(db.session, sent, at_least=5)


def index_names(session) -> set[str]:
    """Return the names of every index SQLite holds."""
    return set(session.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())


BUILT_TABLES = (*BATCH_TABLES, ScoreSnapshot.__table__)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_a_new_database_is_loaded_and_scored_with_only_its_load_order_indexes_and_gets_every_index_back(
    app, statistics
):
    with_statistics(db.session, statistics)
    before = index_names(db.session)
    with indexes_built_after(db.session, BUILT_TABLES):
        during = index_names(db.session)
        with watching() as sent:
            add_synthetic_clinics(db.session, 6, seed=9, today=date(2026, 11, 26), chunk=2, workers=0)
            recompute_scores(db.session, date(2026, 11, 26), batch_size=2)  # the seed recomputes the ratings
        # The ranges are still read through indexes that lead with the clinic (or staff member) id.
        assert_per_range_statements_bounded(db.session, sent, at_least=5)
    deferred = before - during
    assert {"ix_clinic_geo_search", "ix_clinic_rating_walk", "ix_review_author_id"} <= deferred
    assert not any(name.startswith("sqlite_autoindex") for name in deferred)  # unique constraints stay
    assert {"ix_review_clinic_status", "ix_staff_member_clinic_id", "ix_score_snapshot_clinic_latest"} <= during
    assert index_names(db.session) == before
    assert db.session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    assert db.session.scalar(select(func.count()).where(Clinic.score_total.is_not(None))) == 6


def test_a_database_that_holds_clinics_keeps_its_indexes_while_more_are_added(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    seed_clinics(db.session, 2)
    before = index_names(db.session)
    with indexes_built_after(db.session, BUILT_TABLES):
        assert index_names(db.session) == before
        add_synthetic_clinics(db.session, 2, seed=9, today=date(2026, 11, 26), workers=0)


def test_the_indexes_come_back_when_the_load_fails(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    before = index_names(db.session)
    with pytest.raises(RuntimeError), indexes_built_after(db.session, BUILT_TABLES):
        assert index_names(db.session) < before
        raise RuntimeError("the load stopped")
    assert index_names(db.session) == before


def test_the_deferred_indexes_are_sorted_in_small_runs_and_the_loads_page_cache_is_given_back(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    caches_while_building: list[int] = []

    def note_cache(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("CREATE INDEX"):
            caches_while_building.append(conn.connection.dbapi_connection.execute("PRAGMA cache_size").fetchone()[0])

    def cache_size(connection) -> int:
        return connection.execute("PRAGMA cache_size").fetchone()[0]

    loads_connection = db.session.connection().connection.dbapi_connection
    with indexes_built_after(db.session, BUILT_TABLES):
        add_synthetic_clinics(db.session, 2, seed=9, today=date(2026, 11, 26), workers=0)
        assert cache_size(loads_connection) == -BULK_CACHE_KIB  # the load's batches share a large cache
        event.listen(db.engine, "before_cursor_execute", note_cache)
    event.remove(db.engine, "before_cursor_execute", note_cache)
    # Every deferred index is sorted with SQLite's default cache (runs that fit the CPU's caches), not the load's.
    assert len(caches_while_building) >= 3
    assert set(caches_while_building) == {-1024 * INDEX_BUILD_CACHE_MB}
    # Once the load is over its connection has its usual cache again: a process does not keep 512 MB a connection.
    assert cache_size(loads_connection) == -PAGE_CACHE_KIB != -BULK_CACHE_KIB


def test_the_loads_rows_and_names_are_committed_before_the_deferred_indexes_are_built(app):
    # Made small for the sort, the cache would push the uncommitted name tables' pages out to the write-ahead log.
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    happened: list[str] = []

    def note_statement(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.startswith("INSERT INTO name_search_words(rowid, body, clinic_id) SELECT"):
            happened.append("names filled")
        elif statement.lstrip().upper().startswith("CREATE INDEX"):
            happened.append("index built")

    def note_commit(session) -> None:
        happened.append("committed")

    with indexes_built_after(db.session, BUILT_TABLES):
        add_synthetic_clinics(db.session, 3, seed=9, today=date(2026, 11, 26), workers=0)  # not committed
        event.listen(db.engine, "before_cursor_execute", note_statement)
        event.listen(db.session, "after_commit", note_commit)
    event.remove(db.engine, "before_cursor_execute", note_statement)
    event.remove(db.session, "after_commit", note_commit)

    assert happened[:3] == ["names filled", "names filled", "committed"]
    # Then each index is committed as soon as it is built: the write-ahead log holds one index at a time.
    built = happened[3:]
    assert len(built) >= 6 and built == ["index built", "committed"] * (len(built) // 2)


def name_triggers(session) -> set[str]:
    """Return the names of the triggers that keep the name search tables."""
    return set(session.connection().exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'name_search%'").scalars())


def indexed_names(session) -> set[int]:
    """Return the rowids the name search word table holds (clinic ids, and staff ids negated)."""
    return set(session.connection().exec_driver_sql("SELECT rowid FROM name_search_words").scalars())


def test_a_new_database_fills_its_name_search_once_at_the_end_and_gets_its_triggers_back(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's name indexes need no triggers")
    before = name_triggers(db.session)
    with indexes_built_after(db.session, BUILT_TABLES):
        assert name_triggers(db.session) == set()
        add_synthetic_clinics(db.session, 4, seed=9, today=date(2026, 11, 26), workers=0)
        assert indexed_names(db.session) == set()  # nothing indexed row by row during the load
    assert name_triggers(db.session) == before and len(before) == 6
    clinic_ids = set(db.session.scalars(select(Clinic.id)))
    staff_ids = {-staff_id for staff_id in db.session.scalars(select(StaffMember.id))}
    assert indexed_names(db.session) == clinic_ids | staff_ids
    # The triggers keep it again: a clinic renamed after the load is found by its new name.
    clinic = db.session.get(Clinic, min(clinic_ids))
    clinic.name = "Zanzibar Quietude Infusions"
    db.session.flush()
    assert db.session.connection().exec_driver_sql(
        "SELECT rowid FROM name_search_words WHERE name_search_words MATCH '\"zanz\"*'").scalars().all() == [clinic.id]
    # Filled with FTS5's bulk settings, the tables are left with its defaults for the triggers' row-by-row writes.
    for table in ("name_search_words", "name_search_grams"):
        settings = dict(db.session.connection().exec_driver_sql(f"SELECT k, v FROM {table}_config").all())  # noqa: S608  # nosec B608
        assert (settings.get("automerge"), settings.get("hashsize")) == (4, 2**20)


def test_the_name_search_is_filled_and_its_triggers_back_when_the_load_fails(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's name indexes need no triggers")
    before = name_triggers(db.session)
    with pytest.raises(RuntimeError), indexes_built_after(db.session, BUILT_TABLES):
        add_synthetic_clinics(db.session, 2, seed=9, today=date(2026, 11, 26), workers=0)
        raise RuntimeError("the load stopped")
    assert name_triggers(db.session) == before
    assert {clinic_id for clinic_id in indexed_names(db.session) if clinic_id > 0} == set(
        db.session.scalars(select(Clinic.id)))


def test_a_load_stopped_by_a_database_error_after_a_committed_batch_gets_its_indexes_and_names_back(app):
    """The DROPs went with the first committed batch; a failed statement leaves the session needing a rollback.
    The error the load hit is what the caller sees, and a new session finds every index and trigger back."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    indexes, triggers = index_names(db.session), name_triggers(db.session)
    with pytest.raises(IntegrityError), indexes_built_after(db.session, BUILT_TABLES):
        add_synthetic_clinics(db.session, 2, seed=9, today=date(2026, 11, 26), workers=0, commit=True)
        first = db.session.scalars(select(Clinic)).first()
        db.session.execute(insert(Clinic.__table__).values(  # the same id again: the batch fails
            {column.name: getattr(first, column.key) for column in Clinic.__table__.columns if column.key != "slug"}
            | {"slug": "another-slug"}))
    db.session.remove()  # a new session: it sees what was committed
    assert index_names(db.session) == indexes and name_triggers(db.session) == triggers
    clinics = db.session.scalar(select(func.count()).select_from(Clinic))
    named = db.session.connection().exec_driver_sql("SELECT count(*) FROM name_search_words WHERE rowid > 0").scalar()
    assert clinics == named == 2  # the committed batch stays, and the names of what stays are found
