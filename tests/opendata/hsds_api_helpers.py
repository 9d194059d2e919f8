"""Strict validators for what the HSDS API answers, from the shipped schemas (no property the standard lacks)."""

from __future__ import annotations

from functools import cache

from jsonschema import Draft7Validator, FormatChecker

from provider_dir.opendata.hsds.schemas import _registry, closed, load, strict_validator

LIST_ITEM = {"services": "compiled/service_list", "organizations": "compiled/organization_list",
             "service_at_locations": "compiled/service_at_location_list", "taxonomies": "taxonomy",
             "taxonomy_terms": "taxonomy_term"}
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@cache
def organization_validator() -> Draft7Validator:
    """The standard's organization with its services array (as the compiled organization has it), strict."""
    schema = closed(load("organization"))
    schema["properties"]["services"] = {"type": "array", "items": closed(load("compiled/service_list"))}
    return Draft7Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors_of(validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def check_page(endpoint: str, body: dict) -> list[dict]:
    """Assert a list answer is a Page of strictly valid items; return its contents."""
    assert set(body) == PAGE_KEYS
    assert body["size"] == len(body["contents"]) and body["empty"] == (not body["contents"])
    validator = strict_validator(LIST_ITEM[endpoint])
    for item in body["contents"]:
        assert errors_of(validator, item) == [], item["id"]
    return body["contents"]
