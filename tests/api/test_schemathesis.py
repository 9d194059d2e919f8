"""schemathesis against the app in process: no server error and every answer as the OpenAPI document says."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from provider_dir.api.openapi import document
from tests.api.test_openapi import api_rules

MAX_EXAMPLES = 30

# Loaded from the same data the app serves (test_openapi checks the served copy); schemathesis's fixture-based
# loader does not run on pytest 9.2, so the app comes in as a fixture and is passed to each call. Every check runs
# with its default settings: the document says what the API does (tests/api/test_schemathesis_served.py runs
# `st run --checks all` against a served copy).
schema = schemathesis.openapi.from_dict(document())


def flask_path(openapi_path: str) -> str:
    return re.sub(r"\{([^}]+)\}", r"<\1>", openapi_path)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case, app, api_clinics):
    if flask_path(case.operation.path) not in api_rules(app):
        pytest.skip(f"{case.operation.path} is documented ahead of its route")
    case.call_and_validate(app=app)
