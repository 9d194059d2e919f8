"""flask reviews recompute: rebuild every clinic's rating figures and the site-wide prior."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.reviews.figures.ratings import recompute_all, stored_prior


@click.command("recompute")
@with_appcontext
def recompute_command() -> None:
    """Recompute every clinic's review count, mean and Bayesian rating from approved reviews."""
    low, high = db.session.execute(select(func.min(Clinic.id), func.max(Clinic.id))).one()
    span = (high - low + 1) if high is not None else 0
    with click.progressbar(length=span, label="Recomputing clinic ratings", file=sys.stderr) as bar:
        written = recompute_all(db.session, progress=bar.update)
    prior = stored_prior(db.session)
    mean = f"{prior.mean:.3f}" if prior.mean is not None else "none yet"
    db.session.commit()
    click.echo(
        f"Recomputed the ratings of {written} clinics from {prior.review_count} approved reviews "
        f"(site mean {mean}, prior weight {prior.weight})."
    )
