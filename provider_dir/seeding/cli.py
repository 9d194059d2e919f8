"""flask seed: demo data from seeds/, or synthetic clinics for scale work."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic


@click.command("seed")
@click.option("--synthetic", type=click.IntRange(min=1), default=None, metavar="N",
              help="Add N synthetic clinics (with staff, credentials, answers and reviews) instead of the demo data.")
@click.option("--random-seed", type=int, default=1, show_default=True, help="Random seed for --synthetic.")
@click.option("--if-empty", is_flag=True, help="Load the demo data only when there are no clinics yet.")
@with_appcontext
def seed_command(synthetic: int | None, random_seed: int, if_empty: bool) -> None:
    """Load the demo data (or add N synthetic clinics)."""
    if synthetic is not None:
        _seed_synthetic(synthetic, random_seed)
        return
    existing = db.session.scalar(select(func.count()).select_from(Clinic))
    if existing:
        if if_empty:
            click.echo(f"The database already has {existing} clinics; skipped loading the demo data.")
            return
        raise click.ClickException(
            f"The database already has {existing} clinics; the demo data loads only into an empty database. "
            "Use --if-empty to skip quietly, or start from a fresh database."
        )
    _seed_demo()


def _seed_demo() -> None:
    from provider_dir.scoring.services import recompute_all as recompute_scores
    from provider_dir.seeding.demo import load_demo, read_demo_files

    started = time.perf_counter()
    files = read_demo_files()
    with click.progressbar(length=files.row_count(), label="Loading demo data", file=sys.stderr) as bar:
        counts = load_demo(db.session, files, progress=bar.update)
    recompute_scores(db.session)  # bulk inserts bypass the events that keep scores current
    db.session.commit()
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    click.echo(f"Loaded the demo data ({summary}) in {time.perf_counter() - started:.1f} s. "
               "Everything in it is fictional; the demo accounts are for development only.")


def _seed_synthetic(n: int, random_seed: int) -> None:
    from provider_dir.seeding.bulk import indexes_built_after
    from provider_dir.seeding.synthetic import BATCH_TABLES, add_synthetic_clinics

    started = time.perf_counter()
    # Into a new database, the indexes that are not in load order are built once at the end.
    with indexes_built_after(db.session, BATCH_TABLES), \
            click.progressbar(length=n, label=f"Adding {n} synthetic clinics", file=sys.stderr) as bar:
        add_synthetic_clinics(db.session, n, random_seed, progress=bar.update, commit=True)
    db.session.commit()
    elapsed = time.perf_counter() - started
    click.echo(f"Added {n} synthetic clinics (seed {random_seed}) in {elapsed:.1f} s ({n / elapsed:,.0f} clinics/s).")
    click.echo("Their quality scores are not computed yet: run `flask --app provider_dir scores recompute --due`.")
