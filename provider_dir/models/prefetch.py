"""Reads a page is about to make, sent ahead together: on PostgreSQL (psycopg) one round trip for all of them.

A clinic page reads the clinic, then nine things about it (its staff, a page of reviews, the reviews' figures, the
score's answers and history, registry checks and exclusions, provenance, outside ratings), each its own round trip,
in which the worker's share (psycopg's Python, the wait for the answer) cost more than the server's work. Once the
clinic's id is known, the page names those reads (`Read`: a statement built once and its values) and `prefetch`
sends them in one libpq pipeline (models/wire.py) inside the open transaction; their rows are kept with the
connection and `models.reads.driver_rows` returns
them, once, when the same statement is asked for with the same values. A read asked for with other values is sent as
usual, so a read named wrongly costs a round trip, never a wrong answer. The rows kept are dropped as soon as the
transaction writes anything (a flush included) or ends. On SQLite, which runs a statement in the worker's own
process, there is no round trip to save: `prefetch` does nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple
from weakref import WeakSet

from sqlalchemy import Engine, Executable, event
from sqlalchemy.orm import Session

from provider_dir.models import wire
from provider_dir.models.prepared import is_psycopg
from provider_dir.models.reads import PREFETCHED, driver_shape, flushed_connection, prefetch_key, wire_rows

_WATCHED: WeakSet[Engine] = WeakSet()  # the engines read_ahead_on set up


class Read(NamedTuple):
    """A SELECT built once (the same object every time) and the values it is run with, as driver_rows takes them."""

    statement: Executable
    params: Mapping


def prefetch(session: Session, reads: Iterable[Read]) -> None:
    """Send these reads together now and keep their rows for driver_rows, on an engine read_ahead_on set up.

    Elsewhere (SQLite) nothing is done and `reads` is not iterated: a generator's reads are not even built.
    """
    if session.get_bind().engine not in _WATCHED:  # a session bound to a Connection (the tests) gives its engine
        return
    connection = flushed_connection(session)
    keyed = [(key, read) for read in reads if (key := prefetch_key(*read)) is not None]
    shapes = [driver_shape(read.statement, connection.dialect) for _key, read in keyed]
    found = rows_together(connection, shapes, [read.params for _key, read in keyed])
    kept = connection.info.setdefault(PREFETCHED, {})  # after the pipeline, whose statements might have dropped it
    for (key, _read), rows in zip(keyed, found, strict=True):
        if rows is not None:
            kept[key] = rows


def rows_together(connection, shapes: list, values: list[Mapping]) -> list[list | None]:
    """Run driver_shape's shapes with their values in one pipeline on a psycopg connection; return each one's rows
    (None for a shape unfit for them, and for all of them outside an open transaction, where each read is then sent
    on its own when asked for), or raise the first error as SQLAlchemy raises it."""
    usable = [i for i, shape in enumerate(shapes) if shape.usable]
    results: list[list | None] = [None] * len(shapes)
    if not usable or not wire.usable(connection.connection.dbapi_connection):
        return results
    found = wire_rows(connection, [shapes[i] for i in usable], [shapes[i].parameters(values[i]) for i in usable])
    for i, rows in zip(usable, found, strict=True):
        results[i] = rows
    return results


def read_ahead_on(engine: Engine) -> None:
    """Let prefetch read ahead on this engine's connections (psycopg only), dropping what it read at the first write
    or the transaction's end."""
    if not is_psycopg(engine.dialect) or engine in _WATCHED:
        return
    # The rows read ahead are right until the transaction writes or ends: any statement but a SELECT (a flush's INSERT
    # or UPDATE, a DELETE sent as it is), a commit, a rollback (of a savepoint too), or the connection's return to the
    # pool drops them.
    event.listen(engine, "before_cursor_execute", _forget_before_a_write)
    for ending in ("commit", "rollback", "savepoint", "rollback_savepoint", "release_savepoint"):
        event.listen(engine, ending, _forget_at_the_end)
    event.listen(engine, "checkin", _forget_when_returned)
    _WATCHED.add(engine)


def _forget_before_a_write(conn, cursor, statement: str, parameters, context, executemany) -> None:
    if PREFETCHED in conn.info and statement.lstrip()[:6].upper() != "SELECT":
        del conn.info[PREFETCHED]


def _forget_at_the_end(conn, *args) -> None:
    if not conn.invalidated:  # an invalidated connection's rows went with its DBAPI connection (info would refuse)
        conn.info.pop(PREFETCHED, None)


def _forget_when_returned(dbapi_connection, connection_record) -> None:
    connection_record.info.pop(PREFETCHED, None)
