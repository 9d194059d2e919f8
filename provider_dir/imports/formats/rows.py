"""Check one import row the way the portal's listing form checks an owner's edit, and map it onto a listing.

The limits (lengths, ZIP pattern, price range) and the phone, website and NUL checks are read from the portal's
ListingForm itself, so an imported listing can never hold what an owner could not type. Imports add one rule the
form leaves to escaping: no markup in any text, since a source's HTML is never what a patient should read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from wtforms.validators import Length, NumberRange, Regexp, ValidationError

from provider_dir.core.validators import no_nul
from provider_dir.geo.places.states import STATE_NAMES
from provider_dir.hours.services import hours_columns
from provider_dir.listings.vocab import Closure, Condition, InsuranceOption, Route
from provider_dir.models.base import to_mask
from provider_dir.portal.listings.forms import NewListingForm, phone_check, website_check

REQUIRED = ("source_id", "name", "street", "city", "state", "zip")
LISTING_COLUMNS = ("phone", "website", "routes", "conditions", "price_per_infusion", "price_per_series", "insurance",
                   "languages", "accepting_new_patients", "hours", "description", "closure")
RATING_COLUMNS = ("rating_source", "rating", "rating_count", "rating_url", "rating_date")
# A position given by the file (HSDS locations carry one) is kept instead of geocoding the address.
POSITION_COLUMNS = ("latitude", "longitude")
OPTIONAL = (*LISTING_COLUMNS, *POSITION_COLUMNS, "source_url", *RATING_COLUMNS)
KNOWN = frozenset(REQUIRED + OPTIONAL)
# Where a column's value goes on the listing (name differences only).
ATTRIBUTE = {"zip": "zip_code", "price_per_infusion": "price_per_infusion_usd", "price_per_series": "price_series_usd"}
SOURCE_ID_MAX = 120
RATING_SITE_MAX = 80
MAX_LIST_ITEMS = 20
LANGUAGE_MAX = 40
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|<\s*/?\s*[a-zA-Z]+\s*$|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# Only these characters can start NUL or markup trouble: most values never need the detailed checks.
SUSPECT = re.compile(r"[\x00<&]")
# A plain absolute http(s) address of printable ASCII: the listing form's website check accepts every one of these,
# so only other values go through it (a third of an import's time was spent re-checking ordinary addresses).
PLAIN_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?(?:[/?#][!-~]*)?$")
TRUE_WORDS = frozenset({"yes", "y", "true", "1"})
FALSE_WORDS = frozenset({"no", "n", "false", "0"})
PRICE_TEXT = re.compile(r"^\$?\s*(-?[\d,]+)(?:\.00?)?$")
DIGITS = re.compile(r"\D")
ROUTE_CODES = {member.value: member for member in Route}
CONDITION_CODES = {member.value: member for member in Condition}
INSURANCE_CODES = {member.value: member for member in InsuranceOption}
ROUTE_BITS = {member: to_mask([member], Route) for member in Route}
CONDITION_BITS = {member: to_mask([member], Condition) for member in Condition}


def _validators(name: str) -> list:
    return getattr(NewListingForm, name).kwargs.get("validators", [])


def _max_length(name: str) -> int:
    return next(v.max for v in _validators(name) if isinstance(v, Length))


ZIP_PATTERN = next(v.regex for v in _validators("zip_code") if isinstance(v, Regexp))
PRICE_RANGE = next((v.min, v.max) for v in NewListingForm.price_per_infusion_usd.kwargs["validators"]
                   if isinstance(v, NumberRange))
TEXT_LIMITS = {column: _max_length(ATTRIBUTE.get(column, column))
               for column in ("name", "street", "city", "phone", "website", "hours", "description", "languages")}
TEXT_LIMITS["source_url"] = TEXT_LIMITS["rating_url"] = 300


class _Field:
    """The little of a WTForms field that the portal's validators read."""

    def __init__(self, data: str):
        self.data = data


def form_check(check, value: str) -> str | None:
    """Run one of the listing form's validators on a value; return its message, or None when it passes."""
    try:
        check(None, _Field(value))
    except ValidationError as exc:
        return str(exc)
    return None


@dataclass
class Rating:
    """An outside site's rating as a row gives it."""

    site: str
    stars: float
    count: int | None
    url: str
    rated_on: date


@dataclass
class CheckedRow:
    """A row that passed: listing values (Clinic attributes), its source id and URL, an optional rating."""

    source_id: str
    values: dict
    source_url: str = ""
    rating: Rating | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # taken, but the report says how (hours kept as a note)


def url_message(value: str) -> str | None:
    """Return the listing form's message about a web address, or None when it is acceptable."""
    if PLAIN_URL.match(value):
        return None
    return form_check(website_check, value)


def _text(row: dict, column: str, errors: list[str]) -> str:
    value = row.get(column)
    if not value:
        return ""
    value = value.strip()
    if SUSPECT.search(value):
        if "\x00" in value:
            errors.append(f"{column}: {form_check(no_nul, value)}")
            return ""
        if MARKUP.search(value):
            errors.append(f"{column}: markup such as HTML tags is not allowed; give plain text.")
            return ""
    limit = TEXT_LIMITS.get(column)
    if limit is not None and len(value) > limit:
        errors.append(f"{column}: at most {limit} characters (this has {len(value)}).")
        return ""
    return value


def _codes(row: dict, column: str, vocabulary: dict, errors: list[str]) -> list:
    raw = _text(row, column, errors)
    codes = [part.strip().lower() for part in raw.split(";") if part.strip()]
    unknown = [code for code in codes if code not in vocabulary]
    if unknown:
        errors.append(f"{column}: unknown code {', '.join(repr(c) for c in unknown)}; "
                      f"use {', '.join(vocabulary)} separated by ';'.")
        return []
    return [vocabulary[code] for code in dict.fromkeys(codes)]


def _price(row: dict, column: str, errors: list[str]) -> int | None:
    raw = _text(row, column, errors)
    if not raw:
        return None
    match = PRICE_TEXT.match(raw.replace(" ", ""))
    low, high = PRICE_RANGE
    value = int(match.group(1).replace(",", "")) if match and match.group(1).strip("-,") else None
    if value is None or not low <= value <= high:
        errors.append(f"{column}: give whole US dollars between {low} and {high:,} (not {raw!r}).")
        return None
    return value


def _flag(row: dict, column: str, errors: list[str]) -> bool | None:
    raw = _text(row, column, errors).lower()
    if not raw:
        return None
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    errors.append(f"{column}: give yes or no (not {raw!r}).")
    return None


def _date(raw: str, column: str, today: date, errors: list[str]) -> date | None:
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{column}: give the date as YYYY-MM-DD (not {raw!r}).")
        return None
    if value > today:
        errors.append(f"{column}: {raw} is in the future.")
        return None
    return value


def _rating(row: dict, today: date, errors: list[str]) -> Rating | None:
    if not any((row.get(column) or "").strip() for column in RATING_COLUMNS):
        return None
    before = len(errors)
    site = _text(row, "rating_source", errors)[:RATING_SITE_MAX]
    stars_text, count_text = _text(row, "rating", errors), _text(row, "rating_count", errors)
    url, when = _text(row, "rating_url", errors), _text(row, "rating_date", errors)
    if not site:
        errors.append("rating_source: name the site the rating comes from.")
    try:
        stars = float(stars_text)
        if not 0 <= stars <= 5:
            raise ValueError
    except ValueError:
        errors.append(f"rating: give stars between 0 and 5 (not {stars_text!r}).")
        stars = 0.0
    count = None
    if count_text:
        if count_text.isdigit():
            count = int(count_text)
        else:
            errors.append(f"rating_count: give a whole number of ratings (not {count_text!r}).")
    if url and (message := url_message(url)):
        errors.append(f"rating_url: {message}")
    rated_on = _date(when, "rating_date", today, errors) if when else None
    if not when:
        errors.append("rating_date: give the date the rating was read, as YYYY-MM-DD.")
    if len(errors) > before or rated_on is None:
        return None
    return Rating(site, stars, count, url, rated_on)


def check_row(row: dict, today: date) -> CheckedRow:
    """Check a row (column -> text, column names lower case); errors are listed on the result."""
    errors: list[str] = []
    source_id = _text(row, "source_id", errors)
    if not source_id:
        errors.append("source_id: every row needs the source's id for it.")
    elif len(source_id) > SOURCE_ID_MAX:
        errors.append(f"source_id: at most {SOURCE_ID_MAX} characters.")
    values: dict = {}
    for column, missing in (("name", "Enter the clinic's name."), ("street", "Enter the street address."),
                            ("city", "Enter the city.")):
        values[column] = _text(row, column, errors)
        if not values[column] and not any(e.startswith(f"{column}:") for e in errors):
            errors.append(f"{column}: {missing}")
    state = (row.get("state") or "").strip().upper()
    if state not in STATE_NAMES:
        errors.append(f"state: give a US state's two-letter code such as NY (not {state!r})." if state
                      else "state: Choose the state.")
    values["state"] = state
    zip_code = (row.get("zip") or "").strip()
    if len(zip_code) == 4 and zip_code.isdigit():
        zip_code = "0" + zip_code  # spreadsheets drop New England's leading zero
    if not ZIP_PATTERN.match(zip_code):
        errors.append(f"zip: Enter a 5-digit ZIP code such as 10001 (not {zip_code!r})." if zip_code
                      else "zip: Enter the ZIP code.")
    values["zip_code"] = zip_code
    _optional_values(row, values, errors)
    _closure(row, values, errors)
    checked = CheckedRow(source_id=source_id, values=values, errors=errors, notes=_hours_notes(values))
    if "source_url" in row:
        checked.source_url = _text(row, "source_url", errors)
        if checked.source_url and (message := url_message(checked.source_url)):
            errors.append(f"source_url: {message}")
    checked.rating = _rating(row, today, errors)
    return checked


def _hours_notes(values: dict) -> list[str]:
    """Say what of the hours was kept as a note rather than read as opening times (see _hours)."""
    if not values.get("hours"):
        return []
    return [f"hours: kept as a note, not read as opening times: “{values['hours']}” (opening times read as "
            "Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00)."]


def _closure(row: dict, values: dict, errors: list[str]) -> None:
    """Set the listing's closure when the file states one (HSDS service.status, or a CSV closure column)."""
    value = (row.get("closure") or "").strip().lower()
    if not value:
        return
    try:
        values["closure"] = Closure(value)
    except ValueError:
        errors.append(f"closure: give one of {', '.join(c.value for c in Closure)} (not {value!r}).")


def _optional_values(row: dict, values: dict, errors: list[str]) -> None:
    """Set the optional columns the file has (a column the file lacks leaves the listing's value alone)."""
    for column in ("phone", "website"):
        if column in row:
            value = _text(row, column, errors)
            if value:
                message = form_check(phone_check, value) if column == "phone" else url_message(value)
                if message:
                    errors.append(f"{column}: {message}")
            values[column] = value
    if "description" in row:
        values["description"] = _text(row, "description", errors)
    if "hours" in row:
        _hours(row, values, errors)
    _position(row, values, errors)
    if "routes" in row:
        values["routes_mask"] = sum(ROUTE_BITS[m] for m in _codes(row, "routes", ROUTE_CODES, errors))
    if "conditions" in row:
        values["conditions_mask"] = sum(CONDITION_BITS[m] for m in _codes(row, "conditions", CONDITION_CODES, errors))
    for column in ("price_per_infusion", "price_per_series"):
        if column in row:
            values[ATTRIBUTE[column]] = _price(row, column, errors)
    if "insurance" in row:
        raw = _text(row, "insurance", errors).lower()
        if raw and raw not in INSURANCE_CODES:
            errors.append(f"insurance: give one of {', '.join(INSURANCE_CODES)} (not {raw!r}).")
        values["insurance"] = INSURANCE_CODES.get(raw or "none", InsuranceOption.NONE)
    if "languages" in row:
        parts = [part.strip() for part in _text(row, "languages", errors).split(";") if part.strip()]
        values["languages"] = [part[:LANGUAGE_MAX] for part in parts[:MAX_LIST_ITEMS]] or ["English"]
    if "accepting_new_patients" in row:
        flag = _flag(row, "accepting_new_patients", errors)
        if flag is not None:
            values["accepting_new_patients"] = flag


def _hours(row: dict, values: dict, errors: list[str]) -> None:
    """Store the hours as periods (provider_dir.hours) with what they do not say as the note, as a form save does."""
    raw = (row.get("hours") or "").strip()
    if "\x00" in raw or MARKUP.search(raw):
        _text(row, "hours", errors)  # names the problem
        return
    columns = hours_columns(raw)
    limit = TEXT_LIMITS["hours"]
    if len(columns["hours"]) > limit:
        errors.append(f"hours: the note beside the opening times is at most {limit} characters "
                      f"(this has {len(columns['hours'])}).")
        return
    values.update(columns)


def _position(row: dict, values: dict, errors: list[str]) -> None:
    """Keep the file's latitude and longitude when it gives both (an address is geocoded otherwise)."""
    given = [(row.get(column) or "").strip() if isinstance(row.get(column), str) else row.get(column)
             for column in POSITION_COLUMNS]
    if all(v in (None, "") for v in given):
        return
    try:
        latitude, longitude = (float(v) for v in given)
    except (TypeError, ValueError):
        errors.append(f"latitude, longitude: give both as decimal degrees (not {given[0]!r}, {given[1]!r}).")
        return
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        errors.append(f"latitude, longitude: {latitude}, {longitude} is not a place on Earth.")
        return
    values["latitude"], values["longitude"] = latitude, longitude


def phone_key(phone: str) -> str:
    """Return the last ten digits of a phone number (drops a leading US 1), or '' when too short to compare."""
    digits = DIGITS.sub("", phone or "")
    return digits[-10:] if len(digits) >= 10 else ""
