"""Waits as the monthly totals keep them: whole hours up to two days, then whole days; percentiles from the counts.

Pure functions (no Flask, no database), so the report's arithmetic is tested on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

HOURLY_UNTIL = 48  # hours
LONGEST = 365 * 24  # a wait of a year or more is kept as a year
UNKNOWN = -1


def wait_bucket(submitted: datetime | None, decided: datetime) -> int:
    """Return the bucket of a wait: its hours rounded up, to the hour under two days and to the day above."""
    if submitted is None:
        return UNKNOWN
    hours = max(0, math.ceil((decided - submitted).total_seconds() / 3600))
    if hours > HOURLY_UNTIL:
        hours = math.ceil(hours / 24) * 24
    return min(hours, LONGEST)


def percentile(counts: Iterable[tuple[int, int]], q: float) -> int | None:
    """Return the smallest bucket at or below which a share q of the counted waits fall (None when none are known).

    counts holds (bucket, how many); unknown waits are left out.
    """
    known = sorted((bucket, n) for bucket, n in counts if bucket != UNKNOWN and n > 0)
    total = sum(n for _, n in known)
    if not total:
        return None
    needed = q * total
    running = 0
    for bucket, n in known:
        running += n
        if running >= needed:
            return bucket
    return known[-1][0]


def describe_wait(bucket: int | None) -> str:
    """Return a bucket as people read it: "within 3 h", "within 4 days"."""
    if bucket is None:
        return "n/a"
    if bucket <= 1:
        return "within 1 h"
    if bucket <= HOURLY_UNTIL:
        return f"within {bucket} h"
    return f"within {bucket // 24} days"
