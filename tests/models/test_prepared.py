"""PostgreSQL keeps a connection's prepared statements over a rollback; DDL that is rolled back still drops them."""

from __future__ import annotations

import pytest
from psycopg import pq
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

import provider_dir.models.prepared  # noqa: F401 - the connection listeners
import provider_dir.pagecache.versioning  # noqa: F401 - its read of the content version, sent with every BEGIN
from provider_dir.models.prepared import NOT_READ, KeptPreparedConnection, begin_on_checkout, begin_read, engine_options
from tests.databases import database_url, server_url

pytestmark = pytest.mark.skipif(server_url() is None, reason="psycopg's prepared statements (PostgreSQL)")

READ = "SELECT count(*) FROM kept_prepared_rows WHERE n >= %(least)s"
PREPARED = text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%kept_prepared_rows WHERE n%'")


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(database_url("prepared", tmp_path), pool_size=1, max_overflow=0)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE kept_prepared_rows (n integer)")
        conn.exec_driver_sql("INSERT INTO kept_prepared_rows SELECT generate_series(1, 10)")
    yield engine
    engine.dispose()


def read_in_rolled_back_transactions(engine, times: int) -> list[int]:
    counts = []
    for _ in range(times):
        with engine.connect() as conn:  # like a request: one transaction, closed with a rollback
            counts.append(conn.exec_driver_sql(READ, {"least": 4}).scalar())
    return counts


def prepared_statements(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(PREPARED)


def test_a_statement_run_in_many_requests_is_prepared_once_and_stays_prepared(engine):
    with engine.connect() as conn:
        assert isinstance(conn.connection.driver_connection, KeptPreparedConnection)
    assert read_in_rolled_back_transactions(engine, 8) == [7] * 8
    assert prepared_statements(engine) == 1  # psycopg prepares on the fifth run, and a rollback keeps it
    assert read_in_rolled_back_transactions(engine, 2) == [7, 7]


def test_a_rollback_still_undoes_the_transactions_writes(engine):
    read_in_rolled_back_transactions(engine, 6)
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO kept_prepared_rows VALUES (99)")
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 8
        conn.rollback()
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 7
    assert prepared_statements(engine) == 1


def test_a_rolled_back_schema_change_makes_psycopg_forget_its_prepared_statements(engine):
    read_in_rolled_back_transactions(engine, 6)
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE kept_prepared_scratch (n integer)")
        conn.rollback()
        conn.exec_driver_sql("SELECT 1")
    assert prepared_statements(engine) == 0
    assert read_in_rolled_back_transactions(engine, 6)[-1] == 7
    assert prepared_statements(engine) == 1  # and prepares them again


@pytest.fixture
def app_engine(engine):
    """An engine made as the app makes its own: the pool opens each connection's transaction as it hands it out."""
    url = engine.url.render_as_string(hide_password=False)
    app_engine = create_engine(url, pool_size=1, max_overflow=0, **engine_options(url, {"pool_pre_ping": True}))
    begin_on_checkout(app_engine)
    yield app_engine
    app_engine.dispose()


def backend_pid(conn) -> int:
    return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def test_a_connection_comes_from_the_pool_inside_its_transaction_with_no_ping_of_its_own(app_engine):
    assert app_engine.pool._pre_ping is False  # the BEGIN is the check
    with app_engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver.pgconn.transaction_status == pq.TransactionStatus.INTRANS  # before any statement
        first = conn.exec_driver_sql("SELECT txid_current()").scalar()
        assert conn.exec_driver_sql("SELECT txid_current()").scalar() == first  # one transaction, as before
    with app_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT txid_current()").scalar() != first  # each checkout its own


def test_a_connection_the_server_dropped_is_replaced_when_the_pool_hands_it_out(app_engine):
    with app_engine.connect() as conn:
        dropped = backend_pid(conn)
    admin = create_engine(app_engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    admin.dispose()
    with app_engine.connect() as conn:  # no error: the failed BEGIN discarded it and a new one came instead
        assert backend_pid(conn) != dropped
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 7


def test_a_checkout_can_still_choose_its_transactions_isolation(app_engine):
    with app_engine.connect().execution_options(isolation_level="SERIALIZABLE") as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "serializable"
    with app_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("INSERT INTO kept_prepared_rows VALUES (99)")
        conn.rollback()  # nothing to undo: autocommit kept the row
    with app_engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "read committed"  # back to the default
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 8


def test_a_transaction_that_has_run_a_statement_is_never_ended_to_change_its_settings(app_engine):
    with app_engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO kept_prepared_rows VALUES (99)")
        with pytest.raises(Exception, match="now"):  # psycopg's own refusal, as without the pool's BEGIN
            conn.connection.driver_connection.autocommit = True
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 8  # the row is still there, in its transaction


def test_a_database_without_the_read_sent_with_begin_still_gives_a_usable_transaction(app_engine):
    # This database has no content_version (pagecache/versioning.py sends its read with every BEGIN): the server
    # refuses it, the aborted transaction is rolled back and begun again, and this connection stops sending it.
    with app_engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver.begin_read_refused and begin_read(driver) is NOT_READ
        first = conn.exec_driver_sql("SELECT txid_current()").scalar()
        conn.exec_driver_sql("INSERT INTO kept_prepared_rows VALUES (99)")
        assert conn.exec_driver_sql("SELECT txid_current()").scalar() == first
        conn.rollback()
    with app_engine.connect() as conn:
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 7  # the insert was rolled back
        assert conn.connection.driver_connection.pgconn.transaction_status == pq.TransactionStatus.INTRANS


def test_a_connection_the_server_drops_mid_request_rolls_back_cleanly_and_is_replaced(app_engine):
    # The engine's rollback listeners (the page cache's, the reads kept ahead) must not touch a connection SQLAlchemy
    # has invalidated: its rollback would then refuse, and the request could not end.
    admin = create_engine(app_engine.url, isolation_level="AUTOCOMMIT")
    with app_engine.connect() as conn:
        dropped = backend_pid(conn)
        with admin.connect() as other:
            assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
        with pytest.raises(DBAPIError) as raised:
            conn.exec_driver_sql(READ, {"least": 4})
        assert raised.value.connection_invalidated
        conn.rollback()
    admin.dispose()
    with app_engine.connect() as conn:
        assert backend_pid(conn) != dropped
        assert conn.exec_driver_sql(READ, {"least": 4}).scalar() == 7
