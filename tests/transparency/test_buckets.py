"""Waits kept as buckets, and percentiles read from them (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from provider_dir.transparency.report.buckets import UNKNOWN, describe_wait, percentile, wait_bucket

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_waits_round_up_to_the_hour_then_to_the_day():
    assert wait_bucket(T0, T0) == 0
    assert wait_bucket(T0, T0 + timedelta(minutes=1)) == 1
    assert wait_bucket(T0, T0 + timedelta(hours=48)) == 48
    assert wait_bucket(T0, T0 + timedelta(hours=49)) == 72
    assert wait_bucket(T0, T0 + timedelta(days=900)) == 365 * 24
    assert wait_bucket(None, T0) == UNKNOWN


def test_percentiles_are_the_smallest_bucket_reaching_the_share():
    counts = [(1, 1), (3, 2), (6, 1), (24, 1), (72, 1), (UNKNOWN, 50)]
    assert percentile(counts, 0.5) == 3
    assert percentile(counts, 0.9) == 72
    assert percentile(counts, 0.1) == 1
    assert percentile([], 0.5) is None
    assert percentile([(UNKNOWN, 3)], 0.5) is None


def test_waits_read_as_people_say_them():
    assert [describe_wait(b) for b in (None, 0, 1, 5, 48, 72)] == [
        "n/a", "within 1 h", "within 1 h", "within 5 h", "within 48 h", "within 3 days"]
