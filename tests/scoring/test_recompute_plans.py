"""`scores recompute` (all, and --due) reads each batch of clinics and their evidence only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.scoring import services
from provider_dir.scoring.models import ScoreSnapshot
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics

A_YEAR_ON = date(2026, 11, 26) + timedelta(days=365)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_the_score_recompute_reads_only_its_clinics(app, statistics):
    seed_clinics(db.session, 8)
    with_statistics(db.session, statistics)
    with watching() as sent:
        stats = services.recompute_all(db.session, A_YEAR_ON, batch_size=2)
    assert stats.clinics == 8
    # Per batch: the clinics, their answers, staff and credentials, review tallies, latest snapshots, new totals.
    assert_per_range_statements_bounded(db.session, sent, at_least=5)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_the_due_recompute_reads_only_its_clinics(app, statistics):
    seed_clinics(db.session, 8)
    services.recompute_all(db.session, date(2026, 11, 26))
    with_statistics(db.session, statistics)
    with watching() as sent:
        due = services.due_clinic_ids(db.session, A_YEAR_ON)
        services.recompute_all(db.session, A_YEAR_ON, batch_size=2, only=due[: len(due) // 2 * 2])
    assert len(due) >= 4  # a year on, dated evidence has lapsed somewhere
    assert db.session.scalars(select(ScoreSnapshot.computed_on).where(ScoreSnapshot.computed_on == A_YEAR_ON)).first()
    assert_per_range_statements_bounded(db.session, sent, at_least=5)
