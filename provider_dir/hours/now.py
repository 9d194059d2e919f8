"""Whether a clinic is open at an instant, and until when, in its own time zone. Plain functions.

Opening and closing times are wall-clock times in the clinic's zone; every comparison is made in UTC, so a
day that is 23 or 25 hours long (daylight saving starts or ends) is counted right. A wall time that does not
exist (2:30 am on the spring-forward day) is read as the same time in the offset before the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from provider_dir.hours.parse import DAY_NAMES, END_OF_DAY, Period

# Open periods are looked up from yesterday (a period running to midnight) to a week ahead.
_DAYS_BACK, _DAYS_AHEAD = 1, 8


@dataclass(frozen=True)
class OpenNow:
    """Whether a clinic is open at an instant; when that changes (in its zone), None when it never opens."""

    is_open: bool
    changes_at: datetime | None
    local: datetime

    @property
    def today(self) -> int:
        """The weekday (0 = Monday) at the clinic."""
        return self.local.weekday()

    def describe(self) -> str:
        """Return e.g. "Open now: closes at 5:00 pm" or "Closed now: opens Monday at 9:00 am"."""
        if self.changes_at is None:
            return "Closed now"
        verb = "closes" if self.is_open else "opens"
        return f"{'Open' if self.is_open else 'Closed'} now: {verb} {_when(self.changes_at, self.local)}"


def open_now(periods: list[Period], zone: ZoneInfo, at: datetime) -> OpenNow:
    """Return whether the periods have the clinic open at `at` (an aware datetime), and until when."""
    now = at.astimezone(UTC)
    local = now.astimezone(zone)
    for start, end in _intervals(periods, zone, local.date()):
        if start <= now < end:
            return OpenNow(True, end.astimezone(zone), local)
        if start > now:
            return OpenNow(False, start.astimezone(zone), local)
    return OpenNow(False, None, local)


def fresh_until(state: OpenNow) -> datetime:
    """Return when a page showing this state goes out of date: the next change, or the clinic's next midnight."""
    zone = state.local.tzinfo
    midnight = datetime.combine(state.local.date() + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    if state.changes_at is None:
        return midnight
    return min(midnight, state.changes_at.astimezone(UTC))


def twelve_hour(moment: time) -> str:
    """Return a time as people read it here: 9:00 am, 12:30 pm, midnight."""
    if moment == END_OF_DAY or moment == time(0):
        return "midnight"
    half = "am" if moment.hour < 12 else "pm"
    return f"{(moment.hour - 1) % 12 + 1}:{moment.minute:02d} {half}"


def _intervals(periods: list[Period], zone: ZoneInfo, today: date) -> list[tuple[datetime, datetime]]:
    """Return the open intervals in UTC around today, sorted, with those that touch (across midnight) joined."""
    found = []
    for offset in range(-_DAYS_BACK, _DAYS_AHEAD):
        day = today + timedelta(days=offset)
        for period in periods:
            if period.day != day.weekday():
                continue
            start = datetime.combine(day, period.opens, tzinfo=zone)
            end = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone) if period.closes == END_OF_DAY
                   else datetime.combine(day, period.closes, tzinfo=zone))
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
    joined: list[tuple[datetime, datetime]] = []
    for start, end in sorted(found):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        elif end > start:
            joined.append((start, end))
    return joined


def _when(moment: datetime, local: datetime) -> str:
    """Return "at 5:00 pm", "tomorrow at 9:00 am" or "Monday at 9:00 am" (wall time in the clinic's zone)."""
    clock = twelve_hour(moment.time())
    days = (moment.date() - local.date()).days
    if clock == "midnight" and days == 1:
        return "at midnight"
    if days == 0:
        return f"at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{DAY_NAMES[moment.weekday()]} at {clock}"
