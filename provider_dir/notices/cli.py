"""flask notices expiring."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from provider_dir.notices.expiring import WITHIN_DAYS, send_expiring_notices

notices_group = AppGroup("notices", help="Notices to clinic owners.")


@notices_group.command("expiring")
@click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if today were this date (YYYY-MM-DD); default: today.",
)
def expiring_command(today) -> None:
    """Mail owners the credentials expiring within 60 days (run daily; each is noticed once per expiry date)."""
    day = today.date() if today else date.today()
    summary = send_expiring_notices(day)
    click.echo(
        f"Expiring within {WITHIN_DAYS} days of {day.isoformat()}: told the owners of {summary.clinics} "
        f"clinic(s) about {summary.credentials} credential(s) in {summary.emails} email(s) (queued for the worker)."
    )
    if summary.failures:
        for failure in summary.failures:
            click.echo(f"Not queued, will be tried again on the next run: {failure}", err=True)
        raise SystemExit(1)
