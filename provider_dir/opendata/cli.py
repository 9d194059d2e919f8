"""`flask export ...`: the open-data exports (each standard adds its command to this group)."""

from __future__ import annotations

from flask.cli import AppGroup

from provider_dir.opendata.fhir.cli import fhir_command

export_group = AppGroup("export", help="Write the directory as open data in a standard format.")
export_group.add_command(fhir_command)
