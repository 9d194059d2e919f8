"""The opening-hours widget of the listing forms: a fieldset per weekday, "Closed" or up to three periods.

It works without JavaScript: every day posts its own `<input type="time">` pairs, and the server checks them
(times valid, closing after opening, no overlaps) and keeps what was typed when it refuses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time

from wtforms import Field
from wtforms.utils import unset_value

from provider_dir.hours.now import twelve_hour
from provider_dir.hours.parse import DAY_NAMES, END_OF_DAY, Period, clock

SLOTS_PER_DAY = 3
MAX_SLOTS = 8  # a day imported with more periods still shows (and posts back) all of them
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?\s*(?P<half>[ap])?\.?\s*m?\.?$",
                   re.I)


@dataclass
class DayEntry:
    """One weekday as the widget shows it: "Closed" ticked or not, the typed times, and its errors."""

    day: int
    closed: bool = False
    slots: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The weekday's name."""
        return DAY_NAMES[self.day]


def read_time(text: str) -> time:
    """Return the time a box holds ("17:30" from a time input, or "5:30 pm" typed); ValueError when it is none."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour == 24 and minute == 0:
        return END_OF_DAY
    return time(hour, minute)  # ValueError past 23:59


def _box(moment: time, closing: bool) -> str:
    """Return a time as an `<input type="time">` shows it; midnight at the end of a day is 00:00 there."""
    return "00:00" if closing and moment == END_OF_DAY else clock(moment)


class WeekHoursField(Field):
    """A week of opening periods; `data` is the list of periods, or None when the form did not post the widget."""

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.errors = []
        periods = [] if data is unset_value or data is None else list(data)
        self.object_data = periods
        if formdata is not None and any(key.startswith(f"{self.name}-") for key in formdata):
            self.days = [self._posted_day(formdata, day) for day in range(7)]
            self.data = None  # set by pre_validate once the times are understood
            self.posted = True
        else:
            self.set_periods(periods)
            self.posted = False

    def set_periods(self, periods: list[Period]) -> None:
        """Show stored periods (a day without any is "Closed" when the week has some)."""
        self.data = list(periods)
        self.days = []
        for day in range(7):
            slots = [(clock(p.opens), _box(p.closes, closing=True)) for p in periods if p.day == day]
            entry = DayEntry(day, closed=bool(periods) and not slots, slots=slots)
            entry.slots += [("", "")] * (SLOTS_PER_DAY - len(slots))
            self.days.append(entry)

    def _posted_day(self, formdata, day: int) -> DayEntry:
        prefix = f"{self.name}-{day}"
        slots = []
        for slot in range(MAX_SLOTS):
            opens, closes = formdata.get(f"{prefix}-opens-{slot}"), formdata.get(f"{prefix}-closes-{slot}")
            if opens is None and closes is None:
                if slot >= SLOTS_PER_DAY:
                    break
                opens = closes = ""
            slots.append(((opens or "").strip()[:20], (closes or "").strip()[:20]))
        return DayEntry(day, closed=bool(formdata.get(f"{prefix}-closed")), slots=slots)

    def pre_validate(self, form) -> None:
        if not self.posted:
            return
        periods: list[Period] = []
        for entry in self.days:
            entry.errors = []
            found = _day_periods(entry)
            if entry.errors:
                self.errors.extend(f"{entry.name}: {message}" for message in entry.errors)
            periods.extend(found)
        self.data = None if self.errors else periods


def _day_periods(entry: DayEntry) -> list[Period]:
    """Return a day's periods, adding to entry.errors what is wrong with the times typed."""
    found: list[tuple[int, Period]] = []
    for number, (opens_text, closes_text) in enumerate(entry.slots, start=1):
        if not opens_text and not closes_text:
            continue
        if not opens_text or not closes_text:
            entry.errors.append(f"period {number}: give both the opening and the closing time.")
            continue
        times = []
        for text, what in ((opens_text, "opening"), (closes_text, "closing")):
            try:
                times.append(read_time(text))
            except ValueError:
                entry.errors.append(f"period {number}: the {what} time “{text}” is not a time; give it as 09:30 or "
                                    "9:30 am.")
        if len(times) < 2:
            continue
        opens, closes = times
        if closes == time(0):
            closes = END_OF_DAY  # closing at 12:00 am means at midnight, the end of this day
        if opens == END_OF_DAY or closes <= opens:
            entry.errors.append(f"period {number}: the closing time ({twelve_hour(closes)}) must be after the opening "
                                f"time ({twelve_hour(opens)}). For hours past midnight, close this day at 12:00 am "
                                "and open the next day at 12:00 am.")
            continue
        found.append((number, Period(entry.day, opens, closes)))
    found.sort(key=lambda pair: pair[1])
    for (first, earlier), (second, later) in zip(found, found[1:], strict=False):
        if later.opens < earlier.closes:
            numbers = sorted((first, second))
            entry.errors.append(f"periods {numbers[0]} and {numbers[1]} overlap ({_words(earlier)} and "
                                f"{_words(later)}); make one end before the other begins.")
    if entry.closed and found:
        entry.errors.append("“Closed” is ticked but times are given; untick “Closed” or clear the times.")
    return [period for _, period in found]


def _words(period: Period) -> str:
    return f"{twelve_hour(period.opens)} to {twelve_hour(period.closes)}"
