"""The synthetic seed on PostgreSQL: COPY text made in the row-building processes, keys and indexes built after.

The rows are the same as on every database (SyntheticBuilder, prepare_rows); what differs is how they travel:

* The forked processes that build the rows also write them as COPY text (`copy_text`), so this process only
  hands bytes to `cursor.copy` and never handles a row.
* Foreign keys and plain (non-unique) indexes of the seeded tables are dropped for the load and made again
  after it, inside the same transaction: PostgreSQL then checks each foreign key with one join and sorts each
  index once, instead of probing and inserting per row. It is done only when the seed at least doubles the
  clinics (`defer_keys_and_indexes`), so adding a few thousand clinics to a large database does not rebuild it.
  Primary keys and unique constraints stay in place throughout.
* The whole load is one transaction: a failure leaves the database as it was, keys and indexes included.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter

from sqlalchemy import Dialect, Table, func, select, text
from sqlalchemy.orm import Session

from provider_dir.seeding.bulk import driver_insert, scalar_defaults
from provider_dir.seeding.pipeline import converted_chunks

CopyChunk = tuple[int, list[tuple[str, bytes]]]  # (clinics in the chunk, [(COPY statement, its text)])
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
NULL = "\\N"


def applies(session: Session) -> bool:
    """Return True when the session's database takes this path (PostgreSQL through psycopg 3)."""
    dialect = session.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def escape(value: str) -> str:
    """Escape backslashes, tabs and line breaks for COPY text (str.replace is far faster than translate here)."""
    for special, escaped in _ESCAPES:
        if special in value:
            value = value.replace(special, escaped)
    return value


def copy_value(value) -> str:
    """Return one driver-ready value in COPY's text format (NULL as \\N, special characters escaped)."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "obj"):  # psycopg's Json / Jsonb wrapper from the JSON column's bind processor
        return escape(json.dumps(value.obj))
    raise TypeError(f"no COPY text for {type(value).__name__}")


_SEPARATOR = "\x1f"  # joins a column's texts so that they are escaped in one pass


def copy_column(values: Sequence) -> list[str]:
    """Return one column's values in COPY text, with the converter chosen once from its first value's type."""
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, str):
        joined = _SEPARATOR.join("" if v is None else v for v in values)
        if joined.count(_SEPARATOR) == len(values) - 1:  # no value holds the separator itself
            texts = escape(joined).split(_SEPARATOR)
            return texts if sample is not None and None not in values else \
                [NULL if v is None else t for v, t in zip(values, texts, strict=True)]
    elif isinstance(sample, bool):
        return [NULL if v is None else ("t" if v else "f") for v in values]
    elif isinstance(sample, int | float) and type(sample) in (int, float):
        return [NULL if v is None else str(v) for v in values]
    elif isinstance(sample, datetime | date):
        return [NULL if v is None else v.isoformat() for v in values]
    return list(map(copy_value, values))


def copy_text(columns: Sequence[Sequence]) -> bytes:
    """Return driver-ready columns (all of one length) as the body of a COPY ... FROM STDIN in text format."""
    if not columns or not columns[0]:
        return b""
    lines = map("\t".join, zip(*map(copy_column, columns), strict=True))
    return ("\n".join(lines) + "\n").encode()


def copy_columns(dialect: Dialect, table: Table, rows: Sequence[dict]) -> tuple[str, list[list]]:
    """Return (COPY statement, driver-ready columns) for dicts with the same keys, as bulk.prepare_rows does.

    Column by column like prepare_rows (the same constants for left-out columns, the same bind processors),
    but kept as columns, since COPY text is made a column at a time.
    """
    keys = list(rows[0])
    constants = scalar_defaults(table, keys)
    plan = driver_insert(dialect, table, keys + list(constants))
    if plan is None or not plan[0].startswith("COPY "):
        raise RuntimeError(f"{table.name}: the rows leave out a column that needs a value; COPY cannot fill it")
    sql, converters = plan
    columns = [list(c) for c in zip(*map(itemgetter(*keys), rows), strict=True)] if len(keys) > 1 else \
        [[row[keys[0]] for row in rows]]
    columns.extend([value] * len(rows) for value in constants.values())
    for i, convert in enumerate(converters):
        if convert is not None:
            columns[i] = list(map(convert, columns[i]))
    return sql, columns


def copy_chunk(dialect: Dialect, tables: Sequence[Table],
               batch_tables: Sequence[list[dict]]) -> list[tuple[str, bytes]]:
    """Convert one batch's rows into (COPY statement, text) per table, parents first."""
    out = []
    for table, rows in zip(tables, batch_tables, strict=True):
        if rows:
            sql, columns = copy_columns(dialect, table, rows)
            out.append((sql, copy_text(columns)))
    return out


def mark_verified_clinics(batch, today: date) -> None:
    """Set has_verified_credentials on the batch's clinics as denormalise.refresh_denormalised would.

    Done while the rows are built, so the load needs no UPDATE of every new clinic for it.
    """
    from provider_dir.credentials.vocab import CredentialStatus

    clinic_of_staff = {member["id"]: member["clinic_id"] for member in batch.staff}
    verified = {clinic_of_staff[c["staff_member_id"]] for c in batch.credentials
                if c["status"] == CredentialStatus.VERIFIED and (c["expires_on"] is None or c["expires_on"] >= today)}
    for clinic in batch.clinics:
        clinic["has_verified_credentials"] = clinic["id"] in verified


def write_copy(session: Session, sql: str, body: bytes) -> None:
    """Send one table's COPY text through psycopg's cursor.copy."""
    raw = session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(body)


def copy_chunks(build: Callable[[int, int], object], tables: Sequence[Table], dialect: Dialect, n: int, chunk: int,
                workers: int) -> Iterator[CopyChunk]:
    """Yield (clinics, COPY texts) for chunk 0, 1, 2, ...; forked processes build them when workers > 0.

    build(index, count) returns a batch (synthetic.Batch) whose clinics are already marked.
    """
    yield from converted_chunks(build, lambda batch: copy_chunk(dialect, tables, batch.tables()), n, chunk, workers,
                                queue_size=3)


def should_defer(session: Session, clinic_table: Table, n: int) -> bool:
    """Return True when n new clinics at least double the table, so rebuilding keys and indexes pays."""
    existing = session.scalar(select(func.count()).select_from(clinic_table)) or 0
    return n >= existing


_FOREIGN_KEYS = text("""
    SELECT c.conrelid::regclass::text AS owner, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = ANY(CAST(:tables AS regclass[]))
    ORDER BY c.conname
""")
_PLAIN_INDEXES = text("""
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) AND NOT i.indisunique AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1
""")


@contextmanager
def defer_keys_and_indexes(session: Session, tables: Sequence[Table]) -> Iterator[None]:
    """Drop the tables' foreign keys and plain indexes, run the block, then create them again as they were.

    Read from the catalogue (pg_get_constraintdef, pg_get_indexdef), so keys and indexes added by later
    migrations come back too. Everything happens in the caller's transaction.
    """
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = [quote(t.name) for t in tables]
    keys = connection.execute(_FOREIGN_KEYS, {"tables": names}).all()
    indexes = connection.execute(_PLAIN_INDEXES, {"tables": names}).all()
    # Names come from the catalogue of our own schema, never from input.
    for key in keys:
        connection.exec_driver_sql(f"ALTER TABLE {key.owner} DROP CONSTRAINT {quote(key.name)}")
    for index in indexes:
        connection.exec_driver_sql(f"DROP INDEX {index.name}")
    yield
    connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    for index in indexes:
        connection.exec_driver_sql(index.definition)
    for key in keys:
        connection.exec_driver_sql(f"ALTER TABLE {key.owner} ADD CONSTRAINT {quote(key.name)} {key.definition}")


@contextmanager
def nothing_deferred(session: Session, tables: Sequence[Table]) -> Iterator[None]:
    """Leave keys and indexes in place (a small seed into a large database)."""
    yield


def add_synthetic_clinics(session: Session, n: int, seed: int, progress: Callable[[int], None] | None, *,
                          today: date, commit: bool, chunk: int, workers: int | None) -> int:
    """Add n synthetic clinics by COPY (the same rows as synthetic.add_synthetic_clinics); return n.

    One transaction: with commit, it commits once at the end.
    """
    from provider_dir.accounts.models import User
    from provider_dir.accounts.vocab import UserRole
    from provider_dir.credentials.models import StaffMember
    from provider_dir.listings.models import Clinic
    from provider_dir.reviews.figures.ratings import recompute_all as recompute_ratings
    from provider_dir.reviews.models import Review
    from provider_dir.seeding import synthetic as syn
    from provider_dir.seeding.bulk import next_id, sync_id_sequences
    from provider_dir.seeding.content.staffing import moment
    from provider_dir.seeding.pipeline import can_fork
    from provider_dir.seeding.quickrandom import QuickRandom

    def build(index: int, count: int):
        batch = builder.chunk(index, count)
        mark_verified_clinics(batch, today)
        return batch

    rng = QuickRandom(seed)
    created = moment(today - timedelta(days=1200), rng)
    first_user = next_id(session, User.__table__)
    reviewer_ids = range(first_user + 1, first_user + 1 + max(20, n // 2))
    builder = syn.SyntheticBuilder(
        seed, today=today, first_clinic_id=next_id(session, Clinic.__table__),
        first_staff_id=next_id(session, StaffMember.__table__), first_review_id=next_id(session, Review.__table__),
        reviewer_ids=reviewer_ids, moderator_id=first_user, chunk_size=chunk,
    )
    dialect = session.connection().dialect
    tables = (User.__table__, *syn.BATCH_TABLES)
    deferred = defer_keys_and_indexes if should_defer(session, Clinic.__table__, n) else nothing_deferred
    if workers is None:
        workers = 2 if n >= 4 * chunk and can_fork() else 0
    with deferred(session, tables):
        for start in range(first_user, reviewer_ids.stop, syn.USER_CHUNK):  # the same slices and draws
            users = syn.reviewer_rows(rng, range(start, min(start + syn.USER_CHUNK, reviewer_ids.stop)), created)
            if start == first_user:
                users[0].update(role=UserRole.MODERATOR, email=f"moderator{first_user}@synthetic.example",
                                display_name=f"synthetic_moderator_{first_user}")
            for sql, body in copy_chunk(dialect, (User.__table__,), (users,)):
                write_copy(session, sql, body)
        for count, texts in copy_chunks(build, syn.BATCH_TABLES, dialect, n, chunk, workers):
            for sql, body in texts:
                write_copy(session, sql, body)
            if progress:
                progress(count)
        sync_id_sequences(session, (User.__table__, Clinic.__table__, StaffMember.__table__, Review.__table__))
        # Before the indexes come back: this UPDATE rewrites every rated clinic row. (The credential flag that
        # denormalise.refresh_denormalised also sets was set as the rows were built.)
        recompute_ratings(session)
    if commit:
        session.commit()
    return n
