"""flask import clinics PATH [--source NAME] [--dry-run]."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from provider_dir.extensions import db
from provider_dir.imports.errors import Unreadable
from provider_dir.imports.formats.reading import count_rows, open_source
from provider_dir.imports.importer import Importer
from provider_dir.imports.placing import placer_from_config

UNREADABLE_EXIT = 2


@click.group("import")
def import_group() -> None:
    """Bring data in from files."""


@import_group.command("clinics")
@click.argument("path", type=click.Path(path_type=str))
@click.option("--source", "source_name", default=None, metavar="NAME",
              help="The source's name, kept on every listing (default: the file's name).")
@click.option("--dry-run", is_flag=True, help="Check every row and print the report; write nothing.")
@with_appcontext
def import_clinics_command(path: str, source_name: str | None, dry_run: bool) -> None:
    """Import clinics from a CSV file or HSDS 3.0 data (a JSON array of services, or a data package)."""
    try:
        source = open_source(path)
    except Unreadable as exc:
        click.echo(f"Cannot import {path}: {exc}", err=True)
        sys.exit(UNREADABLE_EXIT)
    name = (source_name or source.path.stem).strip() or source.path.stem
    importer = Importer(db.session, name, dry_run=dry_run, place=placer_from_config(current_app.config, db.session))
    try:
        with click.progressbar(length=count_rows(source), label=f"Importing {source.path.name}",
                               file=sys.stderr) as bar:
            report = importer.run(source, progress=bar.update, filename=source.path.name)
    except Unreadable as exc:
        db.session.rollback()
        click.echo(f"Cannot import {path}: {exc}", err=True)
        sys.exit(UNREADABLE_EXIT)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(report.text())
