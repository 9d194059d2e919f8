"""In real Chromium: choose clinics to compare from the results (with and without JavaScript), the list and the
map lighting each other up, clustering, back and forward, and widening an empty search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import patients_world as worlds

pytestmark = pytest.mark.e2e

OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture(scope="module")
def world(live_app):
    return worlds.committed(live_app, worlds.cheyenne)


@pytest.fixture(scope="module")
def crowd(live_app):
    return worlds.committed(live_app, worlds.bismarck_crowd)


@pytest.fixture
def tab(page):
    page.set_default_timeout(30_000)  # the machine may be busy; these tests wait for the map's scripts
    page.route(OFF_MACHINE, lambda route: route.abort())
    return page


def card(page: Page, name: str):
    return page.locator(".result-card", has=page.get_by_role("link", name=name, exact=True))


def compare_box(page: Page, name: str):
    return page.get_by_role("checkbox", name=f"Compare {name}", exact=True)


def test_tick_three_results_and_compare_them_side_by_side(tab, world, crowd):
    page = tab
    page.goto(f"/search?location={worlds.BISMARCK_ZIP}")
    status = page.locator("#compare-status")
    names = crowd.names[:4]
    for n, name in enumerate(names[:3], start=1):
        compare_box(page, name).check()
        expect(status).to_contain_text(f"{n} of 3 chosen")
    expect(compare_box(page, names[3])).to_be_disabled()
    compare_box(page, names[2]).uncheck()
    expect(compare_box(page, names[3])).to_be_enabled()
    compare_box(page, names[3]).check()
    page.get_by_role("button", name="Compare selected clinics").click()
    page.wait_for_url(re.compile(r"/compare\?c="))
    assert page.url.endswith(f"/compare?c={crowd.slugs[0]}&c={crowd.slugs[1]}&c={crowd.slugs[3]}")
    headers = page.locator("thead th[scope=col] a:first-child").all_inner_texts()
    assert headers == [names[0], names[1], names[3]]
    assert page.locator("tr[data-row=safety] td").count() == 3

    page.goto(f"/compare?c={world.slugs[0]}&c={world.slugs[1]}")  # a shared link opens the same comparison
    expect(page.locator("tr[data-row=safety] td").first).to_contain_text("All met on the evidence we have")
    expect(page.locator("tr[data-row=safety] td").nth(1)).to_contain_text("Safety warning")


def test_without_javascript_too_many_ticks_are_offered_back_to_untick(browser, live_server, crowd):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/search?location={worlds.BISMARCK_ZIP}")
    for name in crowd.names[:4]:
        compare_box(page, name).check()
    page.get_by_role("button", name="Compare selected clinics").click()
    expect(page.locator(".error-summary")).to_contain_text("You chose 4 clinics; a comparison holds at most 3")
    choices = page.locator(".compare-choices input[type=checkbox]")
    assert choices.count() == 4
    page.get_by_label(re.compile(re.escape(crowd.names[1]))).uncheck()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator("thead th[scope=col] a:first-child")).to_have_text(
        [crowd.names[0], crowd.names[2], crowd.names[3]], use_inner_text=True
    )
    context.close()


def test_hovering_or_focusing_a_card_lights_its_marker_and_a_marker_its_card(tab, world):
    page = tab
    page.goto(f"/search?location={worlds.CHEYENNE_ZIP}")
    page.locator("#results-map .leaflet-marker-icon").first.wait_for()
    first, second = card(page, world.names[0]), card(page, world.names[1])
    first_pin = page.locator(f"#results-map .map-pin[title='1. {world.names[0]}']")
    second_pin = page.locator(f"#results-map .map-pin[title='2. {world.names[1]}']")

    first.hover()
    expect(first_pin).to_have_class(re.compile(r"\bis-active\b"))
    expect(first).to_have_class(re.compile(r"\bis-active\b"))
    second.hover()
    expect(first_pin).not_to_have_class(re.compile(r"\bis-active\b"))
    expect(second_pin).to_have_class(re.compile(r"\bis-active\b"))

    page.mouse.move(0, 0)
    page.get_by_role("link", name=world.names[0], exact=True).focus()
    expect(first_pin).to_have_class(re.compile(r"\bis-active\b"))
    page.get_by_role("link", name=world.names[0], exact=True).blur()
    expect(first_pin).not_to_have_class(re.compile(r"\bis-active\b"))

    second_pin.hover()
    expect(second).to_have_class(re.compile(r"\bis-active\b"))
    expect(first).not_to_have_class(re.compile(r"\bis-active\b"))
    page.mouse.move(0, 0)
    second_pin.focus()
    expect(second).to_have_class(re.compile(r"\bis-active\b"))


def test_many_clinics_on_a_page_cluster_and_a_card_lights_its_cluster(tab, crowd):
    page = tab
    page.goto(f"/search?location={worlds.BISMARCK_ZIP}")
    page.locator("#results-map .leaflet-marker-icon").first.wait_for()
    assert page.locator("#results-map").get_attribute("data-clustered") == "yes"
    clusters = page.locator("#results-map .marker-cluster")
    assert clusters.count() >= 1
    cards = page.locator(".result-card").count()
    pins = page.locator("#results-map .map-pin").count()
    held = sum(int(t) for t in clusters.locator("div > span:first-child").all_inner_texts())
    assert cards == min(crowd.crowd, 20) and pins < cards and pins + held == cards
    hidden = next(i for i in range(cards)
                  if page.locator(f"#results-map .map-pin[title^='{i + 1}. ']").count() == 0)  # fmt: skip
    page.locator(".result-card").nth(hidden).hover()
    expect(page.locator("#results-map .marker-cluster.is-active")).to_have_count(1)


def test_back_and_forward_restore_the_filters_in_the_address_and_the_form(tab, world):
    page = tab
    page.goto(f"/search?location={worlds.CHEYENNE_ZIP}")
    page.get_by_label("Treatment route").select_option("esketamine_nasal")
    page.get_by_label("Sort by").select_option("score")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"route=esketamine_nasal"))
    assert "sort=score" in page.url
    assert page.locator(".result-card").count() == 1

    page.go_back()
    page.wait_for_url(re.compile(rf"location={worlds.CHEYENNE_ZIP}$"))
    expect(page.get_by_label("Treatment route")).to_have_value("")
    assert page.locator(".result-card").count() == 3
    page.go_forward()
    page.wait_for_url(re.compile(r"route=esketamine_nasal"))
    expect(page.get_by_label("Treatment route")).to_have_value("esketamine_nasal")
    expect(page.get_by_label("Sort by")).to_have_value("score")


def test_an_empty_search_names_the_nearest_match_and_widens_to_it(tab, world):
    page = tab
    page.goto(f"/search?location={worlds.CHEYENNE_ZIP}&radius=1&route=esketamine_nasal")
    nearest = page.locator(".nearest-match")
    expect(nearest).to_contain_text(world.names[2])
    widen = page.locator("a.widen-link")
    label = widen.inner_text()
    radius = int(re.search(r"Search within (\d+) miles", label).group(1))
    assert float(nearest.get_attribute("data-nearest-distance")) < radius
    widen.click()
    page.wait_for_url(re.compile(rf"radius={radius}"))
    assert "route=esketamine_nasal" in page.url
    assert world.names[2] in page.locator(".result-card .result-name").all_inner_texts()
