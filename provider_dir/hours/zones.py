"""A clinic's time zone: from its coordinates (tzfpy, offline), else its state's (main) zone.

The zone is computed when a page needs it, not stored: coordinates change through the portal, corrections,
imports and the seeds, and a stored zone could fall behind any of them. A lookup takes about a microsecond and is
remembered per process for each place, so the clinic page does not notice it (README, "Structured opening hours").
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The zone of each state; for the states that span two zones, the zone most of its people live in.
STATE_ZONES = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
    "CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
    "DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis", "IA": "America/Chicago",
    "KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago", "ME": "America/New_York",
    "MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
    "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver", "NE": "America/Chicago",
    "NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York", "NM": "America/Denver",
    "NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
    "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York", "RI": "America/New_York",
    "SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
    "UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
    "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver", "PR": "America/Puerto_Rico",
    "VI": "America/St_Thomas", "GU": "Pacific/Guam", "AS": "Pacific/Pago_Pago", "MP": "Pacific/Saipan",
}  # fmt: skip
DEFAULT_ZONE = "America/New_York"


def state_zone(state: str) -> str:
    """Return the zone of a state (its main one where it spans two)."""
    return STATE_ZONES.get((state or "").upper(), DEFAULT_ZONE)


@lru_cache(maxsize=65_536)
def zone_name(latitude: float | None, longitude: float | None, state: str) -> str:
    """Return the IANA zone at a place; the state's zone when the coordinates are missing or fall at sea."""
    if latitude is not None and longitude is not None:
        from tzfpy import get_tz  # imported on first use: it loads its boundaries (~0.15 s, ~35 MB)

        found = get_tz(float(longitude), float(latitude))
        if found and not found.startswith("Etc/") and _known(found):
            return found
    return state_zone(state)


def clinic_zone(clinic) -> ZoneInfo:
    """Return the time zone a clinic keeps its hours in."""
    return ZoneInfo(zone_name(clinic.latitude, clinic.longitude, clinic.state))


def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_STANDARD_NAMES = {"EST": "Eastern", "CST": "Central", "MST": "Mountain", "PST": "Pacific", "AKST": "Alaska",
                   "HST": "Hawaii", "AST": "Atlantic", "ChST": "Chamorro", "SST": "Samoa"}


@lru_cache(maxsize=64)
def zone_label(name: str) -> str:
    """Return a zone as people say it: "Eastern Time", "Mountain Time, no daylight saving"."""
    zone = ZoneInfo(name)
    winter, summer = (datetime(2026, month, 15, 12, tzinfo=zone) for month in (1, 7))
    label = f"{_STANDARD_NAMES.get(winter.tzname() or '', name.rsplit('/', 1)[-1].replace('_', ' '))} Time"
    if winter.utcoffset() == summer.utcoffset() and winter.tzname() == "MST":  # Arizona keeps standard time
        label += ", no daylight saving"
    return label
