"""Writing a clinic's opening hours: the periods, the note and the search flags derived from them, together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from provider_dir.hours.parse import (
    Period,
    format_periods,
    open_evenings,
    open_weekends,
    parse_hours,
    periods_from_json,
    periods_to_json,
)

if TYPE_CHECKING:
    from provider_dir.listings.models import Clinic


def set_opening_hours(clinic: Clinic, periods: list[Period], note: str = "") -> None:
    """Store a clinic's periods and note, and the open-evenings and open-weekends flags that follow from them."""
    clinic.opening_hours = periods_to_json(periods)
    clinic.hours = (note or "").strip()
    clinic.open_evenings = open_evenings(periods)
    clinic.open_weekends = open_weekends(periods)


def set_hours_from_text(clinic: Clinic, text: str) -> bool:
    """Store what a text of hours says (periods, the rest as the note); return whether all of it was understood."""
    parsed = parse_hours(text)
    set_opening_hours(clinic, parsed.periods, parsed.note)
    return parsed.understood


def hours_columns(text: str) -> dict:
    """Return the stored columns for a text of hours, for bulk inserts that build rows as dicts."""
    parsed = parse_hours(text)
    return {"opening_hours": periods_to_json(parsed.periods), "hours": parsed.note,
            "open_evenings": open_evenings(parsed.periods), "open_weekends": open_weekends(parsed.periods)}


def hours_text(clinic: Clinic) -> str:
    """Return a clinic's hours as one text: the periods in the import format, then the note."""
    return "; ".join(part for part in (format_periods(periods_from_json(clinic.opening_hours)), clinic.hours) if part)
