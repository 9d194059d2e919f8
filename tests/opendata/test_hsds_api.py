"""The HSDS API as a consumer meets it: strictly valid objects, pages, filters combined as AND, ndjson, errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from provider_dir.listings.vocab import Condition, Route
from provider_dir.opendata.hsds import mapping
from provider_dir.opendata.hsds.schemas import strict_validator
from tests.opendata.hsds_api_helpers import check_page, errors_of, organization_validator

IV = mapping.taxonomy_term_id("route", Route.IV.value)
PTSD = mapping.taxonomy_term_id("condition", Condition.PTSD.value)


@pytest.fixture
def clinics(create_clinic, add_staff):
    """Three published clinics in Manhattan, Brooklyn and Boston, and one draft."""
    made = {
        "manhattan": create_clinic(name="Midtown Ketamine", routes=[Route.IV], conditions=[Condition.PTSD],
                                   phone="(212) 555-0100", languages=["English", "Spanish"]),
        "brooklyn": create_clinic(name="Brooklyn Infusions", city="Brooklyn", zip_code="11201", latitude=40.6939,
                                  longitude=-73.9900, routes=[Route.ESKETAMINE], conditions=[Condition.PTSD]),
        "boston": create_clinic(name="Harbor Ketamine", city="Boston", state="MA", zip_code="02110",
                                latitude=42.3570, longitude=-71.0530, routes=[Route.IV],
                                conditions=[Condition.DEPRESSION]),
    }
    add_staff(made["manhattan"])
    from provider_dir.listings.vocab import ClinicStatus

    create_clinic(name="Draft Ketamine", status=ClinicStatus.DRAFT)
    return made


def names(contents: list[dict], key: str = "name") -> set[str]:
    return {item[key] for item in contents}


def test_the_root_says_version_profile_and_where_the_document_is(client):
    body = client.get("/hsds/").json
    assert body["version"] == "3.0" and body["profile"].startswith("https://")
    document = client.get(body["openapi_url"].removeprefix("http://localhost"))
    assert document.status_code == 200 and document.json["servers"] == [{"url": "/hsds"}]


def test_services_come_in_pages_of_strictly_valid_items(client, clinics):
    first = client.get("/hsds/services?per_page=2").json
    assert first["total_items"] == 3 and first["total_pages"] == 2 and first["first_page"] and not first["last_page"]
    second = client.get("/hsds/services?per_page=2&page=2").json
    assert second["last_page"] and second["page_number"] == 2
    seen = names(check_page("services", first)) | names(check_page("services", second))
    assert seen == {"Midtown Ketamine", "Brooklyn Infusions", "Harbor Ketamine"}  # never the draft
    past = client.get("/hsds/services?page=9").json
    assert past["empty"] and past["contents"] == [] and past["total_items"] == 3


def test_one_service_is_fully_nested_and_strictly_valid(client, clinics):
    clinic = clinics["manhattan"]
    body = client.get(f"/hsds/services/{mapping.service_id(clinic)}").json
    assert strict_validator("compiled/service_with_definitions") and \
        errors_of(strict_validator("compiled/service_with_definitions"), body) == []
    assert body["name"] == "Midtown Ketamine" and body["phones"][0]["number"] == "(212) 555-0100"
    assert body["contacts"], "the listed staff are the service's contacts"
    assert {a["taxonomy_term"]["id"] for a in body["attributes"]} == {IV, PTSD}


def test_an_organization_comes_with_its_location_and_service(client, clinics):
    clinic = clinics["boston"]
    body = client.get(f"/hsds/organizations/{mapping.organization_id(clinic)}").json
    assert errors_of(organization_validator(), body) == []
    assert body["locations"][0]["addresses"][0]["postal_code"] == "02110"
    assert body["services"][0]["id"] == mapping.service_id(clinic)
    listed = check_page("organizations", client.get("/hsds/organizations?search=harbor").json)
    assert names(listed) == {"Harbor Ketamine"}


@pytest.mark.parametrize("path", ["/hsds/services/{}", "/hsds/organizations/{}"])
def test_unknown_and_draft_ids_are_404_with_a_message(client, clinics, create_clinic, path):
    from provider_dir.listings.vocab import ClinicStatus

    draft = create_clinic(status=ClinicStatus.DRAFT)
    for wrong in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", mapping.service_id(draft),
                  mapping.organization_id(draft)):
        response = client.get(path.format(wrong))
        assert response.status_code == 404 and "No published" in response.json["error"]["message"], wrong


def test_filters_combine_as_and(client, clinics):
    def found(query: str) -> set[str]:
        return names(check_page("services", client.get(f"/hsds/services?{query}").json))

    assert found(f"taxonomy_term_id={IV}") == {"Midtown Ketamine", "Harbor Ketamine"}
    assert found(f"taxonomy_term_id={PTSD}") == {"Midtown Ketamine", "Brooklyn Infusions"}
    assert found(f"taxonomy_term_id={PTSD}&search=ketamine") == {"Midtown Ketamine"}
    boston = mapping.organization_id(clinics["boston"])
    assert found(f"organization_id={boston}") == {"Harbor Ketamine"}
    assert found(f"organization_id={boston}&taxonomy_term_id={PTSD}") == set()
    assert found(f"taxonomy_id={mapping.taxonomy_id('route')}&search=brooklyn") == {"Brooklyn Infusions"}


def test_modified_after_leaves_out_what_did_not_change_since(client, clinics, app):
    from provider_dir.extensions import db

    clinics["boston"].updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    for key in ("manhattan", "brooklyn"):
        clinics[key].updated_at = datetime(2026, 11, 1, 12, tzinfo=UTC)
    db.session.flush()
    assert names(check_page("services", client.get(
        "/hsds/services?modified_after=2026-11-01T11:00:00Z").json)) == {"Midtown Ketamine", "Brooklyn Infusions"}
    # 13:00 at +02:00 is 11:00 UTC; 14:00 is 12:00 UTC, the moment they changed ("on or after"); 14:01 is after it
    assert client.get("/hsds/services?modified_after=2026-11-01T13:00:00%2B02:00").json["total_items"] == 2
    assert client.get("/hsds/services?modified_after=2026-11-01T14:00:00%2B02:00").json["total_items"] == 2
    assert client.get("/hsds/services?modified_after=2026-11-01T14:01:00%2B02:00").json["total_items"] == 0


def test_services_near_a_postcode_nearest_first(client, clinics):
    near = client.get("/hsds/service_at_locations?postcode=10001&proximity=20000").json
    contents = check_page("service_at_locations", near)
    assert [item["service"]["name"] for item in contents] == ["Midtown Ketamine", "Brooklyn Infusions"]
    at = check_page("service_at_locations", client.get("/hsds/service_at_locations?postcode=02110").json)
    assert [item["service"]["name"] for item in at] == ["Harbor Ketamine"]
    close = client.get("/hsds/service_at_locations?postcode=10001&proximity=3000"
                       f"&taxonomy_term_id={PTSD}").json
    assert [item["service"]["name"] for item in close["contents"]] == ["Midtown Ketamine"]


def test_ndjson_streams_every_item_without_pages(client, clinics):
    response = client.get("/hsds/services?format=ndjson&per_page=1")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 3
    for item in lines:
        assert errors_of(strict_validator("compiled/service_list"), item) == []
    near = client.get("/hsds/service_at_locations?format=ndjson&postcode=10001&proximity=20000").text
    assert len(near.splitlines()) == 2


def test_taxonomies_and_terms_are_published_and_valid(client):
    taxonomies = check_page("taxonomies", client.get("/hsds/taxonomies").json)
    assert len(taxonomies) == 2
    routes = check_page("taxonomy_terms", client.get(
        f"/hsds/taxonomy_terms?taxonomy_id={mapping.taxonomy_id('route')}&per_page=100").json)
    assert {term["code"] for term in routes} == {route.value for route in Route}
    assert client.get(f"/hsds/taxonomy_terms?parent_id={IV}").json["empty"]


@pytest.mark.parametrize("query, field, words", [
    ("/hsds/services?colour=red", "colour", "Unknown parameter"),
    ("/hsds/services?page=0", "page", "from 1 to"),
    ("/hsds/services?per_page=500", "per_page", "from 1 to 100"),
    ("/hsds/services?page=1&page=2", "page", "once"),
    ("/hsds/services?format=xml", "format", "json"),
    ("/hsds/services?taxonomy_term_id=iv", "taxonomy_term_id", "UUID"),
    ("/hsds/services?modified_after=yesterday", "modified_after", "RFC 3339"),
    ("/hsds/services?modified_after=2026-02-30T00:00:00Z", "modified_after", "does not exist"),
    ("/hsds/service_at_locations?proximity=5000", "proximity", "postcode"),
    ("/hsds/service_at_locations?postcode=10001&proximity=-5", "proximity", "metres"),
    ("/hsds/service_at_locations?postcode=NY", "postcode", "5-digit"),
    ("/hsds/organizations?taxonomy_id=" + IV, "taxonomy_id", "Unknown parameter"),
])
def test_bad_parameters_get_400_naming_each(client, query, field, words):
    response = client.get(query)
    assert response.status_code == 400
    assert words in " ".join(response.json["error"]["fields"][field])


def test_an_unknown_postcode_is_404_with_what_to_give(client):
    response = client.get("/hsds/service_at_locations?postcode=00000")
    assert response.status_code == 404 and "postcode" in response.json["error"]["fields"]


def test_the_api_is_read_only(client):
    assert client.post("/hsds/services").status_code == 405
    assert client.get("/hsds/nothing-here").json["error"]["status"] == 404  # JSON errors everywhere under /hsds/


def test_the_api_is_rate_limited_like_the_search_api(limited_app):
    client = limited_app.test_client()
    assert {client.get("/hsds/taxonomies").status_code for _ in range(60)} == {200}
    blocked = client.get("/hsds/taxonomies")
    assert blocked.status_code == 429 and blocked.headers.get("Retry-After")
    assert "Too many attempts" in blocked.json["error"]["message"]


def test_pages_follow_changes_to_the_data(client, clinics, create_clinic):
    from provider_dir.extensions import db

    assert client.get("/hsds/services?per_page=1&page=3").json["total_items"] == 3
    create_clinic(name="Newly Listed Ketamine")
    clinics["boston"].name = "Renamed Harbor"
    db.session.commit()
    body = client.get("/hsds/services?per_page=1&page=4").json
    assert body["total_items"] == 4 and body["contents"][0]["name"] == "Newly Listed Ketamine"
    assert "Renamed Harbor" in names(client.get("/hsds/services").json["contents"])
