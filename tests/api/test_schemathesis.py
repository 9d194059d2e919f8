"""schemathesis against the app in process: no server error and every answer as the OpenAPI document says."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from provider_dir.api.openapi import document
from tests.api.test_openapi import api_rules

MAX_EXAMPLES = 30

# A well-formed search for a place the geocoder cannot find (422), or a page past the last (404), is a documented
# answer, not a rejection of valid input: positive_data_acceptance is told so rather than the document loosened.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "404", "422"]}}}
)

# Loaded from the same data the app serves (test_openapi checks the served copy); schemathesis's fixture-based
# loader does not run on pytest 9.2, so the app comes in as a fixture and is passed to each call.
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)


def flask_path(openapi_path: str) -> str:
    return re.sub(r"\{([^}]+)\}", r"<\1>", openapi_path)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case, app, api_clinics):
    if flask_path(case.operation.path) not in api_rules(app):
        pytest.skip(f"{case.operation.path} is documented ahead of its route")
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and case.method == "GET" and {"radius_mi", "radius_km"} <= set(case.query or {}):
        # Each radius is valid alone; both together is the one rule OpenAPI parameters cannot express, and
        # the document's 400 says it. Every other check still runs on the answer.
        response = case.call_and_validate(app=app, excluded_checks=[positive_data_acceptance])
        assert response.status_code == 400
        assert "Give radius_mi or radius_km, not both." in response.json()["error"]["message"]
        return
    query = case.query or {}
    if positive and case.operation.path == "/api/v1/search" and not any(
        str(query.get(name) or "").strip() for name in ("location", "q")
    ):
        # A place or a name is needed: each is optional alone, which OpenAPI parameters cannot say either.
        response = case.call_and_validate(app=app, excluded_checks=[positive_data_acceptance])
        assert response.status_code == 400
        assert "or a clinic or clinician name" in response.json()["error"]["message"]
        return
    case.call_and_validate(app=app)
