"""Reads sent through libpq directly: the rows SQLAlchemy gives, prepared once per connection, never a statement the
server has dropped, and an error raised as SQLAlchemy raises it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from psycopg import pq
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    literal_column,
    select,
    text,
)
from sqlalchemy.exc import DataError, DBAPIError

import provider_dir.models.prepared  # noqa: F401 - the connection listeners
from provider_dir.models.prefetch import rows_together
from provider_dir.models.prepared import begin_on_checkout, engine_options
from provider_dir.models.reads import connection_driver_rows, driver_shape
from provider_dir.models.wire import WireQuery, usable
from tests.databases import database_url, server_url

METADATA = MetaData()
VISITS = Table(
    "wire_visits", METADATA,
    Column("id", Integer, primary_key=True),
    Column("who", String(40)),
    Column("on_day", Date),
    Column("paid", Numeric(8, 2)),
    Column("kept", Boolean),
)
BY_DAY = select(VISITS.c.who, VISITS.c.on_day, VISITS.c.paid, VISITS.c.kept).where(
    VISITS.c.on_day >= bindparam("since", type_=Date)).order_by(VISITS.c.id)
NAMED = select(VISITS.c.id).where(VISITS.c.who == bindparam("who", type_=String)).order_by(VISITS.c.id)
SHARE = select((literal_column("100") / bindparam("parts", type_=Integer)).label("share"))
OURS = text("SELECT name FROM pg_prepared_statements WHERE name LIKE '\\_pd\\_%' ORDER BY prepare_time, name")

on_postgresql = pytest.mark.skipif(server_url() is None, reason="libpq's own protocol (PostgreSQL)")


def test_placeholders_become_numbered_once_per_name_and_a_doubled_percent_a_single_one():
    query = WireQuery("SELECT a FROM t WHERE b = %(who)s OR c = %(who)s AND d LIKE 'x%%' AND e < %(until)s")

    assert query.sql == b"SELECT a FROM t WHERE b = $1 OR c = $1 AND d LIKE 'x%' AND e < $2"
    assert query.names == ("who", "until")


@pytest.fixture
def engine(tmp_path):
    """An engine made as the app makes its own (each connection handed out inside its transaction), one connection."""
    if server_url() is None:
        pytest.skip("libpq's own protocol (PostgreSQL)")
    url = database_url("wire", tmp_path)
    engine = create_engine(url, pool_size=1, max_overflow=0, **engine_options(url, {}))
    with engine.begin() as conn:  # one transaction that changes the schema: no content version to raise
        METADATA.drop_all(conn)
        METADATA.create_all(conn)
        conn.execute(VISITS.insert(), [
            {"id": 1, "who": "Ana García", "on_day": date(2026, 3, 1), "paid": Decimal("450.00"), "kept": True},
            {"id": 2, "who": "Ben Okafor", "on_day": date(2026, 4, 2), "paid": None, "kept": False},
            {"id": 3, "who": "Ana García", "on_day": date(2026, 5, 3), "paid": Decimal("99.50"), "kept": None},
        ])
    begin_on_checkout(engine)
    yield engine
    engine.dispose()


def ours(conn) -> list[str]:
    return list(conn.execute(OURS).scalars())


def driver(conn):
    return conn.connection.driver_connection


@on_postgresql
def test_a_read_gives_sqlalchemys_rows_and_is_prepared_once_on_its_connection(engine):
    for _request in range(3):
        with engine.connect() as conn:  # like a request: the pool's transaction, ended by a rollback
            assert usable(driver(conn))
            rows = connection_driver_rows(conn, BY_DAY, {"since": date(2026, 4, 1)})
            assert rows == conn.execute(BY_DAY, {"since": date(2026, 4, 1)}).all()
            assert [(row.who, row.paid, row.kept) for row in rows] == [
                ("Ben Okafor", None, False), ("Ana García", Decimal("99.50"), None)]
            assert rows[1].on_day == date(2026, 5, 3)
    with engine.connect() as conn:
        assert ours(conn) == ["_pd_1"]


@on_postgresql
def test_reads_sent_together_go_in_one_pipeline_each_with_its_own_rows(engine):
    in_pipeline = []
    with engine.connect() as conn:
        pgconn = driver(conn).pgconn

        def note(connection, cursor, statement, *args):
            in_pipeline.append(pgconn.pipeline_status != pq.PipelineStatus.OFF)

        event.listen(conn, "before_cursor_execute", note)
        shapes = [driver_shape(statement, conn.dialect) for statement in (NAMED, BY_DAY, NAMED)]
        found = rows_together(conn, shapes, [{"who": "Ana García"}, {"since": date(2026, 1, 1)}, {"who": "Ben Okafor"}])
        event.remove(conn, "before_cursor_execute", note)

        assert [[row.id for row in found[0]], [row.who for row in found[1]], [row.id for row in found[2]]] == [
            [1, 3], ["Ana García", "Ben Okafor", "Ana García"], [2]]
        assert in_pipeline == [True, True, True] and pgconn.pipeline_status == pq.PipelineStatus.OFF
        assert ours(conn) == ["_pd_1", "_pd_2"]  # the same statement twice: prepared once


@on_postgresql
def test_past_psycopgs_prepared_max_the_oldest_statement_is_closed_on_the_server(engine):
    at_least = VISITS.c.id >= bindparam("n", type_=Integer)
    statements = [select(VISITS.c.id, literal_column(str(k)).label("k")).where(at_least).order_by(VISITS.c.id)
                  for k in (1, 2, 3)]
    with engine.connect() as conn:
        driver(conn).prepared_max = 2
        for statement in statements:
            connection_driver_rows(conn, statement, {"n": 1})
        connection_driver_rows(conn, statements[0], {"n": 1})  # closed, so prepared again under a new name

        assert ours(conn) == ["_pd_3", "_pd_4"]
        assert [row.id for row in connection_driver_rows(conn, statements[2], {"n": 2})] == [2, 3]


@on_postgresql
def test_after_a_deallocate_through_sqlalchemy_the_next_read_prepares_again(engine):
    with engine.connect() as conn:
        connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})
        conn.exec_driver_sql("DEALLOCATE ALL")

        assert ours(conn) == []
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})] == [2]
        assert ours(conn) == ["_pd_2"]


@on_postgresql
def test_psycopgs_own_deallocate_after_a_rolled_back_schema_change_is_followed(engine):
    with engine.connect() as conn:
        for _ in range(6):  # psycopg prepares one of its own on the fifth run
            conn.exec_driver_sql("SELECT count(*) FROM wire_visits")
        connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})
        conn.exec_driver_sql("CREATE TABLE wire_scratch (n integer)")
        conn.rollback()  # psycopg's own rollback: it sends DEALLOCATE ALL

        assert ours(conn) == []
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ana García"})] == [1, 3]


@on_postgresql
def test_a_statement_dropped_behind_our_back_fails_that_request_only(engine):
    with engine.connect() as conn:
        connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})
        driver(conn).pgconn.exec_(b"DEALLOCATE _pd_1")  # nothing in the app sends this

        with pytest.raises(DBAPIError, match="_pd_1"):
            connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})
    with engine.connect() as conn:  # the next request prepares it again
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ben Okafor"})] == [2]


@on_postgresql
def test_an_error_in_a_pipeline_is_sqlalchemys_error_and_leaves_nothing_half_prepared(engine):
    with engine.connect() as conn:
        shapes = [driver_shape(statement, conn.dialect) for statement in (NAMED, SHARE, BY_DAY)]

        with pytest.raises(DataError, match="division by zero"):
            rows_together(conn, shapes, [{"who": "Ana García"}, {"parts": 0}, {"since": date(2026, 1, 1)}])

        # NAMED and SHARE were prepared (SHARE failed in its Execute); BY_DAY, after the failure, never was.
        assert sorted(driver(conn).wire_prepared.names.values()) == [b"_pd_1", b"_pd_2"]
        conn.rollback()
    with engine.connect() as conn:
        assert len(connection_driver_rows(conn, BY_DAY, {"since": date(2026, 1, 1)})) == 3
        assert connection_driver_rows(conn, SHARE, {"parts": 4})[0].share == 25


@on_postgresql
def test_with_psycopgs_preparing_switched_off_nothing_is_prepared(engine):
    with engine.connect() as conn:
        driver(conn).prepare_threshold = None  # as for a pooler that cannot keep prepared statements
        for _ in range(3):
            assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ana García"})] == [1, 3]
        assert ours(conn) == []


@on_postgresql
def test_a_connection_outside_a_transaction_goes_psycopgs_way(engine):
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        assert not usable(driver(conn))
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ana García"})] == [1, 3]
        assert ours(conn) == []


@on_postgresql
@pytest.mark.parametrize("together", [False, True], ids=["one read", "reads together"])
def test_a_connection_the_server_drops_mid_request_is_discarded_and_the_next_request_gets_a_new_one(engine, together):
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        dropped = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with admin.connect() as other:
            assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})

        with pytest.raises(DBAPIError) as raised:
            if together:
                rows_together(conn, [driver_shape(NAMED, conn.dialect)] * 2, [{"who": "Ana García"}] * 2)
            else:
                connection_driver_rows(conn, NAMED, {"who": "Ana García"})
        assert raised.value.connection_invalidated
        conn.rollback()  # as the request's session does at its end
    admin.dispose()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() != dropped
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ana García"})] == [1, 3]


@on_postgresql
def test_outside_a_transaction_reads_are_not_sent_together_but_each_when_asked(engine):
    sent = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        event.listen(conn, "before_cursor_execute", lambda *args: sent.append(args[2]))
        together = rows_together(conn, [driver_shape(NAMED, conn.dialect)], [{"who": "Ana García"}])

        assert together == [None] and sent == []
        assert [row.id for row in connection_driver_rows(conn, NAMED, {"who": "Ana García"})] == [1, 3]
        assert len(sent) == 1
