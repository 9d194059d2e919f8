"""The OpenAPI parts of name search and suggestions, merged into provider_dir.api.openapi's document."""

from __future__ import annotations

from provider_dir.geo.names.fold import MAX_QUERY_LENGTH
from provider_dir.geo.names.suggest import KINDS, MAX_SUGGESTIONS, MIN_LETTERS

_NUMBER_OR_NULL = {"type": ["number", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, description: str) -> dict:
    return {"type": "object", "required": list(properties), "properties": properties,
            "additionalProperties": False, "description": description}  # fmt: skip


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


NAME_PARAMETER = {
    "name": "q", "in": "query",
    "description": "A clinic's or clinician's name, or part of one; typos, missing words, accents and titles "
                   "(\"dr. garcia\") are tolerated. With a location, the matches within the radius; without one, "
                   "the matches anywhere in the country. Results are then best match first (`sort` is \"name\").",
    "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH}, "example": "ascend infusion",
}  # fmt: skip


def schemas(search_hit: dict) -> dict:
    """Return the component schemas of name search and suggestions, given the schema of a search hit."""
    hit_properties = {**search_hit["properties"],
                      "distance_mi": {"type": ["number", "null"], "minimum": 0},
                      "distance_km": {"type": ["number", "null"], "minimum": 0},
                      "clinician": {"type": ["string", "null"],
                                    "description": "The clinician whose name matched (works at this clinic)."}}
    origin = {"oneOf": [{"type": "null"}, {"type": "object", "required": ["lat", "lon", "label", "source"],
              "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}, "label": {"type": "string"},
                             "source": {"type": "string"}}, "additionalProperties": False}]}  # fmt: skip
    return {
        "NameHit": _obj(hit_properties, "A clinic found by its name or a clinician's (distance null nationwide)."),
        "NameSearchResults": _obj({
            "q": {"type": "string"},
            "origin": origin,
            "nationwide": {"type": "boolean"},
            "radius_mi": _NUMBER_OR_NULL,
            "radius_km": _NUMBER_OR_NULL,
            "sort": {"const": "name"},
            "results": {"type": "array", "items": _ref("NameHit")},
            "total": {"type": "integer", "minimum": 0},
            "total_exact": {"type": "boolean", "description": "False when more names matched than were ranked."},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "nearest": {"type": "null"},
        }, "One page of clinics found by name (q), best match first, then nearest."),
        "Suggestions": _obj({
            "q": {"type": "string"},
            "max": {"const": MAX_SUGGESTIONS},
            "suggestions": {"type": "array", "maxItems": MAX_SUGGESTIONS, "items": _obj({
                "label": {"type": "string"},
                "kind": {"type": "string", "enum": list(KINDS)},
                "detail": {"type": "string"},
                "url": {"type": "string", "description": "The clinic's page, or a search from the place."},
            }, "One suggestion.")},
        }, f"Up to {MAX_SUGGESTIONS} clinics, clinicians (with their clinic) and places."),
    }


PATHS = {
    "/api/v1/suggest": {
        "get": {
            "operationId": "suggest",
            "summary": f"Up to {MAX_SUGGESTIONS} clinics, clinicians and places for what is being typed.",
            "description": "Names by word and prefix (misspelt ones when nothing matches so), places by prefix "
                           "(cities, most populous first, and ZIP codes). Any other parameter is refused with 400.",
            "parameters": [{"name": "q", "in": "query", "required": True,
                            "description": f"What has been typed so far ({MIN_LETTERS} to {MAX_QUERY_LENGTH} letters).",
                            # Leading and trailing spaces are ignored (as Python's str.strip() sees spaces).
                            "schema": {"type": "string", "minLength": MIN_LETTERS, "maxLength": MAX_QUERY_LENGTH,
                                       "pattern": r"[^\s\x1c-\x1f\x85][\s\S]*[^\s\x1c-\x1f\x85]"},
                            "example": "ascend"}],
            "responses": {
                "200": {"description": "The suggestions, names first.",
                        "content": {"application/json": {"schema": _ref("Suggestions")}}},
                "400": _error(f"q is missing, shorter than {MIN_LETTERS} letters or longer than {MAX_QUERY_LENGTH}, "
                              "or another parameter was given."),
                "429": {"description": "Too many requests from this address; wait and try again.",
                        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": _ref("Error")}}},
            },
        }
    }
}  # fmt: skip
