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
