"""Rewriting one column in most rows of a large table on SQLite: the indexes that hold it are built again after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def indexes_rebuilt_after_rewrite(session: Session, table: str, column: str, rewrite: bool) -> Iterator[None]:
    """On SQLite, when `rewrite` is true, drop the table's plain indexes that hold `column` and build them at the end.

    Each row whose column changes moves its entry to another leaf of every index holding the column: a random
    place, in a B-tree that outgrows the page cache as the table grows, so a rewrite of most rows costs more per
    row the larger the table. Building the index again sorts the finished table once. It all happens in the
    caller's transaction: other connections keep reading the old rows and indexes until it commits, and a
    rollback brings the indexes back. PostgreSQL (where DROP INDEX would block readers) is left as it is.
    """
    connection = session.connection()
    if not rewrite or connection.dialect.name != "sqlite":
        yield
        return
    rebuilt = [
        (name, sql)
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", (table,)
        )
        if column in connection.exec_driver_sql("SELECT name FROM pragma_index_info(?)", (name,)).scalars().all()
    ]
    with indexes_dropped(session, rebuilt):
        yield


@contextmanager
def indexes_dropped(session: Session, indexes: list[tuple[str, str]]) -> Iterator[None]:
    """Drop these SQLite indexes, given as (name, CREATE statement), and build them again however the block ends."""
    connection = session.connection()
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')  # a name SQLite listed from our own schema
    try:
        yield
    finally:
        connection = session.connection()
        for _, sql in indexes:
            connection.exec_driver_sql(sql)
