"""In a real browser: an owner edits opening hours with the widget (with and without JavaScript), and the clinic
page shows them as a table with today's row marked and open now or closed now; axe finds nothing serious."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import OFF_MACHINE, assert_no_serious, axe_violations
from tests.e2e.test_review_flow import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def owned(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(
        name=f"Mesa Light Ketamine {tag}", slug=f"mesa-light-{tag}", street="40 Central Ave", city="Phoenix",
        state="AZ", zip_code="85004", latitude=33.4484, longitude=-112.0740, status=ClinicStatus.PUBLISHED,
        phone="(602) 555-0100",
    )  # fmt: skip
    owner = User(email=f"hours-owner-{tag}@e2e.test", display_name=f"hours_owner_{tag}",
                 password_hash=hashed_password(), email_confirmed_at=utcnow(), role=UserRole.CLINIC_OWNER)
    db.session.add_all([clinic, owner])
    db.session.flush()
    db.session.add(ClinicMembership(user_id=owner.id, clinic_id=clinic.id, role=MembershipRole.OWNER))
    db.session.commit()
    names = {"slug": clinic.slug, "owner": owner.email, "id": clinic.id}
    db.session.remove()
    return names


def tab_for(browser, live_server, javascript: bool = True) -> Page:
    context = browser.new_context(base_url=live_server, bypass_csp=True, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.route(OFF_MACHINE, lambda route: route.abort())
    return page


def day(page: Page, name: str):
    return page.locator(".hours-day", has=page.locator("legend", has_text=name))


def test_an_owner_sets_hours_with_the_widget_and_patients_see_the_table(browser, live_server, owned):
    page = tab_for(browser, live_server)
    log_in(page, owned["owner"])
    page.goto(f"/portal/clinics/{owned['slug']}/edit")
    monday = day(page, "Monday")
    expect(monday.locator(".hours-slot").nth(1)).to_be_hidden()  # with JavaScript, one period shows until added
    monday.get_by_label("Opens").first.fill("09:00")
    monday.get_by_label("Closes").first.fill("17:00")
    page.get_by_role("button", name="Copy Monday to Tuesday–Friday").click()
    expect(day(page, "Friday").get_by_label("Opens").first).to_have_value("09:00")
    tuesday = day(page, "Tuesday")
    tuesday.get_by_label("Closes").first.fill("12:00")
    page.get_by_role("button", name="Add a period to Tuesday").click()
    second = tuesday.locator(".hours-slot").nth(1)
    expect(second).to_be_visible()
    second.get_by_label("Opens").fill("13:00")
    second.get_by_label("Closes").fill("19:00")
    wednesday = day(page, "Wednesday")
    wednesday.get_by_label("Closes").first.fill("08:00")  # before it opens: refused
    day(page, "Sunday").get_by_label("Closed").check()
    page.get_by_label("Notes about the hours (optional)").fill("By appointment on Saturdays")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".error-summary")).to_contain_text("Wednesday: period 1: the closing time (8:00 am) must be "
                                                           "after the opening time (9:00 am)")
    expect(page.locator("#opening_hours-2-error")).to_be_visible()
    expect(day(page, "Tuesday").locator(".hours-slot").nth(1).get_by_label("Opens")).to_have_value("13:00")
    assert_no_serious(axe_violations(page, "portal hours widget with errors"))
    day(page, "Wednesday").get_by_label("Closes").first.fill("17:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Saved:")
    expect(page.locator("body")).to_contain_text("Opening hours")

    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"/clinics/{owned['slug']}")
        table = page.get_by_role("table", name=re.compile("Opening hours"))
        expect(table).to_be_visible()
        expect(table.locator("caption")).to_have_text(
            "Opening hours, local time (Mountain Time, no daylight saving)")
        expect(table.locator("tbody tr")).to_have_count(7)
        expect(table.get_by_role("row", name=re.compile("Tuesday"))).to_contain_text(
            "9:00 am to 12:00 pm, 1:00 pm to 7:00 pm")
        expect(table.get_by_role("row", name=re.compile("Sunday"))).to_contain_text("Closed")
        today = table.locator('tr[aria-current="date"]')
        expect(today).to_have_count(1)
        expect(today).to_contain_text("(today)")
        assert today.evaluate("row => getComputedStyle(row.querySelector('td')).fontWeight") in ("700", "bold")
        expect(page.locator("[data-open-now]")).to_have_text(re.compile(r"^(Open now: closes|Closed now: opens) "))
        expect(page.locator(".hours-note")).to_have_text("By appointment on Saturdays")
        assert_no_serious(axe_violations(page, f"clinic page hours @{width}"))
    page.context.close()


def test_the_widget_works_without_javascript(browser, live_server, owned):
    page = tab_for(browser, live_server, javascript=False)
    log_in(page, owned["owner"])
    page.goto(f"/portal/clinics/{owned['slug']}/edit")
    expect(page.get_by_role("button", name="Copy Monday to Tuesday–Friday")).to_have_count(0)
    saturday = day(page, "Saturday")
    expect(saturday.locator(".hours-slot")).to_have_count(3)
    slots = saturday.locator(".hours-slot")
    slots.nth(0).get_by_label("Opens").fill("09:00")
    slots.nth(0).get_by_label("Closes").fill("12:00")
    slots.nth(2).get_by_label("Opens").fill("13:00")
    slots.nth(2).get_by_label("Closes").fill("16:30")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Saved:")
    page.goto(f"/clinics/{owned['slug']}")
    saturday_row = page.get_by_role("row", name=re.compile("Saturday"))
    expect(saturday_row).to_contain_text("9:00 am to 12:00 pm, 1:00 pm to 4:30 pm")
    expect(page.get_by_role("row", name=re.compile("Monday"))).to_contain_text("Closed")
    page.context.close()
