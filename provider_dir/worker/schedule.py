"""When each daily job is due: one period a day, starting at the job's time in UTC. No Flask."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

_HH_MM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class ScheduleError(ValueError):
    """A job time that does not read as HH:MM."""


def parse_time(text: str, name: str) -> time:
    """Read a job's time of day (HH:MM, UTC); raise ScheduleError naming the setting otherwise."""
    match = _HH_MM.fullmatch(text.strip())
    if not match:
        raise ScheduleError(f"The time of the {name} job must be HH:MM in UTC (for example 02:30), not {text!r}.")
    return time(int(match[1]), int(match[2]), tzinfo=UTC)


def current_period(now: datetime, at: time) -> date:
    """Return the day of the latest run that was due at or before now (yesterday's when today's time is to come).

    A worker that was stopped at the job's time therefore runs it once when it starts again (as systemd's
    Persistent=true timers do), and never more than once per day.
    """
    today = now.astimezone(UTC).date()
    return today if now >= datetime.combine(today, at) else today - timedelta(days=1)
