"""Integrity checks of a database: SQLite's integrity_check; on PostgreSQL amcheck over every B-tree index.

amcheck ships with PostgreSQL; when the role may not create the extension, only the table reads are done.
"""

from __future__ import annotations

from sqlalchemy import func, inspect, select, text
from sqlalchemy import table as sql_table
from sqlalchemy.engine import Connection

# Every B-tree index of the public schema, for amcheck's bt_index_check (which reads each one through).
_PG_BTREE_INDEXES = """
SELECT c.oid, c.relname FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_am am ON am.oid = c.relam
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE am.amname = 'btree' AND n.nspname = 'public' AND c.relpersistence != 't'
"""


def integrity_problems(conn: Connection) -> list[str]:
    """Return what the database's own checks find wrong (empty when all is well); every table is read too."""
    problems = []
    if conn.dialect.name == "sqlite":
        found = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if found != ["ok"]:
            problems.extend(found)
        problems.extend(f"foreign key: {row}" for row in conn.exec_driver_sql("PRAGMA foreign_key_check"))
    elif conn.dialect.name == "postgresql":
        problems.extend(_amcheck(conn))
    for table in inspect(conn).get_table_names():
        conn.execute(select(func.count()).select_from(sql_table(table)))
    return problems


def _amcheck(conn: Connection) -> list[str]:
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS amcheck")
    except Exception:  # noqa: BLE001 - a role that may not add extensions still gets every table read
        return []
    problems = []
    for oid, name in conn.execute(text(_PG_BTREE_INDEXES)).all():
        try:
            with conn.begin_nested():
                conn.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        except Exception as exc:  # noqa: BLE001 - every failure of the check is a finding
            problems.append(f"index {name}: {exc}")
    return problems
