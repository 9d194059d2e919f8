"""The OpenAPI 3.1 document of /api/v1, kept as data; closed vocabularies come from the enums themselves."""

from __future__ import annotations

from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.geo.names import openapi as names
from provider_dir.geo.search import MAX_PER_PAGE, MAX_RADIUS_MILES, MIN_RADIUS_MILES, SortOrder
from provider_dir.listings.vocab import Closure, Condition, InsuranceOption, Route
from provider_dir.registry.checks.rules import REGISTRY_RESULTS

MAX_COMPARED = 3
# Published clinics of the demo data (seeds/demo/), so that a client trying the examples on a demo copy reaches them.
EXAMPLE_SLUG = "sequoia-wellness-new-york"
EXAMPLE_SLUGS = [EXAMPLE_SLUG, "new-york-infusion-partners", "clarity-infusions-new-york"]


def _codes(enum_cls) -> list[str]:
    return [member.value for member in enum_cls]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _obj(properties: dict, *, description: str = "") -> dict:
    """Return a closed object schema in which every property is always present."""
    schema = {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _coded(enum_cls, what: str) -> dict:
    return _obj(
        {"code": {"type": "string", "enum": _codes(enum_cls)}, "label": {"type": "string"}},
        description=f"{what}: a stable code for programs and a label for people.",
    )


STRING = {"type": "string"}
TEXT_OR_NULL = _nullable("string")
DATE_OR_NULL = _nullable("string", format="date")
CLOSURE = {"type": "string", "enum": [member.value for member in Closure],
           "description": "Whether the clinic operates today: open, temporarily_closed or permanently_closed. A "
                          "temporary closure whose reopening date has come reads open."}  # fmt: skip
REOPENS_ON = {**DATE_OR_NULL, "description": "While temporarily closed: the reopening date, if the clinic gave one."}
DATETIME_OR_NULL = _nullable("string", format="date-time")
NUMBER_OR_NULL = _nullable("number")
INTEGER_OR_NULL = _nullable("integer")
STRINGS = {"type": "array", "items": STRING}

ERROR = _obj(
    {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
                "message": {"type": "string", "minLength": 1, "description": "What went wrong and what to do."},
                "fields": {
                    "type": "object",
                    "description": "For bad parameters: each parameter's name with what is wrong with it.",
                    "additionalProperties": {"type": "array", "items": STRING, "minItems": 1},
                },
            },
        }
    },
    description="Every error under /api/v1 has this shape, whatever its status.",
)

EVIDENCE_LABEL = {"type": "string", "description": "What this piece of evidence is and how far it was checked."}

SCORE_ITEM = _obj(
    {
        "code": {"type": "string", "examples": ["C01"]},
        "category": STRING,
        "text": STRING,
        "status": {"type": "string", "description": "verified, self_reported, patient_corroborated, unknown, "
                                                    "expired, refused or contradicted."},
        "status_label": {"type": "string", "description": "The status in words, as the clinic page shows it; it never "
                                                          "says checked or verified unless a moderator's check is on "
                                                          "record with who and when."},
        "points": {"type": "number", "minimum": 0},
        "max_points": {"type": "number", "minimum": 0},
        "safety_critical": {"type": "boolean"},
        "reason": STRING,
        "sources": STRINGS,
        "evidence": {
            "type": "array",
            "description": "The staff credentials behind the item (items C01-C03), or the clinic's answer.",
            "items": {
                "oneOf": [
                    _obj({"staff": STRING, "credential": STRING, "identifier": STRING, "issuer": STRING,
                          "status": STRING, "verified_by": TEXT_OR_NULL, "verified_at": DATETIME_OR_NULL,
                          "expires_on": DATE_OR_NULL, "label": EVIDENCE_LABEL},
                         description="A staff member's credential."),
                    _obj({"kind": TEXT_OR_NULL, "text": STRING, "url": TEXT_OR_NULL, "verified_by": TEXT_OR_NULL,
                          "verified_at": DATETIME_OR_NULL, "expires_on": DATE_OR_NULL, "label": EVIDENCE_LABEL},
                         description="The clinic's own answer and its evidence."),
                ]
            },
        },
        "patients": {
            "oneOf": [
                {"type": "null"},
                _obj({"yes": {"type": "integer", "minimum": 0}, "no": {"type": "integer", "minimum": 0},
                      "not_sure": {"type": "integer", "minimum": 0}, "verdict": STRING},
                     description="What reviewers answered about this item."),
            ]
        },
    },
    description="One checklist item's outcome at this clinic.",
)  # fmt: skip

SCORE = _obj(
    {
        "total": {"type": "number", "minimum": 0, "maximum": 100},
        "max_total": {"type": "number"},
        "version": {"type": "string", "description": "The checklist version the score was computed with."},
        "computed_on": {"type": "string", "format": "date"},
        "capped": {"type": "boolean", "description": "True when a safety-critical item capped the total."},
        "uncapped_total": {"type": "number", "minimum": 0},
        "safety": _obj({
            "ok": {"type": "boolean"},
            "cap": {"type": "number"},
            "unknown": STRINGS,
            "expired": STRINGS,
            "contradicted": STRINGS,
            "message": TEXT_OR_NULL,
        }, description="Whether every safety-critical item is shown and none is contradicted."),
        "categories": {"type": "array", "items": _obj(
            {"name": STRING, "points": {"type": "number"}, "max_points": {"type": "number"}})},
        "items": {"type": "array", "items": _ref("ScoreItem")},
        "stored_total": {**NUMBER_OR_NULL, "description": "The total stored for search ordering (may lag a day)."},
    },
    description="The quality score, worked out with today's date from the clinic's current evidence.",
)  # fmt: skip

REGISTRY_CHECK = _obj({
    "source": {"type": "string", "enum": ["NPPES"], "description": "The registry checked."},
    "via": {"type": "string", "enum": ["file", "api"],
            "description": "The monthly NPPES data file loaded on the site, or the online NPI Registry API."},
    "source_date": {**DATE_OR_NULL, "description": "The date of the NPPES file read (null when the API answered)."},
    "result": {"type": "string", "enum": sorted(REGISTRY_RESULTS),
               "description": "What the registry says: for an NPI, found, active, an individual's, the same name; "
                              "for a licence, whether NPPES lists that number in that state for the clinician's NPI."},
    "label": {"type": "string", "description": "The same in plain words, with the day it was checked."},
    "checked_on": {"type": "string", "format": "date"},
}, description="The latest automatic check of a credential against the NPPES registry.")  # fmt: skip

EXCLUSION = _obj({
    "type": {"type": "string", "description": "The OIG exclusion type (section of the Social Security Act)."},
    "type_label": STRING,
    "excluded_on": DATE_OR_NULL,
    "label": STRING,
    "oig_search_url": {"type": "string", "format": "uri"},
}, description="An exclusion from federal health care programmes on the HHS OIG's LEIE, confirmed by a moderator.")

CREDENTIAL = _obj({
    "kind": _coded(CredentialKind, "Kind of credential"),
    "identifier": {"type": "string", "description": "The number; DEA numbers are masked but their last 4."},
    "issuer": STRING,
    "expires_on": DATE_OR_NULL,
    "status": _coded(CredentialStatus, "Status as of today (a passed expiry date makes it expired)"),
    "verified_at": DATETIME_OR_NULL,
    "registry": {"anyOf": [_ref("RegistryCheck"), {"type": "null"}],
                 "description": "The NPPES check of an NPI or a state licence; null when not checked."},
})  # fmt: skip

STAFF = _obj({
    "name": STRING,
    "degree": STRING,
    "role": _coded(StaffRole, "Role at the clinic"),
    "bio": STRING,
    "credentials": {"type": "array", "items": _ref("Credential")},
    "exclusion": {"anyOf": [_ref("Exclusion"), {"type": "null"}],
                  "description": "A confirmed OIG exclusion of this clinician; null when none is confirmed."},
})  # fmt: skip

CLINIC = _obj(
    {
        "slug": STRING,
        "name": STRING,
        "description": STRING,
        "address": _obj({"street": STRING, "city": STRING, "state": {"type": "string", "pattern": "^[A-Z]{2}$"},
                         "zip": STRING, "line": STRING}),
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "phone": TEXT_OR_NULL,
        "website": {**TEXT_OR_NULL, "description": "An http(s) address, or null (never javascript: or data:)."},
        "hours": {**TEXT_OR_NULL, "description": "Opening hours as text: the periods (`Mon 09:00-17:00; ...`) "
                                                 "then any note, such as `By appointment`."},
        "opening_hours": {"type": "array", "description": "Opening periods, Monday = 0; several a day allowed.",
                          "items": _obj({"day": {"type": "integer", "minimum": 0, "maximum": 6},
                                         "opens": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
                                         "closes": {"type": "string",
                                                    "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"}})},
        "routes": {"type": "array", "items": _coded(Route, "Treatment route")},
        "conditions": {"type": "array", "items": _coded(Condition, "Condition treated")},
        "prices": _obj({"per_infusion_usd": INTEGER_OR_NULL, "series_usd": INTEGER_OR_NULL,
                        "series_infusions": INTEGER_OR_NULL}),
        "insurance": _coded(InsuranceOption, "Insurance"),
        "languages": STRINGS,
        "accessibility": TEXT_OR_NULL,
        "accepting_new_patients": {"type": "boolean"},
        "telehealth_intake": {"type": "boolean"},
        "last_verified_on": DATE_OR_NULL,
        "closure": CLOSURE,
        "reopens_on": REOPENS_ON,
        "has_verified_credentials": {"type": "boolean"},
        "staff": {"type": "array", "items": _ref("StaffMember")},
        "rating": _obj({"average": NUMBER_OR_NULL, "bayesian": NUMBER_OR_NULL,
                        "count": {"type": "integer", "minimum": 0}},
                       description="Approved reviews: plain average, Bayesian average and count."),
        "score": _ref("Score"),
        "provenance": {"oneOf": [{"type": "null"}, _ref("Provenance")],
                       "description": "For a listing brought in by an import: where it came from; else null."},
        "outside_ratings": {"type": "array", "items": _ref("OutsideRating"),
                            "description": "Other sites' ratings, one per site, none older than a year. Not checked "
                                           "by us and never part of `rating`."},
        "url": {"type": "string", "format": "uri", "description": "The clinic's page on this site."},
    },
    description="What the clinic page shows.",
)  # fmt: skip

PROVENANCE = _obj({
    "source": {"type": "string", "description": "The name the import gave its source."},
    "source_url": {**TEXT_OR_NULL, "description": "The source's page for this clinic (http(s)), or null."},
    "source_id": {"type": "string", "description": "The clinic's id in the source."},
    "imported_on": {"type": "string", "format": "date", "description": "When the listing was first imported."},
    "last_imported_on": {"type": "string", "format": "date", "description": "When an import last read it."},
    "confirmed_by_clinic": {"type": "boolean", "description": "True once a clinic owner has claimed the listing."},
    "statement": {**TEXT_OR_NULL, "description": "What the page says while the clinic has not confirmed it."},
}, description="Where an imported listing's facts came from.")  # fmt: skip

OUTSIDE_RATING = _obj({
    "site": STRING,
    "stars": {"type": "number", "minimum": 0, "maximum": 5},
    "count": {**INTEGER_OR_NULL, "description": "How many ratings the site's average is of, when given."},
    "url": {**TEXT_OR_NULL, "description": "The rating's page on that site (http(s)), or null."},
    "rated_on": {"type": "string", "format": "date", "description": "When the rating was read."},
}, description="Another site's rating, as imported; not checked by us.")  # fmt: skip

SEARCH_HIT = _obj({
    "slug": STRING,
    "name": STRING,
    "url": {"type": "string", "format": "uri"},
    "city": STRING,
    "state": STRING,
    "lat": {"type": "number"},
    "lon": {"type": "number"},
    "distance_mi": {"type": "number", "minimum": 0},
    "distance_km": {"type": "number", "minimum": 0},
    "score": NUMBER_OR_NULL,
    "rating_avg": NUMBER_OR_NULL,
    "rating_bayes": NUMBER_OR_NULL,
    "rating_count": {"type": "integer", "minimum": 0},
    "price_per_infusion_usd": INTEGER_OR_NULL,
    "accepting_new_patients": {"type": "boolean"},
    "has_verified_credentials": {"type": "boolean"},
    "conditions": {"type": "array", "items": {"type": "string", "enum": _codes(Condition)}},
    "routes": {"type": "array", "items": {"type": "string", "enum": _codes(Route)}},
    "closure": CLOSURE,
    "reopens_on": REOPENS_ON,
})  # fmt: skip

COUNT = {"type": "integer", "minimum": 0}
SEARCH_RESULTS = _obj({
    "origin": _obj({"lat": {"type": "number"}, "lon": {"type": "number"}, "label": STRING, "source": STRING},
                   description="The place the search was measured from, as the geocoder read it."),
    "radius_mi": {"type": "number"},
    "radius_km": {"type": "number"},
    "sort": {"type": "string", "enum": _codes(SortOrder)},
    "results": {"type": "array", "items": _ref("SearchHit"), "maxItems": MAX_PER_PAGE},
    "total": {"type": "integer", "minimum": 0},
    "total_exact": {"type": "boolean", "description": "False when the total is a lower bound (\"more than\")."},
    "page": {"type": "integer", "minimum": 1},
    "pages": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    "nearest": {"oneOf": [{"type": "null"}, _ref("SearchHit")],
                "description": "When nothing matches within the radius: the nearest clinic that matches the filters "
                               "(within 500 miles), so the radius can be widened to reach it; otherwise null."},
    "filter_counts": _obj({
        "features": _obj({f.value: COUNT for f in Feature}),
        "payment": _obj({p.value: COUNT for p in Payment}),
        "language": _obj({name: COUNT for name in LANGUAGES}),
        "exact": {"type": "boolean", "description": "False when counted among the first 1,000 matches only."},
    }, description="How many clinics of this search each filter value would leave (a way to pay or a language "
                   "as if it replaced the one chosen)."),
})  # fmt: skip

COMPARISON = {
    "type": "object",
    "required": ["clinics"],
    "properties": {
        "clinics": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_COMPARED,
            "description": "The clinics asked for, in the order asked.",
            "items": {"type": "object", "required": ["slug", "name"],
                      "properties": {"slug": STRING, "name": STRING}},
        },
    },
    "description": "Up to three clinics side by side.",
}  # fmt: skip


# The decision registry's kinds and outcomes (transparency/kinds.py); tests/transparency checks they match it.
DECISION_KINDS = ("review", "report", "claim", "credential", "evidence", "listing", "correction", "appeal")
DECISION_OUTCOMES = ("approved", "refused", "declined", "upheld", "reversed")
MODERATION_LOG = _obj(
    {
        "items": {"type": "array", "items": _obj({
            "date": {"type": "string", "format": "date", "description": "The day of the decision (UTC)."},
            "kind": {"type": "string", "enum": list(DECISION_KINDS)},
            "kind_label": STRING,
            "outcome": {"type": "string", "enum": list(DECISION_OUTCOMES)},
            "outcome_label": STRING,
            "reason": {**TEXT_OR_NULL, "description": "The reason code from the site's closed lists, if any."},
            "reason_label": TEXT_OR_NULL,
            "clinic": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["slug", "name"],
                                                    "additionalProperties": False,
                                                    "properties": {"slug": STRING, "name": STRING}}],
                       "description": "The clinic, when it is published; null for an unpublished listing."},
        })},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "next_page": INTEGER_OR_NULL,
    },
    description="One page of the public moderation log, newest first.",
)  # fmt: skip


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


RATE_LIMITED = {
    "description": "Too many requests from this address; the message gives the limit. Wait and try again.",
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}},
    "content": {"application/json": {"schema": _ref("Error")}},
}

SEARCH_PARAMETERS = [
    # A place, a name, or both: one object exploded into the query (OpenAPI's form style), so the query carries
    # location=... and/or q=..., never `where` itself; minProperties says what the API checks: at least one.
    {"name": "where", "in": "query", "required": True, "style": "form", "explode": True,
     "description": "Where or whom to look for: `location`, `q`, or both (at least one). The query string names "
                    "only location and q.",
     "schema": {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
         # \x1c-\x1f and \x85 count as spaces to Python's str.strip() but not to \s in a JSON Schema pattern.
         "location": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"[^\s\x1c-\x1f\x85]",
                      "description": "A 5-digit ZIP code, a city and state, or coordinates \"lat, lon\". Leading "
                                     "and trailing spaces are ignored, so it needs one character that is not a space."},
         "q": {**names.NAME_PARAMETER["schema"], "minLength": 1, "pattern": r"[^\s\x1c-\x1f\x85]",
               "description": names.NAME_PARAMETER["description"]}}},
     "example": {"location": "10001"}},
    # One object exploded into the query (OpenAPI's form style): the query carries radius_mi=... or radius_km=...,
    # never `radius` itself, and maxProperties says what the API checks: one of the two, not both.
    {"name": "radius", "in": "query", "style": "form", "explode": True,
     "description": "The radius, in miles as `radius_mi` (default 25) or in kilometres as `radius_km`; one of the "
                    "two, not both (both together get 400). The query string names only radius_mi or radius_km.",
     "schema": {"type": "object", "additionalProperties": False, "maxProperties": 1, "properties": {
         "radius_mi": {"type": "number", "minimum": MIN_RADIUS_MILES, "maximum": MAX_RADIUS_MILES,
                       "description": "Radius in miles (default 25)."},
         "radius_km": {"type": "number", "minimum": 2, "maximum": 804, "description": "Radius in kilometres."}}},
     "example": {"radius_mi": 25}},
    {"name": "condition", "in": "query", "description": "Only clinics treating this condition.",
     "schema": {"type": "string", "enum": _codes(Condition)}},
    {"name": "route", "in": "query", "description": "Only clinics offering this route.",
     "schema": {"type": "string", "enum": _codes(Route)}},
    {"name": "max_price", "in": "query", "description": "Highest price per infusion, in US dollars.",
     "schema": {"type": "integer", "minimum": 0, "maximum": 100_000}},
    {"name": "min_score", "in": "query", "description": "Lowest quality score (0-100).",
     "schema": {"type": "integer", "minimum": 0, "maximum": 100}},
    {"name": "min_rating", "in": "query", "description": "Lowest Bayesian rating (1-5 stars).",
     "schema": {"type": "number", "minimum": 1, "maximum": 5}},
    {"name": "verified", "in": "query", "description": "Only clinics with verified staff credentials.",
     "schema": {"type": "boolean"}},
    {"name": "accepting", "in": "query", "description": "Only clinics accepting new patients.",
     "schema": {"type": "boolean"}},
    {"name": "include_closed", "in": "query",
     "description": "Also list temporarily closed clinics (left out by default). Permanently closed clinics are "
                    "never listed; their pages stay at /api/v1/clinics/{slug}.",
     "schema": {"type": "boolean"}},
    {"name": "language", "in": "query", "description": "Only clinics whose staff speak this language.",
     "schema": {"type": "string", "enum": list(LANGUAGES)}},
    {"name": "payment", "in": "query", "description": "Only clinics that take this way of paying: in_network "
                                                      "(some insurance), superbill, self_pay (a published price).",
     "schema": {"type": "string", "enum": _codes(Payment)}},
    *({"name": feature.value, "in": "query", "description": f"Only clinics with: {feature.label.lower()}.",
       "schema": {"type": "boolean"}} for feature in Feature),
    {"name": "sort", "in": "query", "description": "Order of the results (default distance).",
     "schema": {"type": "string", "enum": _codes(SortOrder)}},
    {"name": "page", "in": "query", "description": "Page number (default 1).",
     "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "description": f"Results per page (default 20, at most {MAX_PER_PAGE}).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}},
]  # fmt: skip

SEARCH_PARAMETER_NAMES = tuple(name for p in SEARCH_PARAMETERS
                               for name in (p["schema"].get("properties") if p.get("explode") else None) or [p["name"]])

TRANSPARENCY_LOG_PARAMETERS = [
    {"name": "clinic", "in": "query", "description": "Only decisions about this published clinic (its slug).",
     "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$"}, "example": EXAMPLE_SLUG},
    {"name": "kind", "in": "query", "description": "Only decisions of this kind.",
     "schema": {"type": "string", "enum": list(DECISION_KINDS)}},
    {"name": "outcome", "in": "query", "description": "Only decisions with this outcome.",
     "schema": {"type": "string", "enum": list(DECISION_OUTCOMES)}},
    {"name": "month", "in": "query", "description": "Only decisions of this month (UTC), as YYYY-MM.",
     "schema": {"type": "string", "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"}, "example": "2026-11"},
    {"name": "page", "in": "query", "description": "Page number (default 1), 50 decisions a page.",
     "schema": {"type": "integer", "minimum": 1, "maximum": 10_000}},
]  # fmt: skip

PATHS = {
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": {"200": {"description": "The OpenAPI 3.1 document of /api/v1.",
                                  "content": {"application/json": {"schema": {"type": "object",
                                                                              "required": ["openapi", "paths"]}}}}},
        }
    },
    "/api/v1/search": {
        "get": {
            "operationId": "search",
            "summary": "Clinics near a place, with filters, an order and a page.",
            "description": "Any parameter not listed is refused with 400, so a typo never silently widens a search.",
            "parameters": SEARCH_PARAMETERS,
            "responses": {
                "200": {"description": "One page of results, nearest first unless sorted otherwise (best match "
                                       "first with q).",
                        "content": {"application/json": {"schema": {"oneOf": [_ref("SearchResults"),
                                                                              _ref("NameSearchResults")]}}}},
                "400": _error("A parameter is unknown or out of range, or both radius_mi and radius_km were given; "
                              "`fields` names each parameter with the reason."),
                "404": _error("The location names no place the geocoder knows (`fields.location` says what to type "
                              "instead), or the page asked for is past the last page of results."),
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/clinics/{slug}": {
        "get": {
            "operationId": "clinic",
            "summary": "One published clinic: what its page shows, with staff, credentials, rating and score.",
            "parameters": [{"name": "slug", "in": "path", "required": True, "description": "The clinic's slug.",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 120},
                            "example": EXAMPLE_SLUG}],
            "responses": {
                "200": _ok("The clinic.", "Clinic"),
                "404": _error("No published clinic has this slug."),
            },
        }
    },
    "/api/v1/compare": {
        "get": {
            "operationId": "compare",
            "summary": f"Up to {MAX_COMPARED} published clinics side by side.",
            "parameters": [{"name": "c", "in": "query", "required": True, "style": "form", "explode": True,
                            "description": f"A clinic's slug, repeated for each clinic (1 to {MAX_COMPARED}).",
                            "schema": {"type": "array", "minItems": 1, "maxItems": MAX_COMPARED,
                                       "items": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,119}$",
                                                 "examples": EXAMPLE_SLUGS}},
                            "example": EXAMPLE_SLUGS[:2]}],
            "responses": {
                "200": _ok("The clinics, in the order asked.", "Comparison"),
                "400": _error(f"No slug, or more than {MAX_COMPARED} slugs."),
                "404": _error("A slug names no published clinic; the message names it."),
                "422": _error(f"More than {MAX_COMPARED} slugs."),
            },
        }
    },
    "/api/v1/transparency/log": {
        "get": {
            "operationId": "moderationLog",
            "summary": "The public moderation log: one page of decisions, newest first.",
            "description": "Every decision on a review, a report, a claim, a credential, checklist evidence, a "
                           "listing or an appeal: its date, kind, clinic, outcome and reason code. It never names a "
                           "reviewer or a moderator. Any parameter not listed is refused with 400.",
            "parameters": TRANSPARENCY_LOG_PARAMETERS,
            "responses": {
                "200": _ok("One page of decisions, newest first.", "ModerationLog"),
                "400": _error("A parameter is unknown or out of range; `fields` names each with the reason."),
                "404": _error("No published clinic has the slug given as `clinic`."),
            },
        }
    },
}  # fmt: skip

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "provider_dir API",
        "version": "1",
        "summary": "Ketamine infusion clinics: search, clinic details and comparisons.",
        "description": "Read-only JSON. All demo data is fictional. Errors are JSON objects with a message a person "
                       "can act on; searches are rate-limited per address (429 with Retry-After).",
        "license": {"name": "Data: GeoNames CC BY 4.0 for places", "identifier": "CC-BY-4.0"},
    },
    "servers": [{"url": "/"}],
    "paths": {**PATHS, **names.PATHS},
    "components": {
        "schemas": {
            "Error": ERROR,
            "Clinic": CLINIC,
            "Provenance": PROVENANCE,
            "OutsideRating": OUTSIDE_RATING,
            "StaffMember": STAFF,
            "Credential": CREDENTIAL,
            "RegistryCheck": REGISTRY_CHECK,
            "Exclusion": EXCLUSION,
            "Score": SCORE,
            "ScoreItem": SCORE_ITEM,
            "SearchHit": SEARCH_HIT,
            "SearchResults": SEARCH_RESULTS,
            "Comparison": COMPARISON,
            "ModerationLog": MODERATION_LOG,
            **names.schemas(SEARCH_HIT),
        }
    },
}  # fmt: skip


def document() -> dict:
    """Return the OpenAPI document of /api/v1."""
    return DOCUMENT


def documented_paths() -> set[str]:
    """Return the documented paths in Flask's rule syntax (/api/v1/clinics/<slug>)."""
    return {path.replace("{", "<").replace("}", ">") for path in {**PATHS, **names.PATHS}}
