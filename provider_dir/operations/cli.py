"""flask backup PATH: a consistent copy of the database while the app serves."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from provider_dir.operations.backup import BackupError, backup_sqlite, pg_dump_plan, run_pg_dump, sqlite_path


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Copy the database into PATH (SQLite: a database file; PostgreSQL: a pg_dump custom-format file)."""
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists already; choose another path or pass --force.")
    if not path.parent.is_dir():
        raise click.ClickException(f"The folder {path.parent} does not exist.")
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        source = sqlite_path(url)
        if source is not None:
            backup_sqlite(source, path)
            click.echo(f"Copied {source.name} into {path} (integrity check: ok).")
            return
        if make_url(url).get_backend_name() != "postgresql":
            raise click.ClickException("flask backup knows SQLite files and PostgreSQL only.")
        plan = pg_dump_plan(url, path)
        click.echo(f"PostgreSQL is copied with pg_dump: {plan.shown()} (password from PGPASSWORD)")
        run_pg_dump(plan)
        click.echo(f"Wrote {path}; restore it with: pg_restore --no-owner --dbname=NEW_DATABASE {path}")
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
