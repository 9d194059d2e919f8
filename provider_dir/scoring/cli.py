"""flask scores ...: recompute stored scores."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from provider_dir.credentials import lapsed
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.scoring import services

scores_group = AppGroup("scores", help="Quality checklist scores.")


@scores_group.command("recompute")
@click.option("--due", is_flag=True, help="Only clinics never scored or whose evidence had a date pass since.")
@click.option("--batch-size", type=click.IntRange(100, 50_000), default=services.BATCH_SIZE, show_default=True)
def recompute_command(due: bool, batch_size: int) -> None:
    """Recompute and store every clinic's score as of today, with a progress bar.

    Then clear the "verified staff credentials" flag (search filter and pill) of clinics whose verified
    credentials have all expired, which no save or decision does since only the date changed.
    """
    session = db.session
    on = services.today()
    only = services.due_clinic_ids(session, on) if due else None
    count = len(only) if only is not None else session.scalar(select(func.count(Clinic.id)))
    with click.progressbar(length=count, label="Recomputing scores", file=sys.stderr) as bar:

        def after_batch(n: int) -> None:
            session.commit()
            bar.update(n)

        stats = services.recompute_all(session, on, batch_size, after_batch=after_batch, only=only)
    session.commit()
    click.echo(
        f"Recomputed {stats.clinics} clinic scores as of {on.isoformat()} in {stats.seconds:.1f} s: "
        f"{stats.totals_changed} totals changed, {stats.snapshots_written} snapshots written."
    )
    _refresh_lapsed_flags(on, batch_size)


def _refresh_lapsed_flags(on, batch_size: int) -> None:
    session = db.session
    flagged = lapsed.lapsed_flag_clinic_ids(session, on)
    with click.progressbar(length=len(flagged), label="Refreshing credential flags", file=sys.stderr) as bar:

        def after_batch(n: int) -> None:
            session.commit()
            bar.update(n)

        cleared = lapsed.refresh_lapsed_flags(session, on, batch_size, after_batch, flagged)
    session.commit()
    click.echo(
        f"Verified staff credentials lapsed by {on.isoformat()}: cleared the flag of {cleared} clinic(s)."
    )
