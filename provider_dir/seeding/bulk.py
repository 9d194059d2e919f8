"""Fast bulk inserts with ids chosen up front, so related rows can be built before anything is written.

`insert_rows` sends the table's plain INSERT through the DBAPI's executemany, with each value converted by
the column type's own bind processor (so values are stored exactly as the ORM would store them). It falls
back to SQLAlchemy Core (`session.execute(insert(table), rows)`) whenever the rows leave out a column that
needs a value, for instance one a later feature adds with a Python-side default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter

from sqlalchemy import Date, Dialect, Table, func, insert, select
from sqlalchemy.orm import Session

from provider_dir.geo.names.ddl import names_filled_after
from provider_dir.models.base import Base, UTCDateTime
from provider_dir.models.memory import give_memory_back
from provider_dir.models.rewrites import INDEX_BUILD_CACHE_MB, indexes_dropped

CHUNK_ROWS = 5_000
# SQLite's default 2 MB page cache thrashes on the review indexes (author, status/date) during big loads:
# 160,000 reviews took 77 s with it and 7 s with 512 MB. Memory is only taken as pages are used; the larger
# cache stays on the pooled connection from one batch to the next, until release_load_memory.
BULK_CACHE_KIB = 512 * 1024
_CACHE_BEFORE_LOAD = "provider_dir.cache_size_before_load"


@contextmanager
def bulk_load_settings(session: Session, *, skip_check_constraints: bool = False) -> Iterator[None]:
    """Give SQLite a large page cache for a bulk load and optionally skip CHECKs until the block ends.

    SQLite evaluates each enum CHECK (`x IN (...)`) per row, which makes a review insert four times slower
    (37 vs 8 microseconds). Callers whose values already went through the column types' validating bind
    processors may skip them; PostgreSQL always checks. Use one block per transaction.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    if _CACHE_BEFORE_LOAD not in connection.info:  # kept with the pooled connection until release_load_memory
        connection.info[_CACHE_BEFORE_LOAD] = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    if skip_check_constraints:
        connection.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA ignore_check_constraints=OFF")


def release_load_memory(session: Session) -> None:
    """After a bulk load on SQLite, set the session's connection's page cache back, close the pool's idle
    connections (each may hold a batch's 512 MB cache) and hand the freed memory back to the OS.

    A million-clinic build held 2.3 GB after its load, and the index sorts that follow it spent twice the kernel
    time they take in a small process (the credential and review indexes: 4.8 -> 1.7 s). Work not yet committed
    stays: the session's own connection is only given its smaller cache.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    before = connection.info.pop(_CACHE_BEFORE_LOAD, None)
    if before is not None:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")
    connection.exec_driver_sql("PRAGMA shrink_memory")
    connection.engine.dispose()  # closes the connections checked in; the session's own is left as it is
    give_memory_back()


def next_id(session: Session, table: Table) -> int:
    """Return the first id above every id already in the table."""
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def _needs_value(column) -> bool:
    if column.primary_key and column.autoincrement in (True, "auto"):
        return False  # the database numbers it
    return column.default is not None or (not column.nullable and column.server_default is None)


def driver_insert(dialect: Dialect, table: Table, keys: list[str]):
    """Return (sql, converters) for positional rows, or None when Core must fill other columns.

    On PostgreSQL the sql is a COPY ... FROM STDIN (row triggers fire for COPY as for INSERT); elsewhere
    a plain INSERT for executemany.
    """
    if any(_needs_value(c) for c in table.columns if c.key not in keys):
        return None
    quote = dialect.identifier_preparer.quote
    columns = [table.c[k] for k in keys]
    # Names come from our own table metadata, never from input.
    target = f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(c.name) for c in columns)})"
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        sql = f"COPY {target} FROM STDIN"
    else:
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = f"INSERT INTO {target} VALUES ({', '.join([marker] * len(columns))})"  # noqa: S608  # nosec B608 # quoted metadata names, values bound
    return sql, [_converter(c.type, dialect) for c in columns]


def sqlite_utc_text(value: datetime | None) -> str | None:
    """Format an aware datetime the way SQLAlchemy stores UTCDateTime on SQLite (fast path)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    text_value = value.isoformat(" ")[:-6]  # drop the "+00:00"
    return text_value if value.microsecond else text_value + ".000000"


def sqlite_date_text(value: date | None) -> str | None:
    """Format a date the way SQLAlchemy stores Date on SQLite (fast path)."""
    return None if value is None else value.isoformat()


def _converter(column_type, dialect):
    """Return the function turning a Python value into what the driver receives, or None for as-is."""
    if dialect.name == "sqlite" and isinstance(column_type, UTCDateTime):
        return sqlite_utc_text
    if dialect.name == "sqlite" and type(column_type) is Date:
        return sqlite_date_text
    return column_type.dialect_impl(dialect).bind_processor(dialect)


@dataclass
class Prepared:
    """Rows of one table made ready to send: driver tuples for `sql`, or dicts for Core when sql is None.

    It names its table rather than holding it, so it pickles small (it crosses process boundaries).
    """

    table_name: str
    sql: str | None
    rows: list


def scalar_defaults(table: Table, keys: Sequence[str]) -> dict[str, object]:
    """Return {column: value} for the columns the rows leave out whose Python-side default is a constant."""
    return {c.key: c.default.arg for c in table.columns
            if c.key not in keys and c.default is not None and c.default.is_scalar}  # fmt: skip


def prepare_rows(dialect: Dialect, table: Table, rows: Sequence[dict]) -> Prepared:
    """Convert dicts (all with the same keys) into what the driver receives, once, up front.

    Columns the rows leave out but whose default is a constant (say a version counter a later feature added)
    get that constant here, so the rows keep the driver's fast path instead of Core's per-row processing.
    """
    keys = list(rows[0]) if rows else []
    constants = scalar_defaults(table, keys) if rows else {}
    plan = driver_insert(dialect, table, keys + list(constants)) if rows else None
    if plan is None:
        return Prepared(table.name, None, list(rows))
    sql, converters = plan
    # Column by column: itemgetter, zip and map run in C, so only the converters cost Python calls.
    columns = list(zip(*map(itemgetter(*keys), rows), strict=True)) if len(keys) > 1 else \
        [[row[keys[0]] for row in rows]]
    columns.extend([value] * len(rows) for value in constants.values())
    for i, convert in enumerate(converters):
        if convert is not None:
            columns[i] = list(map(convert, columns[i]))
    return Prepared(table.name, sql, list(zip(*columns, strict=True)))


def write_prepared(session: Session, prepared: Prepared, chunk: int = CHUNK_ROWS) -> None:
    """Send prepared rows: by COPY on PostgreSQL, executemany elsewhere (or Core for dicts)."""
    connection = session.connection()
    if prepared.sql is not None and prepared.sql.startswith("COPY "):
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(prepared.sql) as copy:
            for row in prepared.rows:
                copy.write_row(row)
        return
    for start in range(0, len(prepared.rows), chunk):
        part = prepared.rows[start:start + chunk]
        if prepared.sql is None:
            session.execute(insert(Base.metadata.tables[prepared.table_name]), part)
        else:
            connection.exec_driver_sql(prepared.sql, part)


def insert_rows(session: Session, table: Table, rows: Sequence[dict], chunk: int = CHUNK_ROWS,
                progress: Callable[[int], None] | None = None) -> None:
    """Insert plain dicts (all with the same keys) into a table, in chunks."""
    dialect = session.connection().dialect
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        write_prepared(session, prepare_rows(dialect, table, part), chunk)
        if progress:
            progress(len(part))


def sync_id_sequences(session: Session, tables: Iterable[Table]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        # Built by SQLAlchemy rather than as a string: setval(sequence, COALESCE(MAX(id), 0) + 1, false).
        highest = select(func.coalesce(func.max(table.c.id), 0)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
        session.execute(select(func.setval(sequence, highest + 1, False)))



# Indexes that lead with these columns grow in load order (ids ascend chunk by chunk), and the bulk jobs read their
# ranges through them: they are kept while a load defers the others.
LOAD_ORDER_COLUMNS = frozenset({"id", "clinic_id", "staff_member_id"})


@contextmanager
def indexes_built_after(session: Session, tables: Sequence[Table]) -> Iterator[None]:
    """On SQLite, load empty tables without the indexes that are not in load order, and build those at the end.

    A row written to an index ordered by anything but the load order (a grid cell, a rating, a date, an author)
    lands on a random leaf of its B-tree: once the index outgrows the page cache, each row costs page reads and
    writes, so the load (and the first scores and ratings, which rewrite every clinic) grows faster than the
    rows. CREATE INDEX sorts the finished table instead. Only when every table is empty as the block starts (a
    new database); unique indexes and those leading with an id the bulk jobs walk (LOAD_ORDER_COLUMNS) stay.
    The indexes are built again however the block ends, each committed as it is built, with SQLite's default
    page cache (INDEX_BUILD_CACHE_MB) rather than the load's. The name search tables are likewise filled once at
    the end rather than by their triggers row by row (geo.names.ddl.names_filled_after), and committed with the
    load's last rows before the indexes are built. Before that, the load's page caches are given back
    (release_load_memory). PostgreSQL is left as it is.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite" or any(session.scalar(select(t.c.id).limit(1)) for t in tables):
        yield
        return
    deferred = []
    for table in tables:
        for name, unique in connection.exec_driver_sql(
            "SELECT name, \"unique\" FROM pragma_index_list(?) WHERE origin = 'c'", (table.name,)
        ):
            leading = connection.exec_driver_sql("SELECT name FROM pragma_index_info(?) WHERE seqno = 0", (name,))
            if not unique and leading.scalar() not in LOAD_ORDER_COLUMNS:
                sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).scalar()
                deferred.append((name, sql))
    with indexes_dropped(session, deferred, build_cache_mb=INDEX_BUILD_CACHE_MB, commit_each=True):
        with names_filled_after(session):
            yield
            release_load_memory(session)
        # Committed before the indexes are built: the name tables' pages (400 MB at a million clinics) would
        # otherwise be pushed out to the write-ahead log when the cache is made small for the sort, and every page
        # the sort reads looked up among them (the indexes at a million clinics: 31.6 -> 22.7 s).
        session.commit()
