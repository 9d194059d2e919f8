"""The OpenAPI document: served, complete for every /api/v1 route, and true of real answers."""

from __future__ import annotations

import re

import jsonschema_rs  # comes with schemathesis
import pytest

from provider_dir.api import openapi
from provider_dir.api.openapi import EXAMPLE_SLUG, SEARCH_PARAMETER_NAMES, documented_paths
from provider_dir.geo.api import PARAMETERS as SEARCH_API_PARAMETERS

IGNORED_METHODS = {"HEAD", "OPTIONS"}
# Documented ahead of the code that another change adds; remove a path here once its route exists.
NOT_YET_ROUTED = {"/api/v1/compare"}


def api_rules(app) -> dict[str, set[str]]:
    """Return every /api/v1 rule of the app's URL map with its methods, in Flask's syntax."""
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule.rule)
            rules.setdefault(path, set()).update(rule.methods - IGNORED_METHODS)
    return rules


def validator_for(document: dict, component: str) -> jsonschema_rs.Draft202012Validator:
    """Return a validator for one component schema, resolving the document's own $refs."""
    return jsonschema_rs.Draft202012Validator({**document, "$ref": f"#/components/schemas/{component}"})


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def test_every_api_route_of_the_url_map_is_documented_with_its_methods(app, document):
    rules = api_rules(app)
    assert "/api/v1/search" in rules and "/api/v1/clinics/<slug>" in rules
    documented = {path.replace("{", "<").replace("}", ">"): item for path, item in document["paths"].items()}
    missing = sorted(set(rules) - set(documented))
    assert not missing, f"Describe these routes in provider_dir/api/openapi.py: {missing}"
    for path, methods in rules.items():
        assert {m.lower() for m in methods} == set(documented[path]), path
    assert set(documented) - set(rules) <= NOT_YET_ROUTED
    assert documented_paths() == set(documented)


def test_every_operation_describes_its_parameters_and_error_bodies(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description") and parameter.get("schema"), (path, parameter["name"])
            for status, response in operation["responses"].items():
                assert response.get("description"), (path, status)
                assert "application/json" in response.get("content", {}), (path, method, status)
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/Error"}, (path, status)


def test_the_search_parameters_are_the_ones_the_endpoint_accepts(document):
    # An object parameter in form style is exploded: its properties are the query's names (radius_mi, radius_km).
    documented = [name for p in document["paths"]["/api/v1/search"]["get"]["parameters"]
                  for name in (p["schema"]["properties"] if p.get("explode") else [p["name"]])]
    assert set(documented) == set(SEARCH_API_PARAMETERS) == set(SEARCH_PARAMETER_NAMES)


def test_the_document_is_openapi_3_1_with_valid_json_schemas(document):
    assert document["openapi"].startswith("3.1.")
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name
    assert document == openapi.document()


def test_a_full_clinic_answer_matches_the_document(client, document, api_clinics):
    body = client.get(f"/api/v1/clinics/{EXAMPLE_SLUG}").json
    validator_for(document, "Clinic").validate(body)
    assert body["staff"] and body["staff"][0]["credentials"]
    assert any(item["evidence"] for item in body["score"]["items"])
    assert any(item["patients"] for item in body["score"]["items"]) or body["rating"]["count"] == 2


def test_a_bare_clinic_answer_matches_the_document(client, document, api_clinics):
    body = client.get("/api/v1/clinics/bare-ketamine-clinic").json
    validator_for(document, "Clinic").validate(body)
    assert body["website"] is None and body["staff"] == []


def test_search_answers_and_errors_match_the_document(client, document, api_clinics):
    found = client.get("/api/v1/search?location=10001&radius_mi=5&per_page=1")
    validator_for(document, "SearchResults").validate(found.json)
    assert found.json["total"] == 2 and len(found.json["results"]) == 1
    error = validator_for(document, "Error")
    for query, status in [("location=10001&radius=5", 400), ("location=10001&radius_mi=0.1", 400),
                          ("location=Atlantis%2C+ZZ", 404), ("location=10001&page=9", 404)]:
        response = client.get(f"/api/v1/search?{query}")
        assert response.status_code == status, query
        error.validate(response.json)
        assert response.json["error"]["status"] == status and response.json["error"]["message"]
    error.validate(client.get("/api/v1/clinics/no-such-clinic").json)


def test_the_footer_links_to_the_document(client):
    html = client.get("/about").text
    assert 'href="/api/v1/openapi.json"' in html
