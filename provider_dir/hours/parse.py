"""Read and write opening hours: `Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00` and the free text people type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache

DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
END_OF_DAY = time.max  # a period closing at midnight ("24:00")
EVENING_STARTS = time(18, 0)

_DAY_WORDS = {
    "mon": 0, "monday": 0, "mondays": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tuesdays": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "wednesdays": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "thursdays": 3,
    "fri": 4, "friday": 4, "fridays": 4,
    "sat": 5, "saturday": 5, "saturdays": 5,
    "sun": 6, "sunday": 6, "sundays": 6,
}
_DAY_GROUPS = {"daily": range(7), "every day": range(7), "weekdays": range(5), "weekends": range(5, 7)}
_DAY_ALTERNATIVES = "|".join(sorted(_DAY_WORDS, key=len, reverse=True))
_DAY = rf"(?:{_DAY_ALTERNATIVES})\.?"
_GROUP = "|".join(_DAY_GROUPS)
_RANGE_SEP = r"\s*(?:-|–|—|to|through|thru)\s*"
_DAY_ITEM = rf"(?:{_DAY}(?:{_RANGE_SEP}{_DAY})?|{_GROUP})"
_DAYS = rf"{_DAY_ITEM}(?:\s*(?:,|&|and|/)\s*{_DAY_ITEM})*"
_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?|noon|midnight)"
_SPAN = rf"{_CLOCK}{_RANGE_SEP}{_CLOCK}"
_SPANS = rf"{_SPAN}(?:\s*(?:,|&|and|/)\s*{_SPAN})*"
_SEGMENT = re.compile(rf"^(?P<days>{_DAYS})\s*:?\s*(?:(?P<spans>{_SPANS})|(?P<closed>closed))$", re.I)
_SPAN_RE = re.compile(rf"(?P<opens>{_CLOCK}){_RANGE_SEP}(?P<closes>{_CLOCK})", re.I)
_CLOCK_RE = re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap])?", re.I)


@dataclass(frozen=True, order=True)
class Period:
    """One opening period on one weekday (0 = Monday); `closes` is END_OF_DAY for midnight."""

    day: int
    opens: time
    closes: time


@dataclass
class ParsedHours:
    """What a text said: the periods understood, the rest kept as a note, and whether all of it was understood."""

    periods: list[Period] = field(default_factory=list)
    note: str = ""
    understood: bool = True


def parse_hours(text: str) -> ParsedHours:
    """Return the periods a text of opening hours gives; what is not understood stays in the note."""
    periods: list[Period] = []
    leftovers: list[str] = []
    for segment in (s.strip(" .") for s in re.split(r"[;\n]+", text or "")):
        if not segment:
            continue
        found = _segment_periods(segment)
        if found is None:
            leftovers.append(segment)
        else:
            periods.extend(found)
    return ParsedHours(merge_periods(periods), "; ".join(leftovers), not leftovers)


def merge_periods(periods: list[Period]) -> list[Period]:
    """Return the periods sorted by day and time, overlapping or touching periods of a day joined."""
    merged: list[Period] = []
    for period in sorted(set(periods)):
        last = merged[-1] if merged else None
        if last and last.day == period.day and period.opens <= last.closes:
            merged[-1] = Period(last.day, last.opens, max(last.closes, period.closes))
        else:
            merged.append(period)
    return merged


def format_periods(periods: list[Period]) -> str:
    """Return periods in the import format, e.g. `Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00`."""
    by_day: dict[int, list[Period]] = {}
    for period in merge_periods(periods):
        by_day.setdefault(period.day, []).append(period)
    return "; ".join(f"{DAY_ABBREVIATIONS[day]} " + ",".join(f"{clock(p.opens)}-{clock(p.closes)}" for p in spans)
                     for day, spans in sorted(by_day.items()))


def clock(moment: time) -> str:
    """Return HH:MM, with midnight at the end of a day as 24:00."""
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


# Kept by text: a clinic page reads its clinic's stored hours (some ten clocks), and clinics share the same few.
@lru_cache(maxsize=2048)
def parse_clock(text: str) -> time:
    """Return the time of an HH:MM text (24:00 is the end of the day); ValueError when it is not one."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time such as 09:30")
    hour, minute = int(match[1]), int(match[2])
    if (hour, minute) == (24, 0):
        return END_OF_DAY
    return time(hour, minute)  # raises ValueError out of range


def periods_to_json(periods: list[Period]) -> list[dict]:
    """Return periods as stored: [{"day": 0, "opens": "09:00", "closes": "17:00"}, ...]."""
    return [{"day": p.day, "opens": clock(p.opens), "closes": clock(p.closes)} for p in merge_periods(periods)]


def periods_from_json(items: list[dict] | None) -> list[Period]:
    """Return the periods a stored list holds."""
    return [Period(int(i["day"]), parse_clock(i["opens"]), parse_clock(i["closes"])) for i in items or ()]


def open_evenings(periods: list[Period]) -> bool:
    """Whether some period runs past 6 pm."""
    return any(p.closes > EVENING_STARTS for p in periods)


def open_weekends(periods: list[Period]) -> bool:
    """Whether some period falls on a Saturday or a Sunday."""
    return any(p.day >= 5 for p in periods)


def _segment_periods(segment: str) -> list[Period] | None:
    match = _SEGMENT.match(segment)
    if not match:
        return None
    days = _days(match["days"])
    if match["closed"]:
        return []
    spans = [_span(m["opens"], m["closes"]) for m in _SPAN_RE.finditer(match["spans"])]
    if not days or any(span is None for span in spans):
        return None
    return [Period(day, opens, closes) for day in days for opens, closes in spans]


def _days(text: str) -> list[int]:
    days: list[int] = []
    for item in re.split(r"\s*(?:,|&|\band\b|/)\s*", text.strip().lower()):
        if item in _DAY_GROUPS:
            days.extend(_DAY_GROUPS[item])
            continue
        ends = [_DAY_WORDS[w.rstrip(".")] for w in re.split(_RANGE_SEP, item)]
        first, last = ends[0], ends[-1]
        days.extend(range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)])
    return sorted(set(days))


def _span(opens_text: str, closes_text: str) -> tuple[time, time] | None:
    opens, opens_half = _clock(opens_text)
    closes, closes_half = _clock(closes_text)
    if opens is None or closes is None:
        return None
    if (opens_half is None and closes_half is None and closes <= opens < 12 * 60
            and not closes_text.strip().startswith("0")):
        closes += 12 * 60  # "9-5": the afternoon is meant
    if opens_half is None and closes_half == "p" and opens + 12 * 60 < closes:
        opens += 12 * 60  # "1-5 pm"
    if closes == 0 and closes_text.strip().lower() == "midnight" or closes == 24 * 60:
        closes = 24 * 60
    if not 0 <= opens < closes <= 24 * 60:
        return None
    return _time(opens), _time(closes)


def _clock(text: str) -> tuple[int | None, str | None]:
    """Return minutes since midnight and the am/pm letter given, if any."""
    word = text.strip().lower()
    if word == "noon":
        return 12 * 60, "p"
    if word == "midnight":
        return 24 * 60, "a"
    match = _CLOCK_RE.fullmatch(re.sub(r"\s+|\.(?!\d)", "", word).replace("m", ""))
    if not match:
        return None, None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), (match["half"] or "").lower() or None
    if minute > 59 or hour > 24 or (half and not 1 <= hour <= 12):
        return None, None
    if half == "p" and hour != 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return hour * 60 + minute, half


def _time(minutes: int) -> time:
    return END_OF_DAY if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)
