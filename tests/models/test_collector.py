"""Bulk jobs pause Python's cyclic garbage collector while they run, and set it back as it was."""

from __future__ import annotations

import gc

import pytest

from provider_dir.extensions import db
from provider_dir.models.collector import collector_paused
from provider_dir.scoring import services as scoring
from tests.queryplans import seed_clinics


@pytest.fixture
def collector_on():
    """Start with the collector running, as in any worker, and leave it running."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_running_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost(collector_on):
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_job_that_fails_still_sets_the_collector_back(collector_on):
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the job failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_score_recompute_runs_every_batch_with_the_collector_paused(app, collector_on):
    seed_clinics(db.session, 6)
    during: list[bool] = []

    stats = scoring.recompute_all(db.session, batch_size=2, after_batch=lambda n: during.append(gc.isenabled()))

    assert stats.clinics == 6 and during == [False, False, False]
    assert gc.isenabled()
