"""The worker's daily open_data job (and `flask export publish`): make the open-data files anew."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import current_app

from provider_dir.extensions import db
from provider_dir.opendata.publish.exporters import Progress
from provider_dir.opendata.publish.files import publish


def open_data_dir() -> Path:
    """Return the folder the open-data files go to (OPEN_DATA_DIR)."""
    return Path(current_app.config["OPEN_DATA_DIR"])


def publish_open_data(now: datetime, progress: Progress = None) -> str:
    """Write every open-data export into a new publication and serve it from then on."""
    publication = publish(db.session, open_data_dir(), now, progress)
    db.session.rollback()  # read-only: end the reading transaction
    size = sum(f.bytes for f in publication.files)
    return (f"published {publication.clinics} clinic(s) in {len(publication.files)} file(s), "
            f"{size / 1e6:.1f} MB, as {publication.folder.name}")
