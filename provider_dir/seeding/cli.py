"""flask seed: demo data from seeds/, or synthetic clinics for scale work."""

import click
from flask.cli import with_appcontext


@click.command("seed")
@click.option("--synthetic", type=int, default=None, help="Add N synthetic clinics instead of the demo data.")
@click.option("--random-seed", type=int, default=1, help="Random seed for --synthetic.")
@click.option("--if-empty", is_flag=True, help="Load the demo data only when there are no clinics yet.")
@with_appcontext
def seed_command(synthetic: int | None, random_seed: int, if_empty: bool) -> None:
    """Load the demo data (or N synthetic clinics)."""
    raise click.ClickException("seeding is being built")
