"""`reviews recompute` reads each range of clinics and its reviews only, and rewrites only what changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.pagecache.versioning import read_version
from provider_dir.reviews.figures.ratings import recompute_all
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_range_of_the_ratings_recompute_reads_only_its_clinics_and_their_reviews(app, statistics):
    seed_clinics(db.session, 8)
    with_statistics(db.session, statistics)
    with watching() as sent:
        recompute_all(db.session, batch_size=2)
    # Two per range: clear the clinics left with no approved review, write the figures of the others.
    assert_per_range_statements_bounded(db.session, sent, at_least=2)


def test_a_second_recompute_rewrites_no_row_and_leaves_kept_pages_alone(app):
    seed_clinics(db.session, 8)
    recompute_all(db.session, batch_size=3)
    db.session.commit()
    version = read_version(db.session.connection())
    with watching() as sent:
        recompute_all(db.session, batch_size=3)
    db.session.commit()
    assert sum(n for sql, n in sent.rows.items() if sql.lstrip().startswith("UPDATE clinic")) == 0
    assert read_version(db.session.connection()) == version + 1  # the prior row is rewritten: pages go stale


def test_a_recompute_puts_wrong_figures_right_and_kept_pages_see_it(app):
    seed_clinics(db.session, 8)
    db.session.commit()
    rated = db.session.scalars(select(Clinic.id).where(Clinic.rating_count > 0).order_by(Clinic.id)).all()
    right = {c.id: (c.rating_count, c.rating_avg, c.rating_bayes)
             for c in db.session.scalars(select(Clinic).where(Clinic.id.in_(rated)))}  # fmt: skip
    db.session.execute(update(Clinic).where(Clinic.id == rated[0]).values(rating_count=99, rating_avg=1.0))
    db.session.commit()
    version = read_version(db.session.connection())
    with watching() as sent:
        recompute_all(db.session, batch_size=3)
    db.session.commit()
    db.session.expire_all()
    assert {c.id: (c.rating_count, c.rating_avg, c.rating_bayes)
            for c in db.session.scalars(select(Clinic).where(Clinic.id.in_(rated)))} == right  # fmt: skip
    assert sum(n for sql, n in sent.rows.items() if sql.lstrip().startswith("UPDATE clinic")) == 1
    assert read_version(db.session.connection()) > version
    assert db.session.scalar(select(func.count()).where(Clinic.rating_count == 99)) == 0


def clinic_indexes(session) -> set[str]:
    """Return the names of the clinic table's indexes."""
    return set(session.connection().exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clinic'").scalars())


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_a_new_prior_rewrites_every_rated_clinic_through_ranges_and_search_still_sorts_by_the_new_rating(
    app, statistics
):
    seed_clinics(db.session, 8)
    recompute_all(db.session, batch_size=3)
    with_statistics(db.session, statistics)
    indexes = clinic_indexes(db.session)
    old = dict(db.session.execute(select(Clinic.id, Clinic.rating_bayes).where(Clinic.rating_count > 0)).all())
    app.config["REVIEW_PRIOR_WEIGHT"] = 25  # every rated clinic's Bayesian rating moves
    try:
        with watching() as sent:
            recompute_all(db.session, batch_size=3)
    finally:
        app.config.pop("REVIEW_PRIOR_WEIGHT")
    assert_per_range_statements_bounded(db.session, sent, at_least=2)
    # While the ranges were rewritten, the two indexes holding rating_bayes were dropped; they are back.
    assert any(sql.startswith('DROP INDEX "ix_clinic_rating_walk"') for sql in sent.counts)
    assert clinic_indexes(db.session) == indexes
    assert db.session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    db.session.expire_all()
    new = dict(db.session.execute(select(Clinic.id, Clinic.rating_bayes).where(Clinic.rating_count > 0)).all())
    assert new.keys() == old.keys() and all(new[i] != old[i] for i in old)
    # The rating walk that search uses answers from the rebuilt index, in the new order.
    walk = db.session.connection().exec_driver_sql(
        "SELECT id FROM clinic INDEXED BY ix_clinic_rating_walk WHERE status = 'published' AND rating_bayes "
        "IS NOT NULL ORDER BY status, rating_bayes DESC, id").scalars().all()
    by_rating = sorted((i for i in new if i in set(walk)), key=lambda i: (-new[i], i))
    assert walk and walk == by_rating


def test_a_recompute_with_the_same_prior_keeps_every_index(app):
    seed_clinics(db.session, 8)
    recompute_all(db.session, batch_size=3)
    with watching() as sent:
        recompute_all(db.session, batch_size=3)
    assert not any(sql.startswith("DROP INDEX") for sql in sent.counts)
