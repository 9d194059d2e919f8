"""Statements sent straight to sqlite3 fail as statements sent through SQLAlchemy do."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc

from provider_dir.models.driver import sqlite_rows


def test_rows_come_back_and_a_begin_gives_none():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    assert sqlite_rows(connection, "BEGIN") == []
    sqlite_rows(connection, "CREATE TABLE t (x INTEGER PRIMARY KEY)")
    sqlite_rows(connection, "INSERT INTO t VALUES (:x)", {"x": 7})
    assert sqlite_rows(connection, "SELECT x FROM t WHERE x = :x", {"x": 7}) == [(7,)]


def test_driver_errors_are_raised_as_sqlalchemys_own_classes():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    sqlite_rows(connection, "CREATE TABLE t (x INTEGER PRIMARY KEY)")
    sqlite_rows(connection, "INSERT INTO t VALUES (1)")
    with pytest.raises(exc.IntegrityError) as duplicate:
        sqlite_rows(connection, "INSERT INTO t VALUES (1)")
    assert isinstance(duplicate.value.orig, sqlite3.IntegrityError)
    with pytest.raises(exc.OperationalError, match="no such table"):
        sqlite_rows(connection, "SELECT * FROM missing")
