"""/search: the HTML page, its validation, result cards, map data and pagination."""

import re
from html import unescape

import pytest
from geopy.distance import geodesic

from provider_dir.listings.vocab import Condition, Route

# Origin of "10001": its ZIP centroid.
ZIP_10001 = (40.7484, -73.9967)


def spot(miles: float, bearing: float = 0.0) -> dict:
    there = geodesic(miles=miles).destination(ZIP_10001, bearing)
    return {"latitude": there.latitude, "longitude": there.longitude}


def cards(html: str) -> list[str]:
    return re.findall(r'<h3 class="result-name"><a href="[^"]+">([^<]+)</a>', html)


def test_without_a_place_the_page_shows_the_empty_form(client):
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="location"' in page.text and "result-card" not in page.text


def test_a_zip_code_shows_cards_nearest_first_with_distance_score_rating_routes_and_price(client, create_clinic):
    create_clinic(name="Chelsea Infusions", score_total=84.0, rating_bayes=4.62, rating_avg=4.8, rating_count=23,
                  routes=[Route.IV, Route.ESKETAMINE], price_per_infusion_usd=495, **spot(1.26))  # fmt: skip
    create_clinic(name="Brooklyn Ketamine", score_total=None, price_per_infusion_usd=None, **spot(4.0, 150))

    page = client.get("/search?location=10001")

    assert page.status_code == 200
    html = unescape(page.text)
    assert cards(page.text) == ["Chelsea Infusions", "Brooklyn Ketamine"]
    assert "Clinics near New York, NY 10001" in html
    assert "2 clinics within 25 miles" in html
    first = html[html.index("Chelsea Infusions"):html.index("Brooklyn Ketamine")]
    for shown in ("1.3 mi", "84</strong>/100", "4.6</strong>", "23 reviews", "IV infusion",
                  "Esketamine nasal spray (Spravato)", "$495 per infusion"):  # fmt: skip
        assert shown in first, shown
    second = html[html.index("Brooklyn Ketamine"):]
    for shown in ("4.0 mi", "Not scored yet", "No reviews yet", "Ask the clinic"):
        assert shown in second, shown


def test_distances_can_be_shown_in_kilometres(client, create_clinic):
    create_clinic(name="Ten Km Clinic", **spot(10 / 1.609344))
    html = client.get("/search?location=10001&radius=20&unit=km").text
    assert "10.0 km" in html and "within 20 km" in html


def test_the_map_gets_its_markers_from_the_cards_and_its_tiles_from_configuration(app, client, create_clinic):
    create_clinic(name="Mapped Clinic", slug="mapped-clinic", **spot(2))
    html = client.get("/search?location=10001").text
    assert re.search(r'data-result data-lat="[-\d.]+" data-lon="[-\d.]+"\s+data-name="Mapped Clinic" '
                     r'data-url="/clinics/mapped-clinic"', html)  # fmt: skip
    assert f'data-tile-url="{app.config["MAP_TILE_URL"]}"' in unescape(html)
    assert 'id="results-map" hidden' in html  # shown by the script only when Leaflet loaded
    assert "vendor/leaflet/leaflet.js" in html and "js/search-map.js" in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None  # no inline script anywhere


def test_the_use_my_location_button_is_hidden_until_a_script_shows_it(client):
    html = client.get("/search").text
    assert re.search(r'<button type="button"[^>]*id="use-my-location"[^>]*hidden>', html)
    assert "js/use-my-location.js" in html


def test_filters_and_sort_reach_the_results_and_stay_in_the_form(client, create_clinic):
    create_clinic(name="Treats PTSD", conditions=[Condition.PTSD], has_verified_credentials=True, **spot(3))
    create_clinic(name="Depression Only", conditions=[Condition.DEPRESSION], has_verified_credentials=True, **spot(1))
    create_clinic(name="Unverified PTSD", conditions=[Condition.PTSD], **spot(2))

    page = client.get("/search?location=10001&condition=ptsd&verified=y&sort=score&max_price=600")

    assert cards(page.text) == ["Treats PTSD"]
    assert '<option selected value="ptsd">' in page.text
    assert '<option selected value="score">' in page.text
    assert re.search(r'id="verified"[^>]*checked|checked[^>]*id="verified"', page.text)
    assert 'value="600"' in page.text


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("location=", 400, "Enter a 5-digit ZIP code"),
        ("location=10001&radius=0.5", 400, "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius=501", 400, "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius=900&unit=km", 400, "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius=ten", 400, "Not a valid float value"),
        ("location=10001&condition=hiccups", 400, "Unknown condition &#39;hiccups&#39;. Choose one of: depression"),
        ("location=10001&sort=price", 400, "Unknown sort &#39;price&#39;"),
        ("location=10001&min_rating=9", 400, "Ratings run from 1 to 5 stars"),
        ("location=10001&page=0", 400, "The page number must be 1 or more"),
        ("location=Atlantis%2C+ZZ", 422, "We could not find “Atlantis, ZZ”"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, query, status, message):
    page = client.get(f"/search?{query}")
    assert page.status_code == status
    assert message in page.text
    assert 'class="error-summary"' in page.text
    typed = query.split("&")[0].split("=", 1)[1].replace("+", " ").replace("%2C", ",")
    assert f'value="{typed}"' in page.text


def test_a_page_past_the_last_is_a_404_with_a_way_back(client, create_clinic):
    create_clinic(**spot(1))
    page = client.get("/search?location=10001&page=3")
    assert page.status_code == 404
    assert "This search has 1 page; there is no page 3." in page.text
    assert "Go to the first page" in page.text


def test_pagination_links_keep_the_search(client, create_clinic):
    for i in range(25):
        create_clinic(name=f"Paged {i:02d}", **spot(0.5 + i / 2, i * 13))
    first = client.get("/search?location=10001&route=iv_infusion")
    assert len(cards(first.text)) == 20
    link = re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1)
    assert "location=10001" in link and "route=iv_infusion" in link and "page=2" in link
    second = client.get(unescape(link))
    assert len(cards(second.text)) == 5 and "25 clinics within 25 miles" in second.text


def test_no_clinic_anywhere_says_so_and_suggests_fewer_filters(client):
    page = client.get("/search?location=Nome,+AK&radius=5")
    assert page.status_code == 200
    assert "No clinics within 5 miles match" in page.text
    assert "No published clinic anywhere matches these filters. Try fewer filters." in page.text
