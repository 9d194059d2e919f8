"""Where the test suite keeps its databases: SQLite files, or sibling PostgreSQL databases."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from provider_dir.config import normalise_database_url


def server_url() -> str | None:
    """Return the PostgreSQL URL the suite was asked to use, or None for SQLite."""
    url = os.environ.get("DATABASE_URL")
    return normalise_database_url(url) if url else None


def database_url(purpose: str, tmp_dir: Path) -> str:
    """Return an empty database URL for one purpose (main, migrations, e2e)."""
    base = server_url()
    if base is None:
        path = tmp_dir / f"{purpose}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(base)
    name = url.database if purpose == "main" else f"{url.database}_{purpose}"
    recreate_postgres_database(url, name)
    return url.set(database=name).render_as_string(hide_password=False)


def recreate_postgres_database(url, name: str) -> None:
    """Create the database if needed and leave it with an empty public schema."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = create_engine(url.set(database=name), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
