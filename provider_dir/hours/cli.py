"""`flask hours unparsed`: the clinics whose hours text was not wholly understood."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic

hours_cli = AppGroup("hours", help="Structured opening hours.")


@hours_cli.command("unparsed")
def unparsed_command() -> None:
    """List the clinics whose hours keep text that is not periods (a note such as "by appointment")."""
    rows = db.session.execute(select(Clinic.slug, Clinic.hours, Clinic.opening_hours)
                              .where(Clinic.hours != "").order_by(Clinic.slug)).all()
    for slug, note, periods in rows:
        click.echo(f"{slug}\t{len(periods or [])} period(s)\t{note}")
    click.echo(f"{len(rows)} clinic(s) with a note about their hours", err=True)

