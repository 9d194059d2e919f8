"""On a phone (375x800) the results come first: filters fold behind "Filters (N)", the map is one tap away."""

import re
import uuid

import pytest
from geopy.distance import geodesic
from playwright.sync_api import expect
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.hours.services import set_hours_from_text
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from tests.e2e.test_accessibility import AXE, RUN_AXE, assert_no_serious

pytestmark = pytest.mark.e2e

BISMARCK_ZIP = "58501"
BISMARCK = (46.8083, -100.7837)  # no other test puts clinics in North Dakota
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def bismarck_clinics(live_db):
    """Four clinics around Bismarck, ND; two open at weekends."""
    tag = uuid.uuid4().hex[:8]
    for miles, name, hours in [(1, "River Road Ketamine", "Sat 9-1; Mon-Fri 9-5"), (3, "Capitol Infusions",
                               "Mon-Fri 9-5"), (6, "Prairie Wellness", "Sun 10-4"), (8, "Missouri Clinic", "")]:
        there = geodesic(miles=miles).destination(BISMARCK, 45 * miles)
        clinic = Clinic(
            name=f"{name} {tag}", slug=f"{name.lower().replace(' ', '-')}-{tag}", street="1 Main Ave",
            city="Bismarck", state="ND", zip_code=BISMARCK_ZIP, latitude=there.latitude, longitude=there.longitude,
            status=ClinicStatus.PUBLISHED, price_per_infusion_usd=450,
        )
        clinic.routes, clinic.conditions = [Route.IV], [Condition.DEPRESSION]
        set_hours_from_text(clinic, hours)
        db.session.add(clinic)
    db.session.commit()
    yield tag
    db.session.remove()
    # Gone after each test, so the counts and the first screen do not depend on the order tests run in.
    for clinic in db.session.scalars(select(Clinic).where(Clinic.slug.endswith(f"-{tag}"))):
        db.session.delete(clinic)
    db.session.commit()
    db.session.remove()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                                  bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.route(OFF_MACHINE, lambda route: route.abort())
    yield tab
    context.close()


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_filters_open_in_place(phone, bismarck_clinics):
    phone.goto(f"/search?location={BISMARCK_ZIP}&radius=25")

    first = phone.locator(".result-card").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box["y"] + 40 < PHONE["height"], f"the first result starts {box['y']:.0f}px down, below the first screen"
    toggle = phone.locator("summary.filters-toggle")
    expect(toggle).to_have_text(re.compile(r"Filters \(0\)"))
    weekends = phone.get_by_label(re.compile("Open weekends"))
    expect(weekends).to_be_hidden()

    toggle.click()  # opens in place, no new page
    expect(weekends).to_be_visible()
    expect(weekends.locator("xpath=..")).to_contain_text("(2")  # its count of clinics beside it
    weekends.check()
    phone.get_by_role("button", name="Apply filters").click()

    expect(phone).to_have_url(re.compile(r"weekends=1"))
    expect(phone.locator("summary.filters-toggle")).to_have_text(re.compile(r"Filters \(1\)"))
    expect(phone.locator(".result-card")).to_have_count(2)
    # Retried: under load the new page's stylesheets can arrive after its cards, which lie lower until they do.
    expect(phone.locator(".result-card").first).to_be_in_viewport()


def test_on_a_phone_the_map_is_one_tap_away(phone, bismarck_clinics):
    phone.goto(f"/search?location={BISMARCK_ZIP}&radius=25")
    jump = phone.get_by_role("link", name="Show the map")
    expect(jump).to_be_visible()

    jump.click()

    expect(phone.locator("#results-map")).to_be_in_viewport()


def test_the_phone_layout_has_no_serious_accessibility_violation(phone, bismarck_clinics):
    phone.goto(f"/search?location={BISMARCK_ZIP}&radius=25")
    phone.wait_for_load_state("load")
    phone.add_script_tag(path=str(AXE))
    closed = phone.evaluate(RUN_AXE)
    phone.locator("summary.filters-toggle").click()
    expect(phone.get_by_label(re.compile("Open weekends"))).to_be_visible()  # the filters are open before axe runs
    opened = phone.evaluate(RUN_AXE)

    assert_no_serious(closed)
    assert_no_serious(opened)


def test_on_a_wide_screen_the_filters_are_open_beside_the_search(page, bismarck_clinics):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/search?location={BISMARCK_ZIP}&radius=25")

    expect(page.get_by_label(re.compile("Open weekends"))).to_be_visible()
    expect(page.get_by_role("link", name="Show the map")).to_be_hidden()
