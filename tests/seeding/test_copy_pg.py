"""The PostgreSQL seed by COPY: the same rows as the insert path, keys and indexes back as they were, exact text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.collector import collector_paused
from provider_dir.seeding import copy_pg, synthetic
from tests.seeding.test_synthetic import TODAY, snapshot


@pytest.fixture
def pg(app):
    """The app on PostgreSQL; the tests of this module mean nothing elsewhere."""
    with app.app_context():
        if not copy_pg.applies(db.session):
            pytest.skip("COPY is the PostgreSQL path")
    return app


def catalogue() -> list[tuple]:
    """Every foreign key and index definition of the seeded tables."""
    names = ["user", "clinic", "staff_member", "credential", "checklist_answer", "review"]
    keys = db.session.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
        "AND conrelid::regclass::text = ANY(:names) ORDER BY 1"),
        {"names": [f'"{n}"' if n == "user" else n for n in names]})
    indexes = db.session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:names) ORDER BY 1"), {"names": names})
    return [tuple(r) for r in keys] + [tuple(r) for r in indexes]


def seeded_rows(path: str, n: int, seed: int) -> dict[str, list[tuple]]:
    """Seed n clinics by one path inside a savepoint, take every row, undo it."""
    savepoint = db.session.begin_nested()
    if path == "copy":
        synthetic.add_synthetic_clinics(db.session, n, seed, today=TODAY, chunk=40, workers=0)
    else:  # the INSERT path every other database takes
        with collector_paused():
            synthetic._add_synthetic_clinics(db.session, n, seed, None, today=TODAY, commit=False, chunk=40,
                                             workers=0)
    rows = snapshot()
    savepoint.rollback()
    return rows


def test_copy_stores_the_same_rows_as_the_insert_path(pg):
    by_copy = seeded_rows("copy", 90, seed=21)
    by_insert = seeded_rows("insert", 90, seed=21)
    assert by_copy["clinic"] and by_copy["review"]
    assert by_copy == by_insert


def test_forked_builders_send_the_same_rows(pg):
    savepoint = db.session.begin_nested()
    synthetic.add_synthetic_clinics(db.session, 120, 8, today=TODAY, chunk=30, workers=2)
    forked = snapshot()
    savepoint.rollback()
    savepoint = db.session.begin_nested()
    synthetic.add_synthetic_clinics(db.session, 120, 8, today=TODAY, chunk=30, workers=0)
    here = snapshot()
    savepoint.rollback()
    assert forked == here


def test_keys_and_indexes_are_back_after_a_seed_that_dropped_them(pg):
    before = catalogue()
    assert any("FOREIGN KEY" in row[1] for row in before)
    assert copy_pg.should_defer(db.session, Clinic.__table__, 50)
    synthetic.add_synthetic_clinics(db.session, 50, 4, today=TODAY, workers=0)
    assert catalogue() == before
    # and they hold: a credential of a staff member who does not exist is refused
    savepoint = db.session.begin_nested()
    with pytest.raises(IntegrityError):
        db.session.add(Credential(staff_member_id=10**9, kind=CredentialKind.NPI, identifier="1234567893",
                                  created_at=datetime.now(UTC)))
        db.session.flush()
    savepoint.rollback()


def test_a_small_seed_into_a_larger_table_keeps_keys_and_indexes(pg):
    synthetic.add_synthetic_clinics(db.session, 60, 4, today=TODAY, workers=0)
    assert not copy_pg.should_defer(db.session, Clinic.__table__, 20)
    before = catalogue()
    synthetic.add_synthetic_clinics(db.session, 20, 5, today=TODAY, workers=0)
    assert catalogue() == before
    assert db.session.scalar(select(func.count()).select_from(Clinic)) == 80
    assert db.session.scalar(select(func.count(func.distinct(StaffMember.clinic_id)))) == 80


def test_verified_flag_set_while_building_matches_the_bulk_refresh(pg):
    synthetic.add_synthetic_clinics(db.session, 80, 9, today=TODAY, workers=0)
    flags = dict(db.session.execute(select(Clinic.id, Clinic.has_verified_credentials)).all())
    from provider_dir.seeding.denormalise import refresh_denormalised

    refresh_denormalised(db.session, today=TODAY)
    db.session.expire_all()
    assert dict(db.session.execute(select(Clinic.id, Clinic.has_verified_credentials)).all()) == flags
    assert any(flags.values()) and not all(flags.values())


@pytest.mark.parametrize("values", [
    ["plain", "tab\there", "two\nlines", "carriage\rreturn", "back\\slash \\N", "", None, "é ü ✓", "\x1f unit"],
    [None, "first value missing"],
    [True, False, None],
    [0, -7, 2**40, None],
    [1.5, -0.000123, 1e300, None],
    [date(2026, 2, 28), None],
    [datetime(2026, 3, 8, 2, 30, 15, 123456), datetime(2026, 1, 1)],
])
def test_copy_text_reads_back_as_the_values_sent(pg, values):
    kinds = {str: "text", bool: "boolean", int: "bigint", float: "double precision", date: "date",
             datetime: "timestamp"}
    kind = kinds[type(next(v for v in values if v is not None))]
    connection = db.session.connection()
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE copy_probe (n integer, v {kind}) ON COMMIT DROP")
    body = copy_pg.copy_text([list(range(len(values))), values])
    copy_pg.write_copy(db.session, "COPY copy_probe (n, v) FROM STDIN", body)
    back = connection.exec_driver_sql("SELECT v FROM copy_probe ORDER BY n").scalars().all()
    connection.exec_driver_sql("DROP TABLE copy_probe")
    assert back == values
