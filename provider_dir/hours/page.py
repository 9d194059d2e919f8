"""The clinic page's hours, computed as the page renders, with the kept page held no longer than they are right."""

from __future__ import annotations

from datetime import UTC, datetime

from provider_dir.hours.display import ClinicHours, clinic_hours
from provider_dir.pagecache.hooks import keep_for


def current_instant() -> datetime:
    """Return now, in UTC (tests replace it to stand on a chosen instant)."""
    return datetime.now(UTC)


def page_hours(clinic) -> ClinicHours | None:
    """Return a clinic's hours for its page; a kept copy of the page expires when open-now or today changes."""
    at = current_instant()
    hours = clinic_hours(clinic, at)
    if hours is not None and hours.fresh_until is not None:
        keep_for((hours.fresh_until - at).total_seconds())
    return hours
