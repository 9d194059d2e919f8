"""/open-data: what the directory publishes, in which standards, under which licence, and the current files."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_from_directory

from provider_dir.opendata.hsds.mapping import TAXONOMIES
from provider_dir.opendata.publish.files import current
from provider_dir.opendata.publish.job import open_data_dir

bp = Blueprint("opendata", __name__)

# Downloads are made once a day: a client may keep one for an hour, then asks again (304 when unchanged).
FILE_MAX_AGE = 3600


def _schedule() -> str | None:
    """Return the daily job's time (HH:MM UTC) when the worker runs it, else None."""
    jobs = [n.strip() for n in str(current_app.config.get("WORKER_JOBS", "")).split(",")]
    return current_app.config["JOB_TIMES"].get("open_data") if "open_data" in jobs else None


@bp.get("/open-data")
def open_data():
    """Say what is published and why some data is not, and link the current files with their date."""
    publication = current(open_data_dir())
    return render_template("opendata/open_data.html", publication=publication, schedule=_schedule(),
                           taxonomies=[(name, list(vocabulary)) for name, _, vocabulary in TAXONOMIES.values()])


@bp.get("/open-data/files/<name>")
def open_data_file(name: str):
    """Serve one file of the current publication, dated by when it was made."""
    publication = current(open_data_dir())
    published = publication.file(name) if publication else None
    if published is None:
        abort(404, description="No such open-data file: the open-data page lists the current ones.")
    return send_from_directory(publication.folder, published.name, mimetype=published.media_type,
                               as_attachment=True, download_name=published.name, max_age=FILE_MAX_AGE,
                               last_modified=publication.created)
