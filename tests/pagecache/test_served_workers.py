"""Under gunicorn, every worker keeps its own pages, and all of them notice a write made anywhere."""

from __future__ import annotations

import urllib.request

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.pagecache.hooks import CACHE_HEADER
from tests.databases import database_url
from tests.served import Gunicorn, add_clinics, migrated_app

pytestmark = pytest.mark.slow
WORKERS = 2


def visit(url: str) -> tuple[str, str]:
    """Return the page at url and whether it came from a worker's store (a fresh connection each time)."""
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our loopback server
        return response.read().decode(), response.headers.get(CACHE_HEADER, "")


def test_a_write_from_another_process_reaches_every_workers_kept_pages(tmp_path):
    url = database_url("served", tmp_path)
    app = migrated_app(url)
    with app.app_context():
        [slug] = add_clinics(1, prefix="kept")
    with Gunicorn(url, workers=WORKERS) as server:
        page = f"{server.base_url}/clinics/{slug}"
        # Enough visits that each worker has rendered and kept the page (the master hands connections out).
        before = [visit(page) for _ in range(WORKERS * 10)]
        with app.app_context():
            db.session.scalars(select(Clinic)).one().name = "Renamed Harbor Clinic"
            db.session.commit()  # another process: these workers' stores know nothing of it
        after = [visit(page) for _ in range(WORKERS * 10)]
    assert all("Served Clinic 0" in body for body, _ in before)
    assert [kept for _, kept in before].count("hit") >= len(before) - WORKERS
    assert all("Renamed Harbor Clinic" in body and "Served Clinic 0" not in body for body, _ in after)
    with app.app_context():
        db.engine.dispose()
