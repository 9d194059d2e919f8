"""Raise the content version in the same transaction as every write that could change a public page.

Every statement any engine sends is looked at (ORM flushes, Core bulk writes, raw SQL alike). A transaction
that wrote to a public table raises content_version.number as its very last statement, just before COMMIT,
so the new number becomes visible together with the data: a reader that sees the new number sees the new
data. Taking that row's lock last means a writer never waits for another lock while holding it, so two
writers cannot deadlock over it (PostgreSQL); they only queue for the moment of committing.

Writes by other programs straight to the database (psql, another app) are not seen: pages then catch up
within PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import Integer, column, event, text
from sqlalchemy.engine import Connection, Engine

from provider_dir.models.driver import sqlite_rows
from provider_dir.models.prepared import NOT_READ, begin_read, read_with_begin
from provider_dir.models.reads import connection_driver_rows
from provider_dir.pagecache.models import VERSION_ROW_ID

PENDING = "content_version_pending"
SCHEMA_CHANGE = "content_version_schema_change"
BUMP_SQL = f"UPDATE content_version SET number = number + 1 WHERE id = {VERSION_ROW_ID}"  # noqa: S608  # nosec B608 # a constant
READ_SQL = f"SELECT number FROM content_version WHERE id = {VERSION_ROW_ID}"  # noqa: S608  # nosec B608 # a constant
_READ = text(READ_SQL).columns(column("number", Integer))
# On PostgreSQL every request's first read rides with the pool's BEGIN (models/prepared.py): a round trip fewer.
read_with_begin(READ_SQL)

# Tables whose rows no public page shows. Everything else counts, including tables added later: a page
# kept too briefly costs one render, a page kept too long shows a patient something untrue.
# The audit log and the owners' pending work (claims, held edits, terms accepted) are read only by the portal,
# the moderation queues and the admin pages (tests/pagecache/test_private_tables.py keeps it so); what a moderator
# then applies to a listing is a write to a public table of its own.
PRIVATE_TABLES = frozenset({
    "alembic_version", "content_version", "geocode_cache", "notification", "review_report",
    "moderation_log", "clinic_claim", "listing_change", "owner_terms_acceptance", "clinic_correction",
    "appeal", "outgoing_mail", "job_run",
})  # fmt: skip
# Columns of an account that no public page shows (logging in rotates session_token and sets last_login_at);
# its display name, role and whether it is active do show, beside reviews and verifications.
PRIVATE_USER_COLUMNS = frozenset({"session_token", "last_login_at", "password_hash", "email", "email_confirmed_at"})

_WRITE = re.compile(
    r"""^\s*(?:
        insert\s+(?:or\s+\w+\s+)?into\s+(?P<insert>"?\w+"?)
      | replace\s+into\s+(?P<replace>"?\w+"?)
      | update\s+(?:or\s+\w+\s+)?(?P<update>"?\w+"?)\s+set\s+(?P<columns>.*?)(?:\s+where\s|\s+returning\s|$)
      | delete\s+from\s+(?P<delete>"?\w+"?)
    )""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_DML_WORD = re.compile(r"\b(?:insert|update|delete)\b", re.IGNORECASE)
_ASSIGNED = re.compile(r'"?(\w+)"?\s*=')


# Statements come from SQLAlchemy's compiled cache as the same few strings; a search's is long (its cell ranges),
# and reading it for a write word on every execution cost 0.15 ms of a search page.
@lru_cache(maxsize=4096)
def changes_public_pages(statement: str) -> bool:
    """Return True when this SQL statement may change what a public page shows."""
    head = statement.lstrip()[:7].lower()
    if head.startswith(("select", "pragma", "savepoi", "release", "rollbac", "begin", "commit", "show", "set ")):
        return False
    match = _WRITE.match(statement)
    if match is None:
        if head.startswith("with"):
            return _DML_WORD.search(statement) is not None
        # DDL leaves the rows alone; MERGE and anything else unknown are assumed to matter.
        return not head.startswith(("create", "drop", "alter"))
    table = next(match.group(g) for g in ("insert", "replace", "update", "delete") if match.group(g))
    table = table.strip('"').lower()
    if table in PRIVATE_TABLES:
        return False
    if table == "user" and match.group("insert"):
        return False  # a new account shows nowhere until it writes a review, which is a write of its own
    if table == "user" and match.group("update"):
        assigned = {name.lower() for name in _ASSIGNED.findall(match.group("columns"))}
        return not assigned <= PRIVATE_USER_COLUMNS
    return True


def read_version(connection: Connection) -> int | None:
    """Return the current content version, or None when the database has no version row."""
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite":  # every shared page reads it: straight to the driver (models/driver.py)
        rows = sqlite_rows(raw, READ_SQL)
    elif (read := begin_read(raw)) is not NOT_READ:
        # Read with this transaction's BEGIN, before any row a page shows: a write committed since can only have
        # made what the page reads newer than its version, never older.
        return None if read is None else int(read)
    else:  # on the driver's cursor too, past SQLAlchemy's execution path (models/reads.py)
        rows = connection_driver_rows(connection, _READ, {})
    return rows[0][0] if rows else None


@event.listens_for(Engine, "before_cursor_execute")
def _note_public_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].lower() in ("create", "alter ", "drop t"):
        conn.info[SCHEMA_CHANGE] = True
    elif not conn.info.get(PENDING) and changes_public_pages(statement):
        conn.info[PENDING] = True
        # The version read with the BEGIN would not count this transaction's own raise (settle): read it anew.
        begin_read(cursor.connection)


def settle(conn: Connection) -> None:
    """Raise the content version if this connection's transaction wrote public data (call just before COMMIT)."""
    # A transaction that changes the schema is a migration, which may run before content_version exists;
    # the app is restarted after one, and its pages start afresh.
    schema_changed = conn.info.pop(SCHEMA_CHANGE, False)
    if conn.info.pop(PENDING, False) and not schema_changed:
        # Straight on the DBAPI connection: this runs inside SQLAlchemy's commit, where the Connection
        # itself must not start another statement.
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute(BUMP_SQL)
        finally:
            cursor.close()


event.listen(Engine, "commit", settle)


@event.listens_for(Engine, "rollback")
def _forget_rolled_back_writes(conn) -> None:
    if conn.invalidated:  # its DBAPI connection is gone, and what was noted on it with it (info would refuse)
        return
    conn.info.pop(PENDING, None)
    conn.info.pop(SCHEMA_CHANGE, None)
