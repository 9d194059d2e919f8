"""Connection set-up: SQLite pragmas and IMMEDIATE write transactions."""

from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from provider_dir.models.driver import sqlite_rows

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a writer waits for SQLite's write lock. 5 s was too short: 20 processes posting at once to 4 workers
# on a loaded 2-core machine made a few writers wait longer, and they failed with "database is locked"
# (benchmarks/concurrent_reviews.py). Kept below gunicorn's 30 s worker timeout.
BUSY_TIMEOUT_MS = 20_000
# Each connection's SQLite page cache (SQLite's default is 2 MB). A page nobody asked before reads a clinic's rows
# and index pages from all over the file; with 64 MB the interior pages of the large indexes stay cached, and
# a fresh clinic page or search asks the kernel for 0.1 ms less (measured at 100,000 clinics). A sync gunicorn
# worker holds one connection at a time; bulk jobs raise it further for their own connection (models/rewrites.py).
PAGE_CACHE_KIB = 64 * 1024


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin), so savepoints and IMMEDIATE work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A write transaction takes the lock up front, so concurrent writers wait (busy_timeout)
    # instead of failing on lock upgrade; page views keep cheap deferred transactions.
    read_only = has_request_context() and request.method in READ_ONLY_METHODS
    # Straight to the driver (models/driver.py): it opens every request's transaction.
    sqlite_rows(conn.connection.dbapi_connection, "BEGIN" if read_only else "BEGIN IMMEDIATE")
