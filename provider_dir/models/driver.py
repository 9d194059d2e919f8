"""Statements sent straight to sqlite3 on hot paths, with errors raised as SQLAlchemy raises them.

Every request's BEGIN, its read of the content version and a suggestion's name look-ups are a few microseconds of
SQLite's work; through SQLAlchemy's statement path (an execution context, a cursor, its events, a result) each cost
several times that. They run on the session's own connection, so in its transaction; a failure is raised as the
same `sqlalchemy.exc` class a statement through SQLAlchemy raises (OperationalError for "database is locked"), so
callers that catch those keep working. SQLite only: PostgreSQL's connections can drop, and SQLAlchemy's own path
notices that and discards them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from sqlalchemy.exc import DBAPIError


def sqlite_rows(dbapi_connection: sqlite3.Connection, sql: str,
                params: Mapping | Sequence = ()) -> list[tuple]:
    """Run one statement on this sqlite3 connection and return its rows (none for a BEGIN)."""
    try:
        cursor = dbapi_connection.execute(sql, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()
    except sqlite3.Error as error:
        raise DBAPIError.instance(sql, params, error, sqlite3.Error) from error
