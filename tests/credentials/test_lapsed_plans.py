"""Clearing lapsed "verified staff credentials" flags reads each batch of clinics and their credentials only."""

from __future__ import annotations

import gc
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from provider_dir.credentials import lapsed
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from tests.bulkjobs import BatchWatch
from tests.queryplans import assert_per_range_statements_bounded, seed_clinics, watching, with_statistics

LONG_AFTER = date(2026, 11, 26) + timedelta(days=3 * 365)  # every dated credential has expired by then


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_of_lapsed_flags_reads_only_its_clinics(app, statistics):
    seed_clinics(db.session, 8)
    db.session.execute(update(Clinic).values(has_verified_credentials=True))
    with_statistics(db.session, statistics)
    with watching() as sent:
        ids = lapsed.lapsed_flag_clinic_ids(db.session, LONG_AFTER)
        ids = ids[: len(ids) // 2 * 2]
        cleared = sum(lapsed.clear_lapsed_flags(db.session, ids[i : i + 2], LONG_AFTER) for i in range(0, len(ids), 2))
    assert len(ids) >= 4 and cleared == len(ids)
    still = db.session.scalar(select(func.count()).where(Clinic.id.in_(ids), Clinic.has_verified_credentials))
    assert still == 0
    assert_per_range_statements_bounded(db.session, sent, at_least=1)


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_finding_the_flagged_clinics_reads_their_index_not_the_wide_table(app, statistics):
    """The daily check starts from the flagged clinics' ids (ix_clinic_credentials_flagged), not a pass over the
    clinic table, whose rows (descriptions, hours, lists) are kilobytes each."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN")
    seed_clinics(db.session, 4)
    with_statistics(db.session, statistics)
    with watching() as sent:
        lapsed.lapsed_flag_clinic_ids(db.session, LONG_AFTER)
    (sql,) = [s for s in sent.counts if "has_verified_credentials IS 1" in s]
    plan = [row[-1] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}",
                                                                        tuple(sent.params[sql]))]
    assert any("COVERING INDEX ix_clinic_credentials_flagged" in line for line in plan), plan
    assert not any(line.startswith("SCAN clinic") for line in plan), plan


def test_the_daily_refresh_clears_every_lapsed_flag_in_batches_with_the_bulk_cache_and_the_collector_paused(app):
    seed_clinics(db.session, 8)
    db.session.execute(update(Clinic).values(has_verified_credentials=True))
    flagged = lapsed.lapsed_flag_clinic_ids(db.session, LONG_AFTER)
    app.config["SQLITE_BULK_CACHE_MB"] = 48
    gc.enable()
    watch = BatchWatch(then=lambda n: db.session.commit())

    cleared = lapsed.refresh_lapsed_flags(db.session, LONG_AFTER, batch_size=3, after_batch=watch)

    assert len(flagged) >= 4 and cleared == len(flagged)
    assert lapsed.lapsed_flag_clinic_ids(db.session, LONG_AFTER) == []
    assert watch.sizes == [min(3, len(flagged) - i) for i in range(0, len(flagged), 3)]
    assert not any(watch.collector) and gc.isenabled()
    assert watch.caches == watch.bulk_cache(48)  # KiB: 48 MB while the batches ran
