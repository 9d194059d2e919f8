"""SQLite bulk jobs get a large page cache while they run, and give the memory back when they end."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db
from provider_dir.reviews.figures import ratings
from provider_dir.scoring import services as scoring
from tests.queryplans import seed_clinics


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a SQLite connection setting (PostgreSQL's shared buffers are the server's)")


def cache_size() -> int:
    return db.session.connection().connection.dbapi_connection.execute("PRAGMA cache_size").fetchone()[0]


def test_the_ratings_recompute_runs_with_the_configured_cache_and_sets_it_back(app, sqlite_only):
    seed_clinics(db.session, 6)
    app.config["SQLITE_BULK_CACHE_MB"] = 64
    before = cache_size()
    during: list[int] = []
    ratings.recompute_all(db.session, batch_size=2, progress=lambda n: during.append(cache_size()))
    assert during and set(during) == {-64 * 1024}  # KiB: 64 MB
    assert cache_size() == before != -64 * 1024


def test_a_job_that_commits_between_batches_sets_the_cache_back_on_its_own_connection(app, sqlite_only):
    seed_clinics(db.session, 6)
    db.session.commit()
    app.config["SQLITE_BULK_CACHE_MB"] = 32
    sqlite_connection = db.session.connection().connection.dbapi_connection
    before = cache_size()
    during: list[int] = []

    def after_batch(n: int) -> None:
        during.append(cache_size())
        db.session.commit()

    stats = scoring.recompute_all(db.session, batch_size=2, after_batch=after_batch)
    assert stats.clinics == 6 and set(during) == {-32 * 1024}
    assert sqlite_connection.execute("PRAGMA cache_size").fetchone()[0] == before
