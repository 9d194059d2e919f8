"""An empty search says how far the nearest matching clinic is, and offers the radius that reaches it."""

import re
from html import unescape

import pytest
from geopy.distance import geodesic

from provider_dir.extensions import db
from provider_dir.geo.search import SearchQuery, nearest_match
from provider_dir.listings.vocab import ClinicStatus, Route

NOME = (64.5011, -165.4064)  # no other test puts clinics near Nome, AK


def spot(miles: float, bearing: float = 90.0) -> dict:
    there = geodesic(miles=miles).destination(NOME, bearing)
    return {"latitude": there.latitude, "longitude": there.longitude, "city": "Nome", "state": "AK",
            "zip_code": "99762"}


def query(**fields) -> SearchQuery:
    return SearchQuery(latitude=NOME[0], longitude=NOME[1], **fields)


def test_the_nearest_match_is_found_beyond_the_radius_and_respects_the_filters(create_clinic):
    create_clinic(name="Near But IV Only", routes=[Route.IV], **spot(60))
    create_clinic(name="Far Nasal Spray", routes=[Route.ESKETAMINE], **spot(140, 200))
    create_clinic(name="Farther Nasal Spray", routes=[Route.ESKETAMINE], **spot(300, 10))
    create_clinic(name="Near But Withdrawn", routes=[Route.ESKETAMINE], status=ClinicStatus.SUSPENDED, **spot(20))

    hit = nearest_match(db.session, query(radius_miles=25, route=Route.ESKETAMINE))
    assert hit.clinic.name == "Far Nasal Spray"
    assert hit.distance_miles == pytest.approx(140, rel=0.005)
    assert nearest_match(db.session, query(radius_miles=25)).clinic.name == "Near But IV Only"


def test_beyond_the_largest_radius_the_nearest_match_is_still_found(create_clinic):
    create_clinic(name="Seattle Oral Ketamine", routes=[Route.ORAL], latitude=47.61, longitude=-122.33)
    hit = nearest_match(db.session, query(radius_miles=25, route=Route.ORAL))
    assert hit.clinic.name == "Seattle Oral Ketamine" and hit.distance_miles > 1400


def test_nothing_matching_anywhere_is_none(create_clinic):
    create_clinic(name="IV Only", routes=[Route.IV], **spot(60))
    assert nearest_match(db.session, query(radius_miles=25, route=Route.ORAL)) is None


def test_the_page_names_the_nearest_clinic_and_the_widened_search_finds_it(client, create_clinic):
    create_clinic(name="Bering Sea Ketamine", slug="bering-sea-ketamine", **spot(87.3))
    page = client.get("/search?location=Nome,+AK&radius=10&route=iv_infusion")
    html = unescape(page.text)
    assert page.status_code == 200 and "No clinics within 10 miles match" in html
    said = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "The nearest clinic that matches your filters is Bering Sea Ketamine in Nome, AK, 87.3 miles away." in said
    assert '<a href="/clinics/bering-sea-ketamine">' in page.text
    widen = re.search(r'widen-link" href="([^"]+)">Search within 88 miles</a>', page.text)
    assert widen, "a link widening the radius"
    wider = client.get(unescape(widen.group(1)))
    assert "route=iv_infusion" in unescape(widen.group(1))
    assert "1 clinic within 88 miles" in wider.text and "Bering Sea Ketamine" in wider.text


def test_in_kilometres_the_widened_radius_is_in_kilometres(client, create_clinic):
    create_clinic(name="Metric Clinic", **spot(30))  # 48.3 km
    html = unescape(client.get("/search?location=Nome,+AK&radius=20&unit=km").text)
    assert "48.3 km" in html and "Search within 49 km" in html
    assert "unit=km" in re.search(r'widen-link" href="([^"]+)"', html).group(1)


def test_a_match_beyond_five_hundred_miles_gets_no_widen_link(client, create_clinic):
    create_clinic(name="Anchorage Ketamine", latitude=61.2181, longitude=-149.9003)  # about 540 miles
    html = unescape(client.get("/search?location=Nome,+AK&radius=25").text)
    assert "Anchorage Ketamine" in html and "widen-link" not in html
    assert "farther than the largest radius we search (500 miles)" in html


def test_a_search_with_results_names_no_nearest_clinic(client, create_clinic):
    create_clinic(name="Right Here", **spot(3))
    html = client.get("/search?location=Nome,+AK&radius=25").text
    assert "1 clinic within 25 miles" in html and "nearest-match" not in html


def test_the_api_gives_the_nearest_match_of_an_empty_search(client, create_clinic):
    create_clinic(name="Bering Sea Ketamine", slug="bering-sea-ketamine", **spot(87.3))
    body = client.get("/api/v1/search?location=Nome,+AK&radius_mi=10").get_json()
    assert body["total"] == 0
    assert body["nearest"]["slug"] == "bering-sea-ketamine"
    assert body["nearest"]["distance_mi"] == pytest.approx(87.3, abs=0.05)
    assert client.get("/api/v1/search?location=Nome,+AK&radius_mi=100").get_json()["nearest"] is None
