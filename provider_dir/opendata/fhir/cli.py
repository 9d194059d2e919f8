"""`flask export fhir PATH`: the directory as FHIR R4 bulk data shaped by Plan-Net."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app

from provider_dir.extensions import db
from provider_dir.opendata.fhir.export import ExportError, clinics_to_export, write_fhir


@click.command("fhir")
@click.argument("path", type=click.Path(file_okay=False, writable=True))
@click.option("--base-url", default=None,
              help="Public URL of the folder, for the manifest's file URLs (default: SITE_URL/open-data/fhir).")
def fhir_command(path: str, base_url: str | None) -> None:
    """Write NDJSON files (one per resource type) and manifest.json into PATH."""
    if base_url is None:
        site = (current_app.config.get("SITE_URL") or "").rstrip("/")
        base_url = f"{site}/open-data/fhir" if site else ""
    started = time.perf_counter()
    total = clinics_to_export(db.session)
    try:
        with click.progressbar(length=total, label="Writing FHIR bulk data", file=sys.stderr) as bar:
            result = write_fhir(db.session, path, progress=bar.update, base_url=base_url)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    summary = ", ".join(f"{n:,} {kind}" for kind, n in result.counts.items())
    click.echo(f"Wrote FHIR bulk data to {result.directory} in {time.perf_counter() - started:.1f} s: {summary}.")
