"""PostgreSQL keeps a connection's prepared statements over a rollback; DDL that is rolled back still drops them."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

import provider_dir.models.prepared  # noqa: F401 - the connection listeners
from provider_dir.models.prepared import KeptPreparedConnection
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
