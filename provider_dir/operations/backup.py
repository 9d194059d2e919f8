"""Consistent copies of a live database: SQLite's online backup API; pg_dump for PostgreSQL. No Flask here."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url


class BackupError(RuntimeError):
    """The copy could not be made; the message says why and what to do."""


@dataclass
class PgDumpPlan:
    """The pg_dump command for a PostgreSQL database; the password travels in PGPASSWORD, never in argv."""

    argv: list[str]
    password: str | None

    def shown(self) -> str:
        """Return the command as a person would type it (the password left out)."""
        return shlex.join(self.argv)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database that may be in use into target, as it stood at one moment.

    The backup API copies every page in one step inside one read transaction, so writers carry on (WAL) and
    the copy is a single point in time. The copy is left in rollback-journal mode: one self-contained file.
    """
    if not source.is_file():
        raise BackupError(f"There is no database at {source}: check DATABASE_URL.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(partial)
    try:
        src.execute("PRAGMA busy_timeout=5000")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        found = [row[0] for row in dst.execute("PRAGMA integrity_check")]
    finally:
        dst.close()
        src.close()
    if found != ["ok"]:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {'; '.join(found[:5])}")
    partial.replace(target)


def pg_dump_plan(url: str | URL, target: Path) -> PgDumpPlan:
    """Return the pg_dump command that writes a custom-format dump of the database at url into target."""
    parsed = make_url(url)
    argv = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    if parsed.host:
        argv.append(f"--host={parsed.host}")
    if parsed.port:
        argv.append(f"--port={parsed.port}")
    if parsed.username:
        argv.append(f"--username={parsed.username}")
    argv.append(parsed.database or "")
    return PgDumpPlan(argv=argv, password=parsed.password)


def run_pg_dump(plan: PgDumpPlan) -> None:
    """Run pg_dump (one snapshot for the whole dump, so the copy is consistent while the app writes)."""
    executable = shutil.which("pg_dump")
    if executable is None:
        raise BackupError(f"pg_dump is not installed here. Install the PostgreSQL client and run: {plan.shown()}")
    env = {**os.environ}
    if plan.password:
        env["PGPASSWORD"] = plan.password
    result = subprocess.run([executable, *plan.argv[1:]], env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def sqlite_path(url: str | URL) -> Path | None:
    """Return the file of a SQLite URL, or None for other databases (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
