"""Rewriting one column in most rows of a large table on SQLite: the indexes that hold it are built again after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

# The page cache a SQLite bulk job may fill (SQLITE_BULK_CACHE_MB): about the size of the clinic table and its
# indexes at a million clinics.
DEFAULT_BULK_CACHE_MB = 2048


def bulk_cache_megabytes() -> int:
    """Return SQLITE_BULK_CACHE_MB from the app's config (the default outside an app)."""
    if has_app_context():
        return int(current_app.config.get("SQLITE_BULK_CACHE_MB", DEFAULT_BULK_CACHE_MB))
    return DEFAULT_BULK_CACHE_MB


@contextmanager
def bulk_page_cache(session: Session, megabytes: int | None = None) -> Iterator[None]:
    """On SQLite, let this connection's page cache hold up to `megabytes` during the block, then set it back.

    A bulk job that changes most of a large table in one transaction fills SQLite's page cache (2 MB unless
    set) with changed pages. Past it they spill to the write-ahead log, and every later read of a spilled page
    is looked up there among all the frames written so far: the job then costs more per row the larger the
    table (the ratings rewrite at a million clinics: 24.7 s of CPU with 2 MB, 13.4 s with 2 GB). SQLite takes
    the memory only as pages are read and frees it when the size is set back, so web workers are not affected (the
    worker hands it back to the OS after each job: worker.runner.run_job).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    # The setting belongs to this SQLite connection, which a job that commits as it goes hands back to the pool
    # between batches: it is set back on the same one.
    sqlite_connection = connection.connection.dbapi_connection
    before = sqlite_connection.execute("PRAGMA cache_size").fetchone()[0]
    wanted = megabytes if megabytes is not None else bulk_cache_megabytes()
    sqlite_connection.execute(f"PRAGMA cache_size = {-1024 * int(wanted)}")  # negative: KiB, not pages
    try:
        yield
    finally:
        sqlite_connection.execute(f"PRAGMA cache_size = {int(before)}")


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


# The page cache an index build runs with after a bulk load, in MB: about SQLite's own default. SQLite sorts a new
# index's entries in memory runs as large as the page cache and merges the runs; a run of hundreds of megabytes
# (the bulk cache a load leaves on its connection) is a linked list far beyond the CPU's caches, and sorting it
# costs more per row the more rows there are (the deferred indexes of a million-clinic file: 42-45 s of CPU with
# 512 MB, 23 s with 2 MB).
INDEX_BUILD_CACHE_MB = 2


@contextmanager
def indexes_dropped(
    session: Session, indexes: list[tuple[str, str]], build_cache_mb: int | None = None, commit_each: bool = False
) -> Iterator[None]:
    """Drop these SQLite indexes, given as (name, CREATE statement), and build them again however the block ends.

    With build_cache_mb, they are built with a page cache of that many MB, then the cache is set back. With
    commit_each, each index is committed as soon as it is built (for a caller that commits the block's work
    first): every page a table scan reads is looked up in the write-ahead log, which then holds one index's pages
    rather than all those built before it (the deferred indexes of a million-clinic file: 1.2 s less CPU). When the
    block fails, what it had not committed is rolled back (a failed statement leaves the session unusable), the
    indexes that are then missing (their DROP may have been committed with an earlier batch) are built and
    committed, and the block's own error goes on.
    """
    connection = session.connection()
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')  # a name SQLite listed from our own schema
    with rebuilt_however_it_ends(session, lambda: _build_indexes(session, indexes, build_cache_mb, commit_each)):
        yield


@contextmanager
def rebuilt_however_it_ends(session: Session, rebuild) -> Iterator[None]:
    """Run rebuild() as the block ends; when the block fails, first roll back what it did not commit, then rebuild,
    commit that, and let the block's error go on (a failed statement leaves the session unusable until then)."""
    try:
        yield
    except BaseException:
        session.rollback()
        rebuild()
        session.commit()
        raise
    rebuild()


def _build_indexes(
    session: Session, indexes: list[tuple[str, str]], build_cache_mb: int | None, commit_each: bool = False
) -> None:
    for _, sql in indexes:
        # Set for each index: after a commit the session may take another of the pool's connections.
        with bulk_page_cache(session, build_cache_mb) if build_cache_mb else nullcontext():
            session.connection().exec_driver_sql(_if_not_exists(sql))
        if commit_each:
            session.commit()


def _if_not_exists(sql: str) -> str:
    """Return an index's CREATE statement (as SQLite keeps it) so that it does nothing when the index exists."""
    for start in ("CREATE INDEX ", "CREATE UNIQUE INDEX "):
        if sql.upper().startswith(start) and not sql.upper().startswith(start + "IF NOT EXISTS"):
            return start + "IF NOT EXISTS " + sql[len(start):]
    return sql
