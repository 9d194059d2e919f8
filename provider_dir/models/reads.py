"""SELECTs of plain columns run on the session's connection, past the ORM's execution path.

The ORM's path (its compile state, its result set-up) is for loading objects; for a statement that loads none it
cost about 40 microseconds more than the connection's own, a few percent of a page that sends a dozen of them.
The statement runs in the session's transaction and sees its pending changes, flushed first as the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy.orm import Session


def _flushed_connection(session: Session) -> Connection:
    """Return the session's connection, its pending changes flushed first as the ORM's own path would."""
    if session.autoflush:
        session.flush()
    return session.connection()


def column_rows(session: Session, statement: Executable, params: Mapping | None = None) -> CursorResult:
    """Run a SELECT of columns (no ORM entities) on the session's connection and return its result."""
    return _flushed_connection(session).execute(statement, params or {})


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
        self.converted = tuple((i, name, converters[name]) for i, name in enumerate(self.names) if name in converters)

    def parameters(self, params: Mapping) -> tuple | dict:
        """Return the driver's parameters for these values (the statement's constants filled in)."""
        merged = {**self.constants, **params}
        values = [merged[name] for name in self.names]
        for i, name, convert in self.converted:
            if name in params and values[i] is not None:  # the constants were converted when kept
                values[i] = convert(values[i])
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))


_SHAPES: dict[tuple[int, str], _DriverShape] = {}
MAX_SHAPES = 4096


def driver_rows(session: Session, statement: Executable, params: Mapping) -> list:
    """Run a SELECT built once (kept by its caller) with its SQL compiled once per dialect, and return its rows.

    For statements with many bound values (a search's cell ranges): SQLAlchemy's own path builds and converts
    every parameter on every execution (0.5 ms of a search page); here the conversions are worked out once and
    applied only to the values that need one. The rows hold what the driver gives, unconverted: for statements
    that return numbers and text (ids, distances, counts), not dates or enums (SQLite gives a date as text).
    """
    connection = _flushed_connection(session)
    key = (id(statement), connection.dialect.name)
    shape = _SHAPES.get(key)
    if shape is None or shape.statement is not statement:
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        shape = _SHAPES[key] = _DriverShape(statement, connection.dialect)
    if not shape.usable:
        return connection.execute(statement, params).all()
    return connection.exec_driver_sql(shape.sql, shape.parameters(params)).all()
