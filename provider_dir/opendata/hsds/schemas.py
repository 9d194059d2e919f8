"""The shipped HSDS 3.0 schemas made strict, as the standard's own CI uses them: no property the schema lacks.

`strict_validator("service")` checks one flat object (a CSV row, typed) against `schema/service.json`;
`strict_validator("compiled/service_with_definitions")` checks a fully dereferenced service. Both close every
object schema with `additionalProperties: false` and check the formats jsonschema can (uuid, email, date, ...).
"""

from __future__ import annotations

import copy
import json
from functools import cache, lru_cache
from pathlib import Path

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

STANDARD_DIR = Path(__file__).resolve().parent.parent.parent / "standards" / "hsds"
SCHEMA_DIR = STANDARD_DIR / "schema"
DATAPACKAGE = STANDARD_DIR / "datapackage.json"


def closed(schema):
    """Return a copy of a schema with every object schema that lists properties closed to others."""
    schema = copy.deepcopy(schema)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node["additionalProperties"] = False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return schema


def load(name: str) -> dict:
    """Return one shipped schema by its name under schema/, e.g. "phone" or "compiled/service_with_definitions"."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = [(path.name, Resource.from_contents(closed(json.loads(path.read_text(encoding="utf-8"))),
                                                    default_specification=DRAFT7))
                 for path in SCHEMA_DIR.glob("*.json")]
    return Registry().with_resources(resources)


@cache
def strict_validator(name: str) -> Draft7Validator:
    """Return a validator of one HSDS object by the named shipped schema, closed to unknown properties."""
    return Draft7Validator(closed(load(name)), registry=_registry(), format_checker=FormatChecker())


def errors(name: str, instance: dict) -> list[str]:
    """Return every way an object breaks the named schema (strictly), as 'path: message' lines."""
    found = sorted(strict_validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or name}: {e.message}" for e in found]
