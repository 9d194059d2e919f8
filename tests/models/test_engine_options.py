"""Which engines ping their pooled connections: SQLAlchemy's pre-ping only where nothing else checks them."""

from __future__ import annotations

import pytest
from psycopg import pq

from provider_dir.extensions import db
from provider_dir.models.prepared import engine_options


@pytest.mark.parametrize(("uri", "pings"), [
    ("sqlite:///instance/provider_dir.sqlite3", False),  # a file: no server to drop the connection
    ("postgresql+psycopg://app@db.internal/provider_dir", False),  # the checkout's BEGIN is the check
    ("postgresql+psycopg2://app@db.internal/provider_dir", True),  # any other server driver keeps the pre-ping
    ("mysql+pymysql://app@db.internal/provider_dir", True),
])
def test_only_a_server_without_the_checkout_begin_keeps_the_pre_ping(uri, pings):
    options = engine_options(uri, {"pool_pre_ping": True, "pool_size": 5})
    assert options == {"pool_pre_ping": pings, "pool_size": 5}


def test_the_apps_engine_checks_its_connections_without_a_ping_of_their_own(base_app):
    with base_app.app_context():
        engine = db.engine
    assert engine.pool._pre_ping is False
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        if engine.dialect.name == "postgresql":  # the pool's BEGIN came before any statement
            assert driver.pgconn.transaction_status == pq.TransactionStatus.INTRANS
        else:
            assert not driver.in_transaction  # SQLite's BEGIN comes with the first statement (models/engine.py)
