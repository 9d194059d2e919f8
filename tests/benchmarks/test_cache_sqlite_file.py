"""benchmarks/page_profile.cache_sqlite_file reads the whole of a SQLite database (its write-ahead log too) through the
OS's cache before a run's phases, and leaves PostgreSQL to pg_prewarm."""

import sqlite3

import pytest

from tests.benchmarks.modules import benchmark_module


@pytest.fixture(scope="module")
def page_profile():
    return benchmark_module("page_profile")


def _database(path, rows: int) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")  # what is written stays in the log until asked
    connection.execute("CREATE TABLE clinic (id INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO clinic (name) VALUES (?)", [(f"Clinic {i:06d} " * 8,) for i in range(rows)])
    connection.commit()
    return connection


def test_the_file_and_its_log_are_read_whole(page_profile, tmp_path):
    path = tmp_path / "directory.sqlite3"
    connection = _database(path, 20_000)
    try:
        wal = tmp_path / "directory.sqlite3-wal"
        assert wal.stat().st_size > 0  # the rows are in the log, not yet in the file
        read = page_profile.cache_sqlite_file(f"sqlite:///{path}")
        assert read.size_mb == pytest.approx((path.stat().st_size + wal.stat().st_size) / 1e6)
        assert read.size_mb > 1
        assert read.from_disk_mb >= 0
    finally:
        connection.close()


def test_a_database_without_its_log_is_read_alone(page_profile, tmp_path):
    path = tmp_path / "directory.sqlite3"
    _database(path, 1_000).close()  # the last connection's close folds the log into the file and removes it
    assert not (tmp_path / "directory.sqlite3-wal").exists()
    assert page_profile.cache_sqlite_file(f"sqlite:///{path}").size_mb == pytest.approx(path.stat().st_size / 1e6)


def test_postgresql_and_a_database_in_memory_are_left_alone(page_profile):
    assert page_profile.cache_sqlite_file("postgresql+psycopg://user:secret@127.0.0.1:5432/directory") is None
    assert page_profile.cache_sqlite_file("sqlite://") is None
