"""The list endpoints' query parameters: parsed and checked without Flask, each refusal naming its parameter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_SEARCH = 100
MAX_PROXIMITY_M = 804_672  # 500 miles, the site's widest search
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
POSTCODE = r"^[0-9]{5}$"
FORMATS = ("json", "ndjson")
# RFC 3339 date-time, as JSON Schema's `date-time` format reads it (lower-case t and z, any offset).
DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
TRUE, FALSE = ("true", "1"), ("false", "0")

# Parameters of each list endpoint, beside the common page, per_page and format.
FILTERS = {
    "services": ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after"),
    "organizations": ("search",),
    "service_at_locations": ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                             "postcode", "proximity"),
    "taxonomies": ("search",),
    "taxonomy_terms": ("search", "taxonomy_id", "top_only", "parent_id"),
}
COMMON = ("page", "per_page", "format")


class BadParameters(ValueError):
    """Raised with every refused parameter and the reason, e.g. {"page": ["..."]}."""

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields
        super().__init__(" ".join(f"{name}: {' '.join(reasons)}" for name, reasons in fields.items()))


@dataclass(frozen=True)
class ListQuery:
    """One list request: its page and its filters (None where not given)."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    format: str = "json"
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None
    proximity_m: float | None = None
    top_only: bool | None = None
    parent_id: str | None = None

    def filters(self) -> tuple:
        """Return what selects the items, without the page asked for (a key for kept results)."""
        return (self.search, self.taxonomy_term_id, self.taxonomy_id, self.organization_id, self.modified_after,
                self.postcode, self.proximity_m)


def _integer(text: str, low: int, high: int, what: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text.strip()):
        raise ValueError(f"Give a whole number from {low} to {high} ({what}).")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"Give a whole number from {low} to {high} ({what}).")
    return value


def parse_datetime(text: str) -> datetime:
    """Return an RFC 3339 date-time as an aware UTC datetime (year 0 reads as the earliest time Python has)."""
    match = DATE_TIME.match(text.strip())
    if not match:
        raise ValueError("Give a date and time as in 2026-11-30T00:00:00Z (RFC 3339).")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    offset = match.group(8).upper()
    shift = 0
    if offset != "Z":
        if int(offset[1:3]) > 23 or int(offset[4:6]) > 59:
            raise ValueError("Give a time offset from -23:59 to +23:59, or Z.")
        shift = (1 if offset[0] == "+" else -1) * (int(offset[1:3]) * 60 + int(offset[4:6]))
    try:
        # Year 0 exists in RFC 3339 but not in Python: check the day in year 4 (a leap year too), then use the minimum.
        local = datetime(year or 4, month, day, hour, minute, min(second, 59))  # a leap second reads as :59
    except ValueError:
        raise ValueError("That date and time does not exist; give one as in 2026-11-30T00:00:00Z.") from None
    if year == 0:
        return datetime.min.replace(tzinfo=UTC)
    try:
        return (local - timedelta(minutes=shift)).replace(tzinfo=UTC)
    except OverflowError:
        return (datetime.min if shift > 0 else datetime.max).replace(tzinfo=UTC)


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE or value in FALSE:
        return value in TRUE
    raise ValueError("Give true or false.")


def parse(endpoint: str, args: dict[str, list[str]]) -> ListQuery:
    """Return the list query of one endpoint from its query arguments; raise BadParameters naming each fault."""
    known = COMMON + FILTERS[endpoint]
    fields: dict[str, list[str]] = {}
    for name in sorted(set(args) - set(known)):
        fields[name] = [f"Unknown parameter. This list takes: {', '.join(known)}."]
    for name, values in args.items():
        if name in known and len(values) > 1:
            fields[name] = ["Give this parameter once."]
    values: dict[str, object] = {}

    def read(name: str, convert) -> None:
        if name in args and name not in fields:
            try:
                values[name] = convert(args[name][0])
            except ValueError as exc:
                fields[name] = [str(exc)]

    read("page", lambda t: _integer(t, 1, MAX_PAGE, "the page number"))
    read("per_page", lambda t: _integer(t, 1, MAX_PER_PAGE, "results per page"))
    read("format", lambda t: t if t in FORMATS else _fail("Give json (the default) or ndjson."))
    read("search", lambda t: t.strip() if len(t) <= MAX_SEARCH else _fail(f"Give at most {MAX_SEARCH} characters."))
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id", "parent_id"):
        read(name, lambda t: t.lower() if re.fullmatch(UUID, t) else _fail("Give a UUID, as the lists show them."))
    read("modified_after", parse_datetime)
    read("postcode", lambda t: t if re.fullmatch(POSTCODE, t) else _fail("Give a 5-digit US ZIP code."))
    read("proximity", _proximity)
    read("top_only", _boolean)
    if "proximity" in values and "postcode" not in args:
        fields.setdefault("proximity", []).append("Give a postcode too: the distance is measured from its centre.")
    if fields:
        raise BadParameters(fields)
    if "proximity" in values:
        values["proximity_m"] = values.pop("proximity")
    if values.get("search") == "":
        values["search"] = None
    return ListQuery(**values)


def _proximity(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 1 <= value <= MAX_PROXIMITY_M:  # also refuses nan and inf
        raise ValueError(f"Give a distance in metres from 1 to {MAX_PROXIMITY_M:,}.")
    return value


def _fail(message: str):
    raise ValueError(message)
