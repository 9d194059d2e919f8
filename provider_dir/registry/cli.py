"""flask registry load nppes|leie PATH, and flask registry check."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from provider_dir.credentials.models import StaffMember
from provider_dir.extensions import db
from provider_dir.registry.checks.runner import run_all_checks
from provider_dir.registry.files.loading import LEIE, NPPES, load_leie, load_nppes
from provider_dir.registry.files.opening import BadFile, file_size

LOADERS = {NPPES: load_nppes, LEIE: load_leie}


@click.group("registry")
def registry_group() -> None:
    """Load the public registries' files and check every credential against them."""


@registry_group.command("load")
@click.argument("source", type=click.Choice([NPPES, LEIE]))
@click.argument("path", type=click.Path(path_type=Path))
@with_appcontext
def load_command(source: str, path: Path) -> None:
    """Load an NPPES NPI data file or the OIG LEIE file, replacing the previous one in one swap."""
    size = file_size(path) if path.is_file() else 0
    try:
        with click.progressbar(length=size or 1, label=f"Loading {path.name}", file=sys.stderr) as bar:
            summary = LOADERS[source](db.session, path, progress=bar.update)
    except BadFile as exc:
        db.session.rollback()
        click.echo(f"Refused: {exc} The data loaded before is unchanged.", err=True)
        sys.exit(2)
    dated = summary.file_date.isoformat() if summary.file_date else "no date found"
    click.echo(f"Loaded {source.upper()} file {path.name} (dated {dated}): {summary.rows_read} rows read, "
               f"{summary.rows_kept} kept; it replaced {summary.replaced} earlier load(s). "
               "Run `flask registry check` to check the credentials against it.")


@registry_group.command("check")
@with_appcontext
def check_command() -> None:
    """Re-run every registry check of every clinician and credential."""
    total = db.session.scalar(select(func.count()).select_from(StaffMember)) or 0
    with click.progressbar(length=total or 1, label="Checking staff", file=sys.stderr) as bar:
        stats = run_all_checks(db.session, current_app.config, progress=bar.update)
    for note in stats.skipped:
        click.echo(f"Skipped {note}.")
    checked = ", ".join(f"{n} {what}" for what, n in sorted(stats.checked.items())) or "nothing"
    click.echo(f"Checked {checked} in {stats.seconds:.1f} s: {stats.changed} result(s) changed, "
               f"{len(stats.requeued)} credential(s) back in the queue, {stats.possible_exclusions} new possible "
               f"exclusion(s) to confirm" + (f", {stats.api_failures} API failure(s) answered from the file"
                                             if stats.api_failures else "") + ".")
