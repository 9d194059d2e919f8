"""What the clinic page shows about hours: a row per weekday, today's marked, and open now or closed now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from provider_dir.hours.now import OpenNow, fresh_until, open_now, twelve_hour
from provider_dir.hours.parse import DAY_NAMES, Period, periods_from_json
from provider_dir.hours.zones import clinic_zone
from provider_dir.listings.vocab import Closure


@dataclass(frozen=True)
class DayRow:
    """One weekday of the table: its name, its periods in words (none: closed), and whether it is today."""

    day: int
    name: str
    spans: list[str]
    is_today: bool


@dataclass(frozen=True)
class ClinicHours:
    """A clinic's hours as its page shows them, and until when that page is right."""

    rows: list[DayRow]
    note: str
    status: OpenNow | None
    zone: str
    fresh_until: datetime | None


@lru_cache(maxsize=4096)  # periods repeat from clinic to clinic (9:00 am to 5:00 pm)
def span_text(period: Period) -> str:
    """Return a period in words, e.g. "9:00 am to 5:00 pm"."""
    return f"{twelve_hour(period.opens)} to {twelve_hour(period.closes)}"


def week_rows(periods: list[Period], today: int | None) -> list[DayRow]:
    """Return the seven weekday rows, Monday first."""
    return [DayRow(day, DAY_NAMES[day], [span_text(p) for p in periods if p.day == day], day == today)
            for day in range(7)]


def clinic_hours(clinic, at: datetime) -> ClinicHours | None:
    """Return what the page shows of a clinic's hours at an instant; None when it gives neither periods nor a note."""
    periods = periods_from_json(clinic.opening_hours)
    if not periods:
        return ClinicHours([], clinic.hours, None, "", None) if clinic.hours else None
    zone = clinic_zone(clinic)
    status = open_now(periods, zone, at)
    rows = week_rows(periods, status.today)
    if clinic.effective_closure(status.local.date()) != Closure.OPEN:
        status = None  # the closure notice says it all; "open now" would contradict it
    return ClinicHours(rows, clinic.hours or "", status, zone.key, fresh_until(status) if status else None)
