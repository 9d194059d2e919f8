"""driver_rows' statements sent on a psycopg connection through libpq itself: one, or several in one pipeline.

psycopg's cursor is made for any statement: each execute converts the query's placeholders, asks the connection's
prepared-statement manager what to do, and inside a pipeline polls the socket after every statement it queues. For
the statements driver_rows and prefetch send (built once, compiled once, values known by name) that machinery was
the larger part of what a read cost the worker: a clinic page's ten reads in one pipeline took 0.67 ms of its
5.1 ms of worker CPU, 0.39 ms this way. Here each statement's SQL is turned into PostgreSQL's `$1` form once, is
prepared on the server the first time a connection runs it, and goes out with psycopg's own adapters (its
Transformer dumps the values and loads the rows, in C) on psycopg's libpq objects, waited on as psycopg waits.

Prepared statements are kept per connection (at most psycopg's `prepared_max` of them, the oldest closed first) and
forgotten whenever the server may have dropped them: psycopg's own DEALLOCATE ALL (models/prepared.py), a DISCARD or
DEALLOCATE sent through SQLAlchemy, or a statement of ours the server no longer knows (that request fails, and the
next prepares again). A connection with psycopg's preparing switched off (`prepare_threshold` None, for a pooler
that cannot keep them) sends every statement unprepared. Only inside a transaction already open (the pool's BEGIN),
outside psycopg's own pipeline: anything else goes psycopg's way.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from psycopg import adapt, errors, pq
from psycopg.adapt import PyFormat
from psycopg.generators import fetch_many, send

_OK = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)
_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s")  # what SQLAlchemy's psycopg dialect writes: %(name)s, and %% for %


class WireQuery:
    """A statement's SQL in PostgreSQL's numbered form and the names of its values in that order."""

    def __init__(self, sql: str) -> None:
        order: dict[str, int] = {}

        def number(match: re.Match) -> str:
            if match.group(1) is None:
                return "%"
            return f"${order.setdefault(match.group(1), len(order) + 1)}"

        self.sql = _PLACEHOLDER.sub(number, sql).encode()
        self.names = tuple(order)
        self.formats = [PyFormat.AUTO] * len(self.names)


class PreparedOnServer:
    """A connection's statements prepared by this module: (SQL, value types) -> name, oldest first."""

    def __init__(self) -> None:
        self.names: OrderedDict[tuple, bytes] = OrderedDict()
        self.made = 0  # names are never reused on a connection

    def forget_all(self) -> None:
        """Forget every name: the server has dropped (or may have dropped) them."""
        self.names.clear()

    def name_for(self, key: tuple) -> tuple[bytes, bool]:
        """Return the statement's name and whether it still has to be prepared."""
        name = self.names.get(key)
        if name is not None:
            self.names.move_to_end(key)
            return name, False
        self.made += 1
        name = self.names[key] = b"_pd_%d" % self.made
        return name, True

    def forget(self, keys: Sequence[tuple]) -> None:
        """Forget these statements' names (never made on the server)."""
        for key in keys:
            self.names.pop(key, None)

    def evicted(self, keep: int | None) -> list[bytes]:
        """Return the names beyond the newest `keep`, forgotten here, for the server to close."""
        gone = []
        while keep is not None and len(self.names) > keep:
            gone.append(self.names.popitem(last=False)[1])
        return gone


def usable(raw) -> bool:
    """Return whether this psycopg connection can take statements here now (a plain open transaction)."""
    if getattr(raw, "wire_prepared", None) is None:  # not a connection attach() was given
        return False
    pgconn = raw.pgconn
    return (pgconn.transaction_status == pq.TransactionStatus.INTRANS
            and pgconn.pipeline_status == pq.PipelineStatus.OFF and not raw.autocommit)


class _Sent:
    """One statement on its way: its shape, its values as driver_rows gives them, and its name when prepared."""

    __slots__ = ("shape", "parameters", "dumped", "types", "formats", "key", "name", "prepare")

    def __init__(self, shape, parameters: Mapping, transformer, prepared: PreparedOnServer | None, plan: bool) -> None:
        self.shape, self.parameters = shape, parameters
        query = shape.wire
        self.dumped = transformer.dump_sequence([parameters[name] for name in query.names], query.formats)
        self.types, self.formats = transformer.types, transformer.formats
        self.key = (query.sql, self.types)  # a prepared statement's: its SQL and its values' types
        self.name, self.prepare = (b"", False) if prepared is None or not plan else prepared.name_for(self.key)

    def queue(self, pgconn) -> int:
        """Queue this statement on libpq (its Parse first, when new); return how many results it will give."""
        query = self.shape.wire
        if not self.name:
            pgconn.send_query_params(query.sql, self.dumped, param_types=self.types, param_formats=self.formats)
            return 1
        if self.prepare:
            pgconn.send_prepare(self.name, query.sql, param_types=self.types)
        pgconn.send_query_prepared(self.name, self.dumped, param_formats=self.formats)
        return 2 if self.prepare else 1


def run(connection, cursor, shapes: Sequence, values: Sequence[Mapping], *, plan: bool = True) -> list[list | None]:
    """Run each shape with its values (driver_rows' parameters) and return each one's rows, None for a shape whose
    rows do not suit named tuples; several go in one pipeline, one round trip.

    `cursor` is the connection's kept cursor, given to the engine's cursor events as SQLAlchemy would give one.
    With plan=False nothing is prepared: the server plans each statement for its values.
    """
    raw = connection.connection.dbapi_connection
    pgconn = raw.pgconn
    transformer = raw.wire_transformer
    prepared = None if raw.prepare_threshold is None else raw.wire_prepared
    events = connection.dispatch
    sent = [_Sent(shape, parameters, transformer, prepared, plan)
            for shape, parameters in zip(shapes, values, strict=True)]
    several = len(sent) > 1 or sent[0].prepare  # a Parse and its Execute are two commands: a pipeline's
    if prepared is not None:
        _close(raw, prepared.evicted(raw.prepared_max))
    if several:
        pgconn.enter_pipeline_mode()
    try:
        for item in sent:
            for listener in events.before_cursor_execute:
                listener(connection, cursor, item.shape.sql, item.parameters, None, False)
        with raw.lock:
            expected = [item.queue(pgconn) for item in sent]
            if several:
                pgconn.pipeline_sync()
            raw.wait(send(pgconn))
            results = [[raw.wait(fetch_many(pgconn)) for _ in range(count)] for count in expected]
            if several:
                raw.wait(fetch_many(pgconn))  # the pipeline's end (PIPELINE_SYNC)
    finally:
        if several:
            _leave_pipeline(raw)
    rows = []
    for k, (item, answers) in enumerate(zip(sent, results, strict=True)):
        answers = [result for batch in answers for result in batch]
        failed = next((result for result in answers if result.status not in _OK), None)
        if failed is not None:
            parsed = item.prepare and answers[0].status in _OK  # its Parse went through, its Execute did not
            _forget_unmade(prepared, sent[k + 1:] if parsed else sent[k:])
            _raise(failed, transformer.encoding, prepared)
        rows.append(_rows(item.shape, answers[-1], transformer, connection.dialect))
    for item in sent:
        for listener in events.after_cursor_execute:
            listener(connection, cursor, item.shape.sql, item.parameters, None, False)
    return rows


def _forget_unmade(prepared: PreparedOnServer | None, items: Sequence[_Sent]) -> None:
    """Forget the names of statements whose Parse came after a failure in their pipeline: they were never made."""
    if prepared is not None:
        prepared.forget([item.key for item in items if item.prepare])


def _raise(failed, encoding: str, prepared: PreparedOnServer | None) -> None:
    """Raise the server's error as psycopg raises it."""
    error = errors.error_from_result(failed, encoding=encoding)
    if isinstance(error, errors.InvalidSqlStatementName) and prepared is not None:
        prepared.forget_all()  # dropped behind our back: the next request prepares them again
    raise error


def _rows(shape, result, transformer, dialect) -> list | None:
    """Return one statement's rows as driver_rows gives them; None for a shape whose rows do not suit named tuples."""
    if shape.make_row is None:
        encoding = transformer.encoding
        shape.describe([(result.fname(i).decode(encoding), result.ftype(i)) for i in range(result.nfields)], dialect)
        if not shape.usable:
            return None
    transformer.set_pgresult(result)
    return shape.rows(transformer.load_rows(0, result.ntuples, tuple))


def _leave_pipeline(raw) -> None:
    """Leave libpq's pipeline mode; a connection that cannot (an exchange cut short) is closed, so never reused."""
    try:
        raw.pgconn.exit_pipeline_mode()
    except errors.OperationalError:
        raw.close()  # SQLAlchemy's pool then discards it
        raise


def _close(raw, names: list[bytes]) -> None:
    """Close prepared statements on the server (one round trip each: it happens only past prepared_max)."""
    for name in names:
        result = raw.pgconn.exec_(b"DEALLOCATE " + name)
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise errors.error_from_result(result, encoding=raw.wire_transformer.encoding)


def attach(raw) -> None:
    """Give a new psycopg connection what this module keeps on it: a Transformer and its prepared statements (set
    last: usable() reads them as the sign that the connection is ready)."""
    raw.wire_transformer = adapt.Transformer(raw)
    raw.wire_prepared = PreparedOnServer()
