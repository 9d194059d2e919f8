"""FHIR R4 data types shared by the resource mappings: ids, references, address, telecom, hours, new patients."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from functools import lru_cache

from provider_dir.listings.display import safe_web_url
from provider_dir.listings.vocab import Closure
from provider_dir.opendata.fhir import codes
from provider_dir.opendata.fhir.records import ClinicRow
from provider_dir.opendata.ids import NAMESPACE

_NAMESPACE = NAMESPACE.bytes

# The kind given to public_id for each resource type (one clinic gives one Organization, Location, service).
ID_KINDS = {
    "Organization": "clinic",
    "Location": "location",
    "HealthcareService": "service",
    "Practitioner": "staff",
    "PractitionerRole": "staff_role",
    "VerificationResult": "credential_verification",
}


@lru_cache(maxsize=8192)  # a clinic's resources point at each other: most ids are asked for several times
def resource_id(resource_type: str, key: int) -> str:
    """Return the stable id of a resource: the public UUID of its record (opendata.ids.public_id)."""
    return fast_public_id(ID_KINDS[resource_type], key)


def fast_public_id(kind: str, key: int | str) -> str:
    """Return public_id(kind, key), computed without building uuid.UUID objects (a third of the export's time).

    The same name-based UUID (version 5, RFC 4122): SHA-1 of the namespace and the name, with the version and
    variant bits set; a test checks it equals public_id.
    """
    digest = hashlib.sha1(_NAMESPACE + f"{kind}:{key}".encode(), usedforsecurity=False).hexdigest()
    variant = "89ab"[int(digest[16], 16) & 0x3]
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{variant}{digest[17:20]}-{digest[20:32]}"


def reference(resource_type: str, key: int, display: str = "") -> dict:
    """Return a relative reference to another exported resource."""
    ref = {"reference": f"{resource_type}/{resource_id(resource_type, key)}"}
    if display:
        ref["display"] = display
    return ref


def meta(resource_type: str) -> dict:
    """Return the meta element claiming the Plan-Net profile."""
    return {"profile": [codes.profile(resource_type)]}


def coding(system: str, code: str, display: str = "") -> dict:
    """Return a Coding."""
    value = {"system": system, "code": code}
    if display:
        value["display"] = display
    return value


def concept(system: str, code: str, display: str = "", text: str = "") -> dict:
    """Return a CodeableConcept with one coding."""
    value = {"coding": [coding(system, code, display)]}
    if text:
        value["text"] = text
    return value


def uuid_identifier(resource_type: str, key: int) -> dict:
    """Return our stable identifier as a URI (urn:uuid), the same in the HSDS export."""
    return {"system": codes.URI_SYSTEM, "value": f"urn:uuid:{resource_id(resource_type, key)}"}


def address(clinic: ClinicRow) -> dict:
    """Return the clinic's street address."""
    value = {
        "use": "work",
        "type": "physical",
        "text": f"{clinic.street}, {clinic.city}, {clinic.state} {clinic.zip_code}",
        "line": [clinic.street],
        "city": clinic.city,
        "state": clinic.state,
        "postalCode": clinic.zip_code,
        "country": "US",
    }
    return {k: v for k, v in value.items() if v and v != [""]}


def telecom(clinic: ClinicRow, *, website: bool = True) -> list[dict]:
    """Return the clinic's phone (and website) as ContactPoints."""
    return list(_contact_points(clinic.phone, clinic.website if website else ""))


@lru_cache(maxsize=256)
def _contact_points(phone: str, website: str) -> tuple[dict, ...]:
    # Cached: each clinic's contacts appear on several resources (the dicts are only read, by the encoder).
    points = []
    if phone.strip():
        points.append({"system": "phone", "value": phone.strip(), "use": "work", "rank": 1})
    url = safe_web_url(website)
    if url:
        points.append({"system": "url", "value": url, "use": "work"})
    return tuple(points)


def new_patients(accepting: bool) -> dict:
    """Return Plan-Net's newpatients extension: accepting new patients, or not."""
    code, display = ("newpt", "Accepting") if accepting else ("nopt", "Not Accepting")
    return {
        "url": codes.extension("newpatients"),
        "extension": [{"url": "acceptingPatients",
                       "valueCodeableConcept": concept(codes.ACCEPTING_PATIENTS, code, display)}],
    }


def _clock(value: str) -> str:
    """Return "HH:MM" as a FHIR time; "24:00" (closing at midnight) becomes the last second of the day."""
    return "23:59:59" if value == "24:00" else f"{value}:00"


def hour_groups(periods: list[dict]) -> list[tuple[list[str], str, str]]:
    """Group opening periods by their times: [(["mon", "tue"], "09:00", "17:00"), ...] in order of first day."""
    groups: dict[tuple[str, str], list[str]] = {}
    for period in sorted(periods, key=lambda p: (p["day"], p["opens"])):
        days = groups.setdefault((period["opens"], period["closes"]), [])
        day = codes.WEEKDAYS[period["day"]]
        if day not in days:
            days.append(day)
    return [(days, opens, closes) for (opens, closes), days in groups.items()]


def opening_times(periods: list[dict], start: str, end: str) -> list[dict]:
    """Return the periods as FHIR available times (Location.hoursOfOperation, HealthcareService.availableTime).

    `start`/`end` name the element's time fields (openingTime/closingTime or availableStartTime/EndTime).
    """
    times = []
    for days, opens, closes in hour_groups(periods):
        if opens == "00:00" and closes == "24:00":
            times.append({"daysOfWeek": days, "allDay": True})
        else:
            times.append({"daysOfWeek": days, start: _clock(opens), end: _clock(closes)})
    return times


def closed_for_now(clinic: ClinicRow, today: date) -> bool:
    """Return True when the clinic is temporarily closed today (a passed reopening date ends the closure)."""
    return clinic.closure == Closure.TEMPORARY and (clinic.reopens_on is None or clinic.reopens_on > today)


def availability_note(clinic: ClinicRow, today: date) -> str:
    """Return what the hours table cannot say: the clinic's note about hours, and a temporary closure."""
    parts = []
    if closed_for_now(clinic, today):
        reopening = f", reopening on {clinic.reopens_on.isoformat()}" if clinic.reopens_on else ""
        parts.append(f"Temporarily closed{reopening}.")
    if clinic.hours_note.strip():
        parts.append(clinic.hours_note.strip())
    return " ".join(parts)


def last_updated(clinic: ClinicRow) -> str | None:
    """Return when the listing last changed, as a FHIR instant (UTC)."""
    return None if clinic.updated_at is None else instant(clinic.updated_at)


def instant(moment: datetime) -> str:
    """Return a moment as a FHIR instant in UTC; a naive moment is taken as UTC (as the app stores them)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def pruned(resource: dict) -> dict:
    """Drop a resource's empty top-level values: FHIR JSON allows no empty strings, arrays or objects."""
    return {key: value for key, value in resource.items() if value or value is False or value == 0}
