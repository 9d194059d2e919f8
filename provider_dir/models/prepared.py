"""PostgreSQL connections that keep their prepared statements when a transaction is rolled back.

psycopg prepares a statement on the server once a connection has run it five times (`prepare_threshold`), so
later runs skip parsing and planning. But its `rollback()` forgets every prepared statement, in case the
transaction created or changed what one of them reads, and every request here ends its transaction with a
rollback (the session closes it): no statement ever reached the threshold, and each of a clinic page's nine
reads was parsed and planned anew, 3.3 ms of the server's CPU per page (0.8 ms with them kept, at 100,000
clinics). PostgreSQL keeps a session's prepared statements over a rollback, and plans one again when a table it
reads has changed; what psycopg guards against is a transaction that changed the schema. So a rollback here keeps
them unless the transaction ran DDL (CREATE, ALTER, DROP, ...), which still rolls back psycopg's way; a committed
DROP or ALTER makes psycopg forget them by itself.

The pool hands out a connection with its transaction already open (`begin_on_checkout`): one BEGIN sent by libpq
is both the check that the connection is alive (SQLAlchemy's pre-ping, a SELECT 1 with autocommit switched on and
off around it) and the BEGIN psycopg would send before the first statement, two round trips in one. A read that
nearly every request makes first (the content version, pagecache/versioning.py) can ride with that BEGIN too
(`read_with_begin`): its value is kept on the connection until it is taken, or the transaction ends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import psycopg
from psycopg import pq
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url

from provider_dir.models import wire

NOT_READ = object()  # what begin_read gives when no value came with the transaction's BEGIN
# The read sent with every checkout's BEGIN (read_with_begin), as libpq sends it: one value, or none.
_begin_read: bytes | None = None

# Statements the connection notes as they go (_note_statement): DDL (any of these words but DEALLOCATE), and those
# after which the server may have dropped the session's prepared statements (DISCARD, DEALLOCATE; models/wire.py's too).
_NOTED = re.compile(
    r"\s*(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|REINDEX|CLUSTER|SECURITY|DISCARD|DEALLOCATE)\b",
    re.IGNORECASE)
_DROPS_PREPARED = ("DISCARD", "DEALLOCATE")


class KeptPreparedConnection(psycopg.Connection):
    """A psycopg connection whose rollback keeps the server's prepared statements, unless the schema changed."""

    schema_changed: bool = False
    began_on_checkout: bool = False  # the open transaction is the pool's BEGIN, and nothing has run in it yet
    begin_read: object = NOT_READ  # the value read with this transaction's BEGIN (read_with_begin), until taken
    begin_read_refused: bool = False  # the server refused that read on this connection (no such table yet)
    wire_prepared: wire.PreparedOnServer | None = None  # what models/wire.py prepared here (wire.attach sets it)

    def _deallocate(self, name: bytes | None):
        # psycopg's DEALLOCATE ALL (after a rolled-back schema change, or a DISCARD ALL) drops models/wire.py's too.
        if name is None and self.wire_prepared is not None:
            self.wire_prepared.forget_all()
        return super()._deallocate(name)

    def rollback(self) -> None:
        """Roll back; keep the prepared statements when the transaction ran no DDL (see the module's docstring)."""
        self.began_on_checkout = False
        self.begin_read = NOT_READ
        if self.schema_changed or not self._plain_transaction():
            self.schema_changed = False
            return super().rollback()
        with self.lock:
            result = self.pgconn.exec_(b"ROLLBACK")
        if result.status != pq.ExecStatus.COMMAND_OK:
            super().rollback()  # a lost connection: psycopg's own path raises its error

    def commit(self) -> None:
        """Commit; a committed DROP or ALTER is psycopg's to handle (it forgets the prepared statements)."""
        if self.schema_changed:
            self.begin_read_refused = False  # a migration may have made what the read needs: try it again
        self.schema_changed = self.began_on_checkout = False
        self.begin_read = NOT_READ
        super().commit()

    # A transaction's settings can only change between transactions. SQLAlchemy changes them (an isolation level in
    # execution_options) on a connection that has run nothing yet, which here is inside the pool's BEGIN: that one
    # is ended first, and psycopg opens the next with the new settings.
    def set_autocommit(self, value: bool) -> None:
        """Set autocommit, after ending the pool's empty transaction."""
        self._end_checkout_transaction()
        super().set_autocommit(value)

    def set_isolation_level(self, value) -> None:
        """Set the isolation level, after ending the pool's empty transaction."""
        self._end_checkout_transaction()
        super().set_isolation_level(value)

    def set_read_only(self, value: bool | None) -> None:
        """Set read-only, after ending the pool's empty transaction."""
        self._end_checkout_transaction()
        super().set_read_only(value)

    def set_deferrable(self, value: bool | None) -> None:
        """Set deferrable, after ending the pool's empty transaction."""
        self._end_checkout_transaction()
        super().set_deferrable(value)

    def begin_checked(self) -> None:
        """Open a transaction as psycopg would before a first statement; raise DisconnectionError if none opens."""
        if self.autocommit or self.pgconn.transaction_status != pq.TransactionStatus.IDLE or self.settings_set():
            self._ping()  # nothing psycopg's own BEGIN would differ from here: just check the connection
            return
        if _begin_read is None or self.begin_read_refused:
            self._ping(b"BEGIN")
        else:
            self._begin_and_read(_begin_read)
        self.began_on_checkout = True

    def take_begin_read(self) -> object:
        """Return the value read with this transaction's BEGIN, once (later calls: NOT_READ, so it is read anew)."""
        value, self.begin_read = self.begin_read, NOT_READ
        return value

    def _begin_and_read(self, read: bytes) -> None:
        """BEGIN and the read in one round trip; a read the server refuses is rolled back and not tried again here."""
        result = self._ping(b"BEGIN; " + read, refused_ok=True)
        if result.status == pq.ExecStatus.TUPLES_OK:
            self.begin_read = result.get_value(0, 0) if result.ntuples else None
            return
        self.begin_read_refused = True  # e.g. a database not yet migrated: its transaction is aborted, start again
        self._ping(b"ROLLBACK")
        self._ping(b"BEGIN")

    def settings_set(self) -> bool:
        """Return whether the next transaction has settings of its own (psycopg's BEGIN then names them)."""
        return self.isolation_level is not None or self.read_only is not None or self.deferrable is not None

    def _ping(self, command: bytes = b"SELECT 1", refused_ok: bool = False) -> pq.abc.PGresult:
        try:
            with self.lock:
                result = self.pgconn.exec_(command)
        except psycopg.Error as error:  # libpq has no answer at all: the connection is gone
            raise exc.InvalidatePoolError(f"{command.decode()} on checkout failed: {error}") from error
        refused = refused_ok and self.pgconn.status == pq.ConnStatus.OK \
            and self.pgconn.transaction_status == pq.TransactionStatus.INERROR
        if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK) and not refused:
            message = result.error_message.decode(errors="replace").strip()
            if self.pgconn.status == pq.ConnStatus.BAD:
                # As SQLAlchemy's pre-ping: the server went away, so every connection made before it is stale.
                raise exc.InvalidatePoolError(f"{command.decode()} on checkout failed: {message}")
            raise exc.DisconnectionError(f"{command.decode()} on checkout failed: {message}")
        return result

    def _end_checkout_transaction(self) -> None:
        if self.began_on_checkout:
            self.rollback()  # keeps the prepared statements, and clears the flag

    def _plain_transaction(self) -> bool:
        # psycopg's own rollback also leaves a pipeline, refuses inside its transaction() blocks and two-phase
        # commits: none of which SQLAlchemy uses, so anything unusual goes psycopg's way.
        return (self.pgconn.transaction_status == pq.TransactionStatus.INTRANS
                and not getattr(self, "_pipeline", None) and not getattr(self, "_tpc", None)
                and not getattr(self, "_num_transactions", 0))


def engine_options(database_uri: str, options: Mapping) -> dict:
    """Return the engine options for a database: psycopg's pool checks its connections by their BEGIN instead.

    A pre-ping on SQLite checks nothing (a file has no server to drop the connection); on psycopg the BEGIN sent by
    `begin_on_checkout` is the check.
    """
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite" or is_psycopg(url.get_dialect()):
        return {**options, "pool_pre_ping": False}
    return dict(options)


def read_with_begin(sql: str) -> None:
    """Send this one-value read with every checkout's BEGIN from now on (see the module's docstring)."""
    global _begin_read  # noqa: PLW0603 - one read for the process, set once at import by the module that reads it
    _begin_read = sql.encode()


def begin_read(dbapi_connection) -> object:
    """Return the value read with the connection's BEGIN as text (None for no row) and forget it; NOT_READ when there
    is none: another driver, another transaction, or taken already."""
    if isinstance(dbapi_connection, KeptPreparedConnection):
        return dbapi_connection.take_begin_read()
    return NOT_READ


def begin_on_checkout(engine: Engine) -> None:
    """Make the engine's pool open each psycopg connection's transaction as it hands it out (see the docstring)."""
    if is_psycopg(engine.dialect):
        event.listen(engine, "checkout", _begin_checked)


def _begin_checked(dbapi_connection, connection_record, connection_proxy) -> None:
    if isinstance(dbapi_connection, KeptPreparedConnection):
        dbapi_connection.begin_checked()


def is_psycopg(dialect) -> bool:
    """Return whether the dialect is PostgreSQL through psycopg 3."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


@event.listens_for(Engine, "do_connect")
def _connect_keeping_prepared(dialect, connection_record, cargs, cparams):
    if is_psycopg(dialect):
        connection = KeptPreparedConnection.connect(*cargs, **cparams)
        wire.attach(connection)
        return connection
    return None


@event.listens_for(Engine, "before_cursor_execute")
def _note_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    raw = cursor.connection
    if isinstance(raw, KeptPreparedConnection):
        raw.began_on_checkout = False  # the transaction is no longer empty: a change of settings must not end it
        noted = _NOTED.match(statement)
        if noted is not None:
            word = noted.group(1).upper()
            if word != "DEALLOCATE":
                raw.schema_changed = True
            if word in _DROPS_PREPARED and raw.wire_prepared is not None:
                raw.wire_prepared.forget_all()
