"""The synthetic seed writes chunk by chunk without reading the tables it grows, then refreshes in ranges."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.seeding.synthetic import add_synthetic_clinics
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_chunk_of_the_seed_reads_nothing_beyond_itself(app, statistics):
    seed_clinics(db.session, 4)  # a database that already holds clinics: the seed continues after them
    with_statistics(db.session, statistics)
    with watching() as sent:
        add_synthetic_clinics(db.session, 6, seed=9, today=date(2026, 11, 26), chunk=2, workers=0)
    assert db.session.scalar(select(func.count()).select_from(Clinic)) == 10
    # Per chunk: the rows of clinics, staff, credentials, answers and reviews.
    assert_per_range_statements_bounded(db.session, sent, at_least=5)
