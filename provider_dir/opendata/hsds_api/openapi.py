"""The OpenAPI 3.1 document of /hsds/: the standard's own HSDS 3.0 OpenAPI (shipped unchanged beside the schemas),
filled in for this site: what we serve, parameters as strict as the API checks them, errors, rate limits,
ndjson, and the standard's compiled schemas carried inside so that nothing is fetched from elsewhere.

Derived from Open Referral's `schema/openapi.json` (CC BY-SA 4.0), so this document is CC BY-SA 4.0 too.
"""

from __future__ import annotations

import copy
import json
from functools import cache

from provider_dir.api.openapi import ERROR, RATE_LIMITED
from provider_dir.opendata.hsds.mapping import HSDS_VERSION
from provider_dir.opendata.hsds.schemas import SCHEMA_DIR, STANDARD_DIR
from provider_dir.opendata.hsds_api import params
from provider_dir.opendata.ids import public_id

NDJSON = "application/x-ndjson"
# The standard's paths we serve; the others (taxonomies/{id}, taxonomy_terms/{id}, service_at_locations/{id})
# are optional in the standard and not served.
SERVED = ("/", "/services", "/services/{id}", "/organizations", "/organizations/{id}", "/service_at_locations",
          "/taxonomies", "/taxonomy_terms")
# Parameters of the standard left out: `minimal`, `full` and `full_service` (the fully nested objects are at
# /services/{id} and /organizations/{id}).
LEFT_OUT = {"minimal", "full", "full_service"}
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
# The standard's remote $refs -> our components (the compiled schemas shipped in standards/hsds/schema/compiled/).
LOCAL = {f"{REMOTE}compiled/service.json": "Service", f"{REMOTE}compiled/service_list.json": "ServiceListItem",
         f"{REMOTE}compiled/organization.json": "Organization",
         f"{REMOTE}compiled/organization_list.json": "OrganizationListItem",
         f"{REMOTE}compiled/service_at_location_list.json": "ServiceAtLocationListItem",
         f"{REMOTE}taxonomy.json": "taxonomy", f"{REMOTE}taxonomy_term.json": "taxonomy_term"}
UUID_SCHEMA = {"type": "string", "pattern": params.UUID}
# The demo data's first clinic (seeds/demo/, loaded into an empty database) has id 1: its ids are the examples.
EXAMPLE_IDS = {"/services/{id}": public_id("service", 1), "/organizations/{id}": public_id("clinic", 1)}

PARAMETERS = {
    "search": {"name": "search", "in": "query", "required": False,
               "description": "Full text search: only items whose name (or, for services and organizations, whose "
                              "clinic's city) contains this text, ignoring case.",
               "schema": {"type": "string", "maxLength": params.MAX_SEARCH}},
    "page": {"name": "page", "in": "query", "required": False,
             "description": "Page number of paginated result (default 1). A page past the last is empty.",
             "schema": {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE}},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "description": f"Number of results requested in a single page (default {params.DEFAULT_PER_PAGE}, "
                                f"at most {params.MAX_PER_PAGE}).",
                 "schema": {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE}},
    "format": {"name": "format", "in": "query", "required": False,
               "description": "`json` (default): one page in the Page wrapper. `ndjson`: every matching item, one "
                              "JSON object a line, without pagination (`page` and `per_page` are then ignored).",
               "schema": {"type": "string", "enum": list(params.FORMATS)}},
    "taxonomy_term_id": {"name": "taxonomy_term_id", "in": "query", "required": False,
                         "description": "Only services with this taxonomy term (a route or a condition treated).",
                         "schema": UUID_SCHEMA},
    "taxonomy_id": {"name": "taxonomy_id", "in": "query", "required": False,
                    "description": "Only services with any term of this taxonomy.", "schema": UUID_SCHEMA},
    "organization_id": {"name": "organization_id", "in": "query", "required": False,
                        "description": "Only the services this organization provides.", "schema": UUID_SCHEMA},
    "modified_after": {"name": "modified_after", "in": "query", "required": False,
                       "description": "Only results modified on or after this date-time (RFC 3339, e.g. "
                                      "2026-11-30T00:00:00Z).",
                       "schema": {"type": "string", "format": "date-time"}},
    # The standard's postcode and proximity, as one object exploded into the query (OpenAPI's form style): the
    # query carries postcode=... and proximity=..., and `dependentRequired` says proximity needs a postcode.
    "near": {"name": "near", "in": "query", "required": False, "style": "form", "explode": True,
             "description": "`postcode`: a 5-digit US ZIP code. Alone, only services at an address in it; with "
                            "`proximity` (metres), only services within that distance of its centre, nearest first. "
                            "`proximity` needs a `postcode`. An unknown postcode is answered 404. The query string "
                            "names only postcode and proximity.",
             "schema": {"type": "object", "additionalProperties": False,
                        "properties": {"postcode": {"type": "string", "pattern": params.POSTCODE,
                                                    "examples": ["10001"]},
                                       "proximity": {"type": "number", "minimum": 1,
                                                     "maximum": params.MAX_PROXIMITY_M, "examples": [40000]}},
                        "dependentRequired": {"proximity": ["postcode"]}},
             "example": {"postcode": "10001", "proximity": 40000}},
    "top_only": {"name": "top_only", "in": "query", "required": False,
                 "description": "Only top-level terms (every published term is: none has a parent).",
                 "schema": {"type": "boolean"}},
    "parent_id": {"name": "parent_id", "in": "query", "required": False,
                  "description": "Only terms with this parent (none of the published terms has one).",
                  "schema": UUID_SCHEMA},
}


def _load(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def standard() -> dict:
    """Return the standard's OpenAPI document, as shipped."""
    return _load(STANDARD_DIR / "openapi.json")


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _localise(node):
    """Replace the standard's remote $refs and compiled-schema `#/definitions/` refs with our components."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in LOCAL:
            return {**node, "$ref": f"#/components/schemas/{LOCAL[ref]}"}
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return {**node, "$ref": "#/components/schemas/" + ref.removeprefix("#/definitions/")}
        return {key: _localise(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_localise(item) for item in node]
    return node


def _schemas() -> dict:
    """Return the components: the Page and Error, and the compiled schemas the responses name."""
    compiled = _load(SCHEMA_DIR / "compiled" / "service_with_definitions.json")
    definitions = compiled.pop("definitions")
    organization = copy.deepcopy(definitions["organization"])
    organization["properties"]["services"] = {
        "type": "array", "description": "The organization's services, with their one-to-one fields.",
        "items": {"$ref": "#/components/schemas/ServiceListItem"}}
    schemas = {name: _localise(schema) for name, schema in definitions.items()}
    schemas.update({
        "Service": _localise(compiled), "Organization": _localise(organization),
        "ServiceListItem": _load(SCHEMA_DIR / "compiled" / "service_list.json"),
        "OrganizationListItem": _load(SCHEMA_DIR / "compiled" / "organization_list.json"),
        "ServiceAtLocationListItem": _load(SCHEMA_DIR / "compiled" / "service_at_location_list.json"),
        "Error": ERROR,
    })
    page = copy.deepcopy(standard()["components"]["schemas"]["Page"])
    page["required"] = list(page["properties"])  # every answer has them all
    schemas["Page"] = page
    return schemas


def _operation(path: str, operation: dict) -> dict:
    operation = copy.deepcopy(operation)
    kept = []
    for parameter in operation.get("parameters", []):
        name = parameter.get("$ref", "").rsplit("/", 1)[-1] or parameter.get("name")
        if name in LEFT_OUT:
            continue
        if name == "postcode":
            kept.append({"$ref": "#/components/parameters/near"})
        elif name != "proximity":
            kept.append({"$ref": f"#/components/parameters/{name}"})
    operation.pop("parameters", None)
    if kept:
        operation["parameters"] = kept
    operation = _localise(operation)
    responses = operation["responses"]
    if path == "/":
        responses["200"]["content"]["application/json"]["schema"]["required"] = ["version", "profile", "openapi_url"]
        return operation
    if "{id}" in path:
        responses["404"] = _error("No published item has this id. Ids are the UUIDs the lists and files show.")
    else:
        item = responses["200"]["content"]["application/json"]["schema"]["properties"]["contents"]["items"]
        responses["200"]["content"]["application/json"]["schema"]["required"] = ["contents"]
        responses["200"]["content"][NDJSON] = {"schema": item}
        responses["400"] = _error("A parameter is unknown, given twice or out of range; `fields` names each with "
                                  "the reason. Parameters combine as AND, so nothing is silently widened.")
        if path == "/service_at_locations":
            responses["404"] = _error("The postcode is not one the geocoder knows.")
    responses["429"] = RATE_LIMITED
    return operation


@cache
def document() -> dict:
    """Return the OpenAPI document of /hsds/."""
    source = standard()
    paths = {path: {method: _operation(path, op) if method == "get" else op for method, op in item.items()}
             for path, item in source["paths"].items() if path in SERVED}
    for path, example in EXAMPLE_IDS.items():
        [parameter] = paths[path]["parameters"]
        parameter["schema"] = {**UUID_SCHEMA, "examples": [example]}
        parameter["example"] = example
    # The standard swaps the two operation ids of taxonomy terms; the list keeps the id that names it.
    paths["/taxonomy_terms"]["get"]["operationId"] = "getPaginatedListOfTaxonomyTerms"
    paths["/openapi.json"] = {"get": {"operationId": "getOpenAPI", "summary": "This document.", "responses": {
        "200": {"description": "The OpenAPI 3.1 document of this API.",
                "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}}}}
    return {
        "openapi": source["openapi"],
        "info": {
            "title": "Lantern Clinic Guide: HSDS 3.0 API",
            "version": "1",
            "summary": "US ketamine clinics as Open Referral HSDS 3.0 services, organizations and locations.",
            "description": f"Read-only, HSDS {HSDS_VERSION}. Lists use the standard's Page wrapper; filters combine "
                           "as AND; errors are JSON `{\"error\": {\"status\", \"message\", \"fields\"}}` (the "
                           "standard defines none); requests are rate-limited per address (429 with Retry-After). "
                           "This document is derived from Open Referral's HSDS 3.0 OpenAPI (CC BY-SA 4.0, "
                           "https://openreferral.org/) and shared under the same licence; the listing data is "
                           "CC BY 4.0. All demo data is fictional.",
            "license": {"name": "CC BY-SA 4.0", "identifier": "CC-BY-SA-4.0"},
        },
        "jsonSchemaDialect": source["jsonSchemaDialect"],
        "servers": [{"url": "/hsds"}],
        "paths": paths,
        "components": {"schemas": _schemas(), "parameters": PARAMETERS},
    }
