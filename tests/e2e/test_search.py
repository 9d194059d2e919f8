"""A person types a ZIP code, sees the nearest clinics as a list and on a map, and opens one (real Chromium).

Nothing leaves the machine: every request that is not to the live server (map tiles) is aborted, which
also shows that the page works when the tiles cannot load.
"""

import re
import uuid

import pytest
from geopy.distance import geodesic
from playwright.sync_api import expect

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route

pytestmark = pytest.mark.e2e

HELENA_ZIP = "59601"
HELENA = (46.6130, -112.0210)  # near the 59601 centroid; no other test puts clinics in Montana
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture
def helena_clinics(live_db):
    """Commit three clinics around Helena, MT, at 2, 5 and 9 miles."""
    tag = uuid.uuid4().hex[:8]
    made = []
    for miles, bearing, name in [(5, 90, "Last Chance Gulch Ketamine"), (2, 200, "Capitol Infusion Center"),
                                 (9, 330, "Mount Helena Wellness")]:  # fmt: skip
        there = geodesic(miles=miles).destination(HELENA, bearing)
        clinic = Clinic(
            name=f"{name} {tag}", slug=f"{name.lower().replace(' ', '-')}-{tag}", street="1 Last Chance Gulch",
            city="Helena", state="MT", zip_code=HELENA_ZIP, latitude=there.latitude, longitude=there.longitude,
            status=ClinicStatus.PUBLISHED, price_per_infusion_usd=425, score_total=70.0 + miles,
        )
        clinic.routes = [Route.IV]
        clinic.conditions = [Condition.DEPRESSION]
        made.append(clinic)
    db.session.add_all(made)
    db.session.commit()
    yield tag
    db.session.remove()


@pytest.fixture
def offline_page(page):
    """The page, with every request that would leave the machine aborted."""
    page.route(OFF_MACHINE, lambda route: route.abort())
    return page


def result_names(page) -> list[str]:
    return page.locator(".result-card .result-name").all_inner_texts()


def test_type_a_zip_see_the_list_and_the_map_then_open_a_clinic(offline_page, helena_clinics):
    page = offline_page
    page.goto("/")
    page.get_by_label("ZIP code or city").fill(HELENA_ZIP)
    page.get_by_role("button", name="Search clinics").click()
    page.wait_for_url(re.compile(r"/search\?location=59601"))

    names = [n for n in result_names(page) if helena_clinics in n]
    assert names == [f"Capitol Infusion Center {helena_clinics}", f"Last Chance Gulch Ketamine {helena_clinics}",
                     f"Mount Helena Wellness {helena_clinics}"]  # fmt: skip
    first_card = page.locator(".result-card").first
    assert re.search(r"\d+\.\d mi", first_card.locator(".result-distance").inner_text())

    map_box = page.locator("#results-map")
    map_box.wait_for(state="visible")
    markers = page.locator("#results-map .leaflet-marker-icon")
    assert markers.count() == page.locator(".result-card").count()
    assert markers.first.get_attribute("title")

    markers.nth(0).click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(
        page.locator(".result-card").first.get_attribute("data-name"), use_inner_text=True
    )

    page.locator(".result-list").get_by_role("link", name=f"Capitol Infusion Center {helena_clinics}").click()
    page.wait_for_url(re.compile(r"/clinics/capitol-infusion-center-"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Capitol Infusion Center {helena_clinics}"


def test_use_my_location_asks_the_browser_and_searches_there(browser, live_server, helena_clinics):
    context = browser.new_context(
        base_url=live_server, geolocation={"latitude": HELENA[0], "longitude": HELENA[1]}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.route(OFF_MACHINE, lambda route: route.abort())
    page.goto("/search")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url(re.compile(r"location=46\.6130%2C-112\.0210"))
    assert "Clinics near 46.6130, -112.0210" in page.get_by_role("heading", level=1).inner_text()
    assert f"Capitol Infusion Center {helena_clinics}" in result_names(page)
    context.close()


def test_without_leaflet_the_list_is_still_the_page(offline_page, helena_clinics):
    page = offline_page
    page.route("**/vendor/leaflet/**", lambda route: route.abort())
    page.goto(f"/search?location={HELENA_ZIP}&sort=score")
    assert f"Mount Helena Wellness {helena_clinics}" in result_names(page)
    assert page.locator("#results-map").is_hidden()


def test_without_javascript_the_search_works_and_shows_errors(browser, live_server, helena_clinics):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search")
    assert page.get_by_role("button", name="Use my location").is_hidden()
    page.get_by_label("ZIP code, city or coordinates").fill("Helena, MT")
    page.get_by_label("Within").fill("900")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("Choose a radius from 1 to 500 miles", use_inner_text=True)
    expect(page.get_by_label("ZIP code, city or coordinates")).to_have_value("Helena, MT")
    page.get_by_label("Within").fill("10")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]radius=10(&|$)"))  # the new results page, loaded, before reading it
    assert f"Capitol Infusion Center {helena_clinics}" in result_names(page)
    assert page.locator("#results-map").is_hidden()
    context.close()
