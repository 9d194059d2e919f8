"""Suggestions in the name box, in real Chromium: type, move down with the arrow, Enter opens the clinic;
Escape closes the list; a screen reader hears the count; axe-core finds nothing serious with the list open."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from tests.e2e.test_accessibility import assert_no_serious, axe_violations

pytestmark = pytest.mark.e2e

OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture
def quill_clinics(live_db):
    """Commit two clinics whose names share a rare word, in Boise, ID; return that word."""
    word = "Quill" + uuid.uuid4().hex[:6]
    for n, name in enumerate(["Infusion Center", "Ketamine Studio"]):
        clinic = Clinic(
            name=f"{word} {name}",
            slug=f"{word.lower()}-{n}",
            street="1 Main St",
            city="Boise",
            state="ID",
            zip_code="83702",
            latitude=43.6150 + n / 100,
            longitude=-116.2023,
            status=ClinicStatus.PUBLISHED,
            price_per_infusion_usd=400,
        )
        clinic.routes = [Route.IV]
        clinic.conditions = [Condition.DEPRESSION]
        db.session.add(clinic)
    db.session.commit()
    yield word
    db.session.remove()
    # Gone after each test: on PostgreSQL a later test's name search (trigrams, typos forgiven) found an earlier
    # test's "Quill..." clinics too (4 results where 2 were asked for).
    for clinic in db.session.scalars(select(Clinic).where(Clinic.slug.startswith(f"{word.lower()}-"))):
        db.session.delete(clinic)
    db.session.commit()
    db.session.remove()


def test_type_arrow_down_and_enter_opens_the_suggested_clinic(page, quill_clinics):
    page.route(OFF_MACHINE, lambda route: route.abort())
    page.goto("/search")
    box = page.get_by_role("combobox", name="Clinic or clinician name")
    box.press_sequentially(quill_clinics.lower()[:-1], delay=20)
    listbox = page.get_by_role("listbox", name="Suggestions for Clinic or clinician name")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", re.compile(r"^suggest-list-\d+$"))
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(page.get_by_role("status").filter(has_text="2 suggestions")).to_have_count(1)

    box.press("ArrowDown")
    first = options.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(box).to_be_focused()
    label = first.locator(".suggest-label").inner_text()
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/clinics/{quill_clinics.lower()}-[01]$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)


def test_escape_closes_the_list_and_enter_then_sends_the_form(page, quill_clinics):
    page.route(OFF_MACHINE, lambda route: route.abort())
    page.goto("/search")
    box = page.get_by_role("combobox", name="Clinic or clinician name")
    box.fill(quill_clinics)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(quill_clinics)
    box.press("Enter")  # no option chosen: the form is sent, a nationwide name search
    expect(page).to_have_url(re.compile(r"/search\?.*q=" + quill_clinics))
    expect(page.locator(".name-results .result-name")).to_have_count(2)


def test_the_page_with_the_list_open_has_no_serious_axe_violation(browser, live_server, quill_clinics):
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    tab = context.new_page()
    tab.route(OFF_MACHINE, lambda route: route.abort())
    tab.goto("/search")
    box = tab.get_by_role("combobox", name="Clinic or clinician name")
    box.fill(quill_clinics[:-1])
    options = tab.get_by_role("listbox", name="Suggestions for Clinic or clinician name").get_by_role("option")
    expect(options).to_have_count(2)
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")  # audit the list with an option chosen
    assert_no_serious(axe_violations(tab, "search with suggestions open"))
    context.close()
