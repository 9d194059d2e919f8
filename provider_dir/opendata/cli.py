"""flask export hsds PATH, flask export publish: the open-data files, on demand."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.opendata.hsds.export import JSON_NAME, PACKAGE_DIR, clinic_count, export_hsds
from provider_dir.opendata.publish.exporters import EXPORTERS


@click.group("export")
def export_group() -> None:
    """Write the directory in open standards."""


@export_group.command("hsds")
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@with_appcontext
def export_hsds_command(path: Path) -> None:
    """Write the published clinics as HSDS 3.0 into the folder PATH: services.json and datapackage/."""
    if path.exists() and not path.is_dir():
        raise click.ClickException(f"{path} is a file; give a folder (it is created if missing).")
    started = time.perf_counter()
    with click.progressbar(length=clinic_count(db.session), label="Exporting HSDS 3.0", file=sys.stderr) as bar:
        result = export_hsds(db.session, path, bar.update)
    db.session.rollback()
    counts = ", ".join(f"{n} {name}" for name, n in result.counts.items() if n)
    click.echo(f"Wrote {path / JSON_NAME} and {path / PACKAGE_DIR}/ ({counts}) "
               f"in {time.perf_counter() - started:.1f} s.")


@export_group.command("publish")
@with_appcontext
def publish_command() -> None:
    """Make the open-data files now, as the worker's daily open_data job does, and serve them at /open-data."""
    from provider_dir.opendata.publish.job import publish_open_data

    length = clinic_count(db.session) * len(EXPORTERS)
    with click.progressbar(length=length, label="Publishing the open-data files", file=sys.stderr) as bar:
        summary = publish_open_data(utcnow(), bar.update)
    click.echo(summary[0].upper() + summary[1:] + ".")
