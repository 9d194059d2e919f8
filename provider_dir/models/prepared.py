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
"""

from __future__ import annotations

import re

import psycopg
from psycopg import pq
from sqlalchemy import event
from sqlalchemy.engine import Engine

_DDL = re.compile(r"\s*(CREATE|ALTER|DROP|TRUNCATE|COMMENT|GRANT|REVOKE|REINDEX|CLUSTER|SECURITY|DISCARD)\b",
                  re.IGNORECASE)


class KeptPreparedConnection(psycopg.Connection):
    """A psycopg connection whose rollback keeps the server's prepared statements, unless the schema changed."""

    schema_changed: bool = False

    def rollback(self) -> None:
        """Roll back; keep the prepared statements when the transaction ran no DDL (see the module's docstring)."""
        if self.schema_changed or not self._plain_transaction():
            self.schema_changed = False
            return super().rollback()
        with self.lock:
            result = self.pgconn.exec_(b"ROLLBACK")
        if result.status != pq.ExecStatus.COMMAND_OK:
            super().rollback()  # a lost connection: psycopg's own path raises its error

    def commit(self) -> None:
        """Commit; a committed DROP or ALTER is psycopg's to handle (it forgets the prepared statements)."""
        self.schema_changed = False
        super().commit()

    def _plain_transaction(self) -> bool:
        # psycopg's own rollback also leaves a pipeline, refuses inside its transaction() blocks and two-phase
        # commits: none of which SQLAlchemy uses, so anything unusual goes psycopg's way.
        return (self.pgconn.transaction_status == pq.TransactionStatus.INTRANS
                and not getattr(self, "_pipeline", None) and not getattr(self, "_tpc", None)
                and not getattr(self, "_num_transactions", 0))


def is_psycopg(dialect) -> bool:
    """Return whether the dialect is PostgreSQL through psycopg 3."""
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


@event.listens_for(Engine, "do_connect")
def _connect_keeping_prepared(dialect, connection_record, cargs, cparams):
    if is_psycopg(dialect):
        return KeptPreparedConnection.connect(*cargs, **cparams)
    return None


@event.listens_for(Engine, "before_cursor_execute")
def _note_schema_change(conn, cursor, statement, parameters, context, executemany) -> None:
    raw = cursor.connection
    if isinstance(raw, KeptPreparedConnection) and _DDL.match(statement):
        raw.schema_changed = True
