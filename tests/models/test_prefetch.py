"""Reads sent ahead together: the rows asked for, on PostgreSQL sent in one pipeline, never older than a write."""

from __future__ import annotations

import pytest
from psycopg import pq
from sqlalchemy import bindparam, event, select, update

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.prefetch import Read, prefetch
from provider_dir.models.reads import driver_rows

BY_CITY = select(Clinic.name).where(Clinic.city == bindparam("city")).order_by(Clinic.name)
PRICE_OF = select(Clinic.price_per_infusion_usd).where(Clinic.slug == bindparam("slug"))


@pytest.fixture
def sent(app):
    """The statements sent from now on, each with whether it went in a psycopg pipeline (savepoints left out)."""
    seen: list[tuple[str, bool]] = []

    def note(conn, cursor, statement, *args):
        if statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            return
        pgconn = getattr(cursor.connection, "pgconn", None)
        seen.append((statement, pgconn is not None and pgconn.pipeline_status != pq.PipelineStatus.OFF))

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_rows_read_ahead_are_the_rows_asked_for_sent_together_on_postgresql(create_clinic, sent):
    create_clinic(name="Aspen Infusions", slug="aspen", city="Denver", price_per_infusion_usd=450)
    create_clinic(name="Birch Ketamine", slug="birch", city="Denver", price_per_infusion_usd=520)
    create_clinic(name="Cedar Clinic", slug="cedar", city="Boise")
    db.session.commit()
    sent.clear()

    prefetch(db.session, [Read(BY_CITY, {"city": "Denver"}), Read(PRICE_OF, {"slug": "birch"})])
    ahead = list(sent)
    sent.clear()
    denver = driver_rows(db.session, BY_CITY, {"city": "Denver"})
    price = driver_rows(db.session, PRICE_OF, {"slug": "birch"})
    boise = driver_rows(db.session, BY_CITY, {"city": "Boise"})  # other values: not read ahead

    assert names(denver) == ["Aspen Infusions", "Birch Ketamine"] and price[0][0] == 520
    assert names(boise) == ["Cedar Clinic"]
    if on_postgresql():
        assert [in_pipeline for _statement, in_pipeline in ahead] == [True, True]
        assert len(sent) == 1  # only Boise's, asked with values not read ahead
    else:  # SQLite runs statements in process: nothing to send ahead
        assert ahead == [] and len(sent) == 3
    # Each read ahead is taken once: asked again, it is read again.
    assert names(driver_rows(db.session, BY_CITY, {"city": "Denver"})) == ["Aspen Infusions", "Birch Ketamine"]


def test_a_flushed_change_drops_what_was_read_ahead(create_clinic):
    create_clinic(name="Aspen Infusions", city="Denver")
    db.session.commit()
    prefetch(db.session, [Read(BY_CITY, {"city": "Denver"})])

    create_clinic(name="Alder Wellness", city="Denver")  # flushed: an INSERT on the same connection

    assert names(driver_rows(db.session, BY_CITY, {"city": "Denver"})) == ["Alder Wellness", "Aspen Infusions"]


def test_a_statement_that_writes_drops_what_was_read_ahead(create_clinic):
    create_clinic(name="Aspen Infusions", slug="aspen", city="Denver", price_per_infusion_usd=450)
    db.session.commit()
    prefetch(db.session, [Read(PRICE_OF, {"slug": "aspen"})])

    db.session.connection().execute(update(Clinic).where(Clinic.slug == "aspen").values(price_per_infusion_usd=480))

    assert driver_rows(db.session, PRICE_OF, {"slug": "aspen"})[0][0] == 480


def test_the_end_of_a_transaction_drops_what_was_read_ahead(create_clinic, sent):
    create_clinic(name="Aspen Infusions", city="Denver")
    db.session.commit()
    prefetch(db.session, [Read(BY_CITY, {"city": "Denver"})])
    db.session.commit()
    sent.clear()

    assert names(driver_rows(db.session, BY_CITY, {"city": "Denver"})) == ["Aspen Infusions"]
    assert len(sent) == 1  # read in the new transaction, not taken from the one that ended
