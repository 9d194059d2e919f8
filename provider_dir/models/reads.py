"""SELECTs of plain columns run on the session's connection, past the ORM's execution path, or past SQLAlchemy's.

The ORM's path (its compile state, its result set-up) is for loading objects; for a statement that loads none it
cost about 40 microseconds more than the connection's own, a few percent of a page that sends a dozen of them.
`driver_rows` goes further for statements built once: their SQL is compiled once per dialect and sent on the
driver's own cursor, and the rows are converted as SQLAlchemy converts them. SQLAlchemy's execution path (an
execution context, a result with its metadata, per-row processing) cost some 90 microseconds on a one-row read
of the clinic page, against 20 for the driver. The statement runs in the session's transaction and sees its pending
changes, flushed first as the ORM would.
"""

from __future__ import annotations

import keyword
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from provider_dir.models import wire
from provider_dir.models.prepared import is_psycopg


def flushed_connection(session: Session) -> Connection:
    """Return the session's connection, its pending changes flushed first as the ORM's own path would."""
    if session.autoflush:
        session.flush()
    return session.connection()


def column_rows(session: Session, statement: Executable, params: Mapping | None = None) -> CursorResult:
    """Run a SELECT of columns (no ORM entities) on the session's connection and return its result."""
    return flushed_connection(session).execute(statement, params or {})


class _DriverShape:
    """A statement compiled once for a dialect: its SQL, the order of its parameters, their constant values and the
    conversions SQLAlchemy would apply to each (a Python date to SQLite's text, an enum to its stored value)."""

    def __init__(self, statement: Executable, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.statement = statement  # held so that its id is not reused while it is kept
        self.sql = compiled.string
        by_name = {compiled.bind_names[bind]: bind for bind in compiled.binds.values()}
        self.constants: dict[str, object] = {}
        converters: dict[str, Callable] = {}
        for name, bind in by_name.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters[name] = convert
            if not bind.required:  # a value of the statement's own, converted once (a caller's value still wins)
                value = bind.effective_value
                self.constants[name] = convert(value) if convert is not None and value is not None else value
        # The caller's values are looked up by the names the SQL uses: a statement whose names differ (escaped,
        # expanded per call) goes SQLAlchemy's way.
        self.usable = not (compiled.literal_execute_params or compiled.post_compile_params) and all(
            bind.key == name for name, bind in by_name.items() if bind.required)
        self.names = tuple(compiled.positiontup) if dialect.positional else tuple(by_name)
        self.positional = dialect.positional
        self.wire = wire.WireQuery(self.sql) if is_psycopg(dialect) else None  # the SQL as libpq takes it
        self.converted = tuple((i, name, converters[name]) for i, name in enumerate(self.names) if name in converters)
        self.types = [column.type for column in getattr(statement, "selected_columns", ())]
        self.make_row: Callable | None = None  # set from the first execution's cursor description
        self.processors: tuple[tuple[int, Callable], ...] = ()

    def describe(self, description: Sequence, dialect) -> None:
        """Work out, from the driver's description of the first result, the rows' names and their conversions.

        A name that is not a plain identifier, or appears twice, or a result whose columns do not match the
        statement's, makes the shape unusable: such a statement goes SQLAlchemy's way.
        """
        names = [column[0] for column in description]
        if (len(set(names)) != len(names) or not all(n.isidentifier() and not keyword.iskeyword(n) for n in names)
                or (self.types and len(self.types) != len(names)) or any(n.startswith("_") for n in names)):
            self.usable = False
            return
        fields = namedtuple("DriverRow", names)  # its names are known only here
        self.make_row = type("DriverRow", (fields,), {"__slots__": (), "_mapping": _mapping})._make
        processors = []
        for i, sql_type in enumerate(self.types):
            process = sql_type.dialect_impl(dialect).result_processor(dialect, description[i][1])
            if process is not None:
                processors.append((i, process))
        self.processors = tuple(processors)

    def rows(self, raw_rows: list) -> list:
        """Return the driver's rows as named tuples, each value converted as SQLAlchemy would convert it."""
        make = self.make_row
        if not self.processors:
            return [make(row) for row in raw_rows]
        converted = []
        for row in raw_rows:
            values = list(row)
            for i, process in self.processors:
                values[i] = process(values[i])
            converted.append(make(values))
        return converted

    def parameters(self, params: Mapping) -> tuple | dict:
        """Return the driver's parameters for these values (the statement's constants filled in)."""
        merged = {**self.constants, **params}
        values = [merged[name] for name in self.names]
        for i, name, convert in self.converted:
            if name in params and values[i] is not None:  # the constants were converted when kept
                values[i] = convert(values[i])
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))


@property
def _mapping(row) -> dict:
    """The row's values by name, as SQLAlchemy's Row._mapping gives them."""
    return dict(zip(row._fields, row, strict=True))


_SHAPES: dict[tuple[int, str], _DriverShape] = {}
MAX_SHAPES = 4096


def driver_rows(session: Session, statement: Executable, params: Mapping, *, prepared: bool = True) -> list:
    """Run a SELECT built once (kept by its caller) with its SQL compiled once per dialect, and return its rows.

    The statement goes to the driver's cursor in the session's transaction, with the engine's cursor events
    (before and after) as SQLAlchemy sends them. Parameters are converted as SQLAlchemy would (the conversions
    worked out once, applied only to values that need one: a search's hundred cell ranges need none), and so are
    the rows (dates, enums, booleans), which are named tuples with `_mapping`. A statement whose SQL changes per
    call (an expanding IN) goes SQLAlchemy's way, its rows read the same way (by name, by position, `_mapping`).
    With prepared=False psycopg never prepares it (models/prepared.py), so PostgreSQL plans it for each call's values.
    Rows read ahead for the same statement and values (models/prefetch.py) are returned instead, once.
    """
    return connection_driver_rows(flushed_connection(session), statement, params, prepared=prepared)


# The connection's info key for rows read ahead in its transaction (models/prefetch.py), by prefetch_key.
PREFETCHED = "provider_dir.prefetched"


def prefetch_key(statement: Executable, params: Mapping) -> tuple | None:
    """Return the key of a read's rows read ahead: the statement (built once, so the same object) and its values."""
    try:
        return id(statement), frozenset(params.items())
    except TypeError:  # a list of values (an array): not read ahead
        return None


def driver_shape(statement: Executable, dialect) -> _DriverShape:
    """Return the statement's shape for the dialect, compiled on first use."""
    key = (id(statement), dialect.name)
    shape = _SHAPES.get(key)
    if shape is None or shape.statement is not statement:
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        shape = _SHAPES[key] = _DriverShape(statement, dialect)
    return shape


def connection_driver_rows(connection: Connection, statement: Executable, params: Mapping, *,
                           prepared: bool = True) -> list:
    """driver_rows on a connection of its own (no session, nothing to flush)."""
    ahead = connection.info.get(PREFETCHED)
    if ahead:
        rows = ahead.pop(prefetch_key(statement, params), None)
        if rows is not None:
            return rows
    shape = driver_shape(statement, connection.dialect)
    if shape.usable:
        rows = _on_driver_cursor(connection, shape, shape.parameters(params), prepared)
        if rows is not None:
            return rows
    return connection.execute(statement, params).all()


def _on_driver_cursor(connection: Connection, shape: _DriverShape, parameters, prepared: bool = True) -> list | None:
    """Run the shape's SQL on the driver's cursor; None when its rows turn out not to suit named tuples."""
    dispatch = connection.dispatch
    proxied = connection.connection
    raw = proxied.dbapi_connection
    psycopg_cursor = is_psycopg(connection.dialect)
    if psycopg_cursor and wire.usable(raw):
        return wire_rows(connection, [shape], [parameters], plan=prepared)[0]
    cursor = _kept_cursor(proxied, raw) if psycopg_cursor else raw.cursor()
    failed = True
    try:
        for listener in dispatch.before_cursor_execute:
            listener(connection, cursor, shape.sql, parameters, None, False)
        try:
            if prepared or not psycopg_cursor:
                cursor.execute(shape.sql, parameters)
            else:  # psycopg: never as a prepared statement, so always planned for these values
                cursor.execute(shape.sql, parameters, prepare=False)
            if shape.make_row is None:
                shape.describe(cursor.description, connection.dialect)
                if not shape.usable:
                    cursor.fetchall()
                    failed = False
                    return None
            rows = shape.rows(cursor.fetchall())
        except connection.dialect.loaded_dbapi.Error as error:
            raise_as_sqlalchemy(connection, raw, cursor, shape.sql, parameters, error)
        for listener in dispatch.after_cursor_execute:
            listener(connection, cursor, shape.sql, parameters, None, False)
        failed = False
        return rows
    finally:
        if not psycopg_cursor:
            cursor.close()
        elif failed:  # a kept cursor that failed is not kept
            proxied.info.pop(_KEPT_CURSOR, None)
            cursor.close()


def wire_rows(connection: Connection, shapes: Sequence[_DriverShape], parameters: Sequence, *,
              plan: bool = True) -> list[list | None]:
    """Run shapes with their driver parameters through libpq (models/wire.py; several in one pipeline), with the
    connection's kept cursor for the engine's events, and any error raised as SQLAlchemy raises it."""
    proxied = connection.connection
    raw = proxied.dbapi_connection
    cursor = _kept_cursor(proxied, raw)
    try:
        return wire.run(connection, cursor, shapes, parameters, plan=plan)
    except connection.dialect.loaded_dbapi.Error as error:
        sql = "; ".join(shape.sql for shape in shapes)
        raise_as_sqlalchemy(connection, raw, cursor, sql, parameters[0] if len(shapes) == 1 else None, error)


# psycopg's cursor looks up the dumpers of a statement's parameters and the loaders of its columns' types, and keeps
# them for its next statement; a new cursor for each of a page's dozen reads looked them up every time (18 us on
# the clinic's row of 50 columns). So psycopg connections keep one cursor for these reads, for as long as the
# connection lives; one that failed is closed and dropped. A sqlite3 cursor has nothing to keep.
_KEPT_CURSOR = "provider_dir.driver_cursor"


def _kept_cursor(proxied, raw):
    """Return the psycopg connection's kept cursor for driver_rows, made on first use."""
    info = proxied.info  # lives as long as this DBAPI connection
    cursor = info.get(_KEPT_CURSOR)
    if cursor is None or cursor.closed or cursor.connection is not raw:
        cursor = info[_KEPT_CURSOR] = raw.cursor()
    return cursor


def raise_as_sqlalchemy(connection: Connection, raw, cursor, sql: str, parameters, error: Exception) -> None:
    """Raise a driver's error as SQLAlchemy's path would: its exc class, the connection dropped if it was lost."""
    lost = connection.dialect.is_disconnect(error, raw, cursor)
    if lost:
        connection.invalidate(error)
    raise DBAPIError.instance(sql, parameters, error, connection.dialect.loaded_dbapi.Error,
                              connection_invalidated=lost) from error
