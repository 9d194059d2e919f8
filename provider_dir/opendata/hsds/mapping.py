"""One clinic as HSDS 3.0 objects: pure functions over a clinic-like record, shared by the file export and the API.

A clinic is an organization offering one service (ketamine treatment) at one physical location. The record may be
a `Clinic` or any row with the same attribute names (the export streams plain rows); staff are records with
`id`, `full_name`, `degree` and `role`. Every object gets a stable UUID from `provider_dir.opendata.ids`, so the
same clinic has the same ids in every export, in the API and in the FHIR files (kinds "clinic" and "location"
are shared with them). Empty optional fields are left out rather than written as "" or null, as the standard's
examples do.

Flat objects (`organization`, `location`, ... one CSV row each) carry their foreign keys; `service_object`
embeds them into the fully dereferenced service of the standard's compiled schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache, lru_cache

from provider_dir.listings.vocab import Closure, Condition, InsuranceOption, Route
from provider_dir.models.base import from_mask
from provider_dir.opendata.ids import public_id

HSDS_VERSION = "3.0"
PROFILE = "https://openreferral.org/imports/hsds/"
# Closure -> service.status (the standard's closed list).
STATUS = {Closure.OPEN: "active", Closure.TEMPORARY: "temporarily closed", Closure.PERMANENT: "defunct"}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Times are HH:MM:SS, the data package's `time` type (its JSON schema's example too). That type cannot say 24:00:
# a period open until midnight closes at 23:59:59, which no stored period can (they are kept to the minute), so
# the importer reads it back as 24:00.
END_OF_DAY = "23:59:59"
# ISO 639-1 codes of the languages listings name most; others are published by name alone.
LANGUAGE_CODES = {
    "English": "en", "Spanish": "es", "Russian": "ru", "Mandarin": "zh", "Chinese": "zh", "Cantonese": "yue",
    "Haitian Creole": "ht", "Korean": "ko", "Tagalog": "tl", "Vietnamese": "vi", "Portuguese": "pt",
    "Somali": "so", "Hmong": "hmn", "Arabic": "ar", "Polish": "pl", "French": "fr", "German": "de",
    "Italian": "it", "Japanese": "ja", "Hindi": "hi", "Farsi": "fa", "Persian": "fa", "Hebrew": "he",
    "Ukrainian": "uk", "American Sign Language": "ase", "ASL": "ase", "Greek": "el", "Armenian": "hy",
}


# ---- the published taxonomies: how ketamine is given, and the conditions treated ----

TAXONOMIES = {
    "route": ("Lantern Clinic Guide: routes of ketamine treatment",
              "How a clinic gives ketamine: IV infusion, IM injection, esketamine nasal spray, or oral/sublingual "
              "with psychotherapy.", Route),
    "condition": ("Lantern Clinic Guide: conditions treated",
                  "The conditions a clinic says it treats with ketamine.", Condition),
}
TAXONOMY_VERSION = "1"


def taxonomy_id(kind: str) -> str:
    """Return the UUID of one of the published taxonomies ("route" or "condition")."""
    return public_id("taxonomy", kind)


@cache
def taxonomy_term_id(kind: str, code: str) -> str:
    """Return the UUID of one term, e.g. taxonomy_term_id("route", "iv_infusion")."""
    return public_id("taxonomy_term", f"{kind}:{code}")


def taxonomies() -> list[dict]:
    """Return the published taxonomy objects."""
    return [{"id": taxonomy_id(kind), "name": name, "description": description, "version": TAXONOMY_VERSION}
            for kind, (name, description, _) in TAXONOMIES.items()]


def taxonomy_terms() -> list[dict]:
    """Return every term of the published taxonomies (code = our vocabulary's code, name = its label)."""
    terms = []
    for kind, (name, _, vocabulary) in TAXONOMIES.items():
        for member in vocabulary:
            terms.append({"id": taxonomy_term_id(kind, member.value), "code": member.value, "name": member.label,
                          "description": f"{'Route' if kind == 'route' else 'Condition treated'}: {member.label}.",
                          "taxonomy": name, "taxonomy_id": taxonomy_id(kind), "language": "en"})
    return terms


_TERMS_BY_ID = {term["id"]: term for term in taxonomy_terms()}


def taxonomy_term(kind: str, code: str) -> dict:
    """Return one published term."""
    return _TERMS_BY_ID[taxonomy_term_id(kind, code)]


# ---- ids of one clinic's objects ----

@lru_cache(maxsize=256)  # an export asks for the same clinic's ids a dozen times in a row
def _clinic_ids(clinic_id: int) -> tuple[str, str, str, str]:
    return (public_id("clinic", clinic_id), public_id("service", clinic_id), public_id("location", clinic_id),
            public_id("service_at_location", clinic_id))


def organization_id(clinic) -> str:
    """Return the UUID of the clinic as an organization (the same as the clinic's id in FHIR)."""
    return _clinic_ids(clinic.id)[0]


def service_id(clinic) -> str:
    """Return the UUID of the clinic's ketamine treatment service."""
    return _clinic_ids(clinic.id)[1]


def location_id(clinic) -> str:
    """Return the UUID of the clinic's physical location."""
    return _clinic_ids(clinic.id)[2]


def service_at_location_id(clinic) -> str:
    """Return the UUID of the link between the clinic's service and its location."""
    return _clinic_ids(clinic.id)[3]


# ---- flat objects (one CSV row each), with their foreign keys ----

_NUMBERS = (int, float)


def _compact(obj: dict) -> dict:
    # Empty text, None and empty lists go; numbers stay, 0 included.
    return {key: value for key, value in obj.items() if value or value.__class__ in _NUMBERS}


_INSURANCE = {member.value: member for member in InsuranceOption}
_CLOSURES = {member.value: member for member in Closure}


def _enum_value(value) -> str:
    return getattr(value, "value", value) or ""


def _timestamp(value) -> str | None:
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _date(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def organization(clinic) -> dict:
    """Return the clinic as an HSDS organization (its long description is the service's)."""
    return _compact({"id": organization_id(clinic), "name": clinic.name,
                     "description": f"{clinic.name}, a ketamine clinic in {clinic.city}, {clinic.state}.",
                     "website": clinic.website})


def fees_description(clinic) -> str:
    """Return the prices and the insurance arrangement as one sentence."""
    parts = []
    if clinic.price_per_infusion_usd is not None:
        parts.append(f"${clinic.price_per_infusion_usd:,} per infusion")
    if clinic.price_series_usd is not None:
        count = f" of {clinic.series_infusions}" if clinic.series_infusions else ""
        parts.append(f"${clinic.price_series_usd:,} for a series{count}")
    insurance = _INSURANCE[_enum_value(clinic.insurance) or InsuranceOption.NONE.value]
    parts.append(insurance.label)
    return "; ".join(parts) + "."


def service(clinic) -> dict:
    """Return the clinic's ketamine treatment as an HSDS service (flat: no embedded objects)."""
    closure = _CLOSURES[_enum_value(clinic.closure) or Closure.OPEN.value]
    alert = ""
    if closure == Closure.TEMPORARY:
        reopens = _date(getattr(clinic, "reopens_on", None))
        alert = f"Temporarily closed{f' until {reopens}' if reopens else ''}."
    return _compact({
        "id": service_id(clinic), "organization_id": organization_id(clinic), "name": clinic.name,
        "alternate_name": "Ketamine treatment", "description": clinic.description, "url": clinic.website,
        "status": STATUS[closure], "fees_description": fees_description(clinic),
        "application_process": ("Accepting new patients" if clinic.accepting_new_patients
                                else "Not accepting new patients") +
                               ("; intake by telehealth available." if clinic.telehealth_intake else "."),
        "assured_date": _date(clinic.last_verified_on), "alert": alert,
        "last_modified": _timestamp(clinic.updated_at),
    })


def location(clinic) -> dict:
    """Return the clinic's physical location, with its position."""
    return _compact({"id": location_id(clinic), "location_type": "physical", "organization_id": organization_id(clinic),
                     "name": clinic.name, "latitude": clinic.latitude, "longitude": clinic.longitude})


def service_at_location(clinic) -> dict:
    """Return the link between the service and the location."""
    return {"id": service_at_location_id(clinic), "service_id": service_id(clinic), "location_id": location_id(clinic)}


def address(clinic) -> dict:
    """Return the clinic's street address (address_1 holds the whole street line, suite included)."""
    return {"id": public_id("address", clinic.id), "location_id": location_id(clinic), "address_1": clinic.street,
            "city": clinic.city, "state_province": clinic.state, "postal_code": clinic.zip_code, "country": "US",
            "address_type": "physical"}


def phones(clinic) -> list[dict]:
    """Return the clinic's phone, on its service."""
    if not clinic.phone:
        return []
    return [{"id": public_id("phone", clinic.id), "service_id": service_id(clinic), "number": clinic.phone,
             "type": "voice"}]


def languages(clinic) -> list[dict]:
    """Return the languages spoken at the clinic, on its service."""
    found = []
    for name in dict.fromkeys(clinic.languages or []):
        found.append(_compact({"id": public_id("language", f"{clinic.id}:{name}"), "service_id": service_id(clinic),
                               "name": name, "code": LANGUAGE_CODES.get(name)}))
    return found


def accessibility(clinic) -> list[dict]:
    """Return the clinic's access notes, on its location."""
    if not clinic.accessibility:
        return []
    return [{"id": public_id("accessibility", clinic.id), "location_id": location_id(clinic),
             "description": clinic.accessibility}]


def _days_text(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(DAY_ABBREVIATIONS[r[0]] if len(r) == 1 else
                     f"{DAY_ABBREVIATIONS[r[0]]}{'-' if len(r) > 2 else ', '}{DAY_ABBREVIATIONS[r[-1]]}" for r in runs)


def schedules(clinic) -> list[dict]:
    """Return the clinic's opening hours as weekly schedules (one per opening and closing time), on its service.

    Days sharing a period share a schedule (byday "MO,TU,WE,TH,FR"); the clinic's note about hours ("By
    appointment") is every schedule's `notes`, or the description of a lone schedule when no period is known.
    """
    grouped: dict[tuple[str, str], list[int]] = {}
    for period in clinic.opening_hours or []:
        grouped.setdefault((period["opens"], period["closes"]), []).append(int(period["day"]))
    note = clinic.hours or ""
    found = []
    for (opens, closes), days in sorted(grouped.items(), key=lambda item: (min(item[1]), item[0])):
        days = sorted(set(days))
        found.append(_compact({
            "id": public_id("schedule", f"{clinic.id}:{opens}-{closes}"), "service_id": service_id(clinic),
            "freq": "WEEKLY", "wkst": "MO", "byday": ",".join(DAY_CODES[d] for d in days),
            "opens_at": f"{opens}:00", "closes_at": END_OF_DAY if closes == "24:00" else f"{closes}:00",
            "description": f"{_days_text(days)} {opens}-{closes}", "notes": note,
        }))
    if not found and note:
        found.append({"id": public_id("schedule", f"{clinic.id}:note"), "service_id": service_id(clinic),
                      "description": note, "notes": note})
    return found


def cost_options(clinic) -> list[dict]:
    """Return the clinic's prices in US dollars: per infusion, and per series when it gives one."""
    found = []
    if clinic.price_per_infusion_usd is not None:
        found.append({"id": public_id("cost_option", f"{clinic.id}:infusion"), "service_id": service_id(clinic),
                      "option": "Per infusion", "currency": "USD", "amount": clinic.price_per_infusion_usd})
    if clinic.price_series_usd is not None:
        count = f" of {clinic.series_infusions} infusions" if clinic.series_infusions else ""
        found.append({"id": public_id("cost_option", f"{clinic.id}:series"), "service_id": service_id(clinic),
                      "option": f"Series{count}", "currency": "USD", "amount": clinic.price_series_usd})
    return found


def attributes(clinic) -> list[dict]:
    """Return the links from the service to the taxonomy terms of its routes and conditions."""
    found = []
    for kind, mask in (("route", clinic.routes_mask), ("condition", clinic.conditions_mask)):
        for member in from_mask(mask or 0, TAXONOMIES[kind][2]):
            found.append({"id": public_id("attribute", f"{clinic.id}:{kind}:{member.value}"),
                          "link_id": service_id(clinic), "taxonomy_term_id": taxonomy_term_id(kind, member.value),
                          "link_type": kind, "link_entity": "service"})
    return found


def contacts(clinic, staff: Iterable = ()) -> list[dict]:
    """Return the clinic's listed staff as the service's named contacts (name, role and degree; no credentials)."""
    found = []
    for member in staff:
        role = getattr(member.role, "label", str(member.role or ""))
        title = ", ".join(part for part in (role, member.degree) if part)
        found.append(_compact({"id": public_id("staff", member.id), "service_id": service_id(clinic),
                               "name": member.full_name, "title": title}))
    return found


# ---- the objects of one clinic, flat or embedded ----

def tables(clinic, staff: Iterable = ()) -> dict[str, list[dict]]:
    """Return one clinic's flat objects by HSDS table name (the rows of a data package)."""
    return {
        "organization": [organization(clinic)], "service": [service(clinic)], "location": [location(clinic)],
        "service_at_location": [service_at_location(clinic)], "address": [address(clinic)],
        "phone": phones(clinic), "schedule": schedules(clinic), "language": languages(clinic),
        "accessibility": accessibility(clinic), "cost_option": cost_options(clinic),
        "attribute": attributes(clinic), "contact": contacts(clinic, staff),
    }


def service_object(clinic, staff: Iterable = ()) -> dict:
    """Return the fully dereferenced HSDS service of one clinic (the standard's compiled service schema)."""
    return embed(tables(clinic, staff))


# Foreign keys an embedded object need not repeat: its place in the service says what it belongs to.
_PARENT_KEYS = ("service_id", "location_id", "organization_id", "link_id", "taxonomy_term_id")
# An embedded term carries what identifies and names it; the taxonomies are published whole beside the services.
_TERM_KEYS = ("id", "code", "name", "description")


def _nested(objects: list[dict]) -> list[dict]:
    return [{k: v for k, v in obj.items() if k not in _PARENT_KEYS} for obj in objects]


def embed(flat: dict[str, list[dict]]) -> dict:
    """Return the fully dereferenced service made of one clinic's flat objects (as `tables` returns them)."""
    where = {**flat["location"][0], "addresses": _nested(flat["address"]),
             "accessibility": _nested(flat["accessibility"])}
    link = {"id": flat["service_at_location"][0]["id"], "location": _compact(where)}
    attached = [{**nested, "taxonomy_term": _EMBEDDED_TERMS[attribute["taxonomy_term_id"]]}
                for attribute, nested in zip(flat["attribute"], _nested(flat["attribute"]), strict=True)]
    return _compact({
        **flat["service"][0], "organization": flat["organization"][0], "service_at_locations": [link],
        "phones": _nested(flat["phone"]), "schedules": _nested(flat["schedule"]),
        "languages": _nested(flat["language"]), "cost_options": _nested(flat["cost_option"]),
        "attributes": attached, "contacts": _nested(flat["contact"]),
    })


_EMBEDDED_TERMS = {term_id: {k: term[k] for k in _TERM_KEYS} for term_id, term in _TERMS_BY_ID.items()}
