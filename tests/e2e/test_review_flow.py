"""In a real browser: a patient writes a review, it waits unseen, a moderator approves it, the page updates."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.second_factor import finish_with_code, give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(
        name=f"Harbor Light Ketamine {tag}",
        slug=f"harbor-light-{tag}",
        street="210 Pier Ave",
        city="Seattle",
        state="WA",
        zip_code="98101",
        latitude=47.61,
        longitude=-122.33,
        status=ClinicStatus.PUBLISHED,
        phone="(206) 555-0110",
    )
    earlier = User(email=f"earlier-{tag}@e2e.test", display_name=f"earlier_{tag}", password_hash=hashed_password())
    patient = User(email=f"patient-{tag}@e2e.test", display_name=f"patient_{tag}", password_hash=hashed_password())
    moderator = User(
        email=f"mod-{tag}@e2e.test",
        display_name=f"mod_{tag}",
        password_hash=hashed_password(),
        role=UserRole.MODERATOR,
    )
    published = Review(
        clinic=clinic,
        author=earlier,
        rating_overall=5,
        title="Calm and careful",
        body="They monitored my blood pressure the whole time and the nurse stayed in the room.",
        status=ReviewStatus.APPROVED,
        would_recommend=True,
    )
    db.session.add_all([clinic, earlier, patient, moderator, published])
    names = {"slug": clinic.slug, "patient": patient.email, "moderator": moderator.email, "tag": tag}
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    # Reading an expired attribute now would open a write transaction on SQLite and lock out the server.
    db.session.remove()
    return names


def log_in(page: Page, email: str) -> None:
    """Log in through the forms; a moderator finishes with a code from the test authenticator key."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    finish_with_code(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def rating_panel(page: Page):
    return page.locator(".rv-summary")


def test_a_review_is_moderated_before_it_appears_and_then_counts(page: Page, world):
    title = f"Helped within days {world['tag']}"
    log_in(page, world["patient"])
    page.goto(f"/clinics/{world['slug']}")
    expect(rating_panel(page).locator(".rv-count")).to_have_text("1 published review")
    page.get_by_role("link", name="Write a review").click()

    expect(page.get_by_text("Your review will be public.")).to_be_visible()
    expect(page.locator(".rv-crisis")).to_contain_text("call or text 988")
    page.get_by_role("group", name="Overall, how would you rate this clinic?").get_by_label("3", exact=True).check()
    page.get_by_role("group", name="Would you recommend this clinic to a friend?").get_by_label("Yes").check()
    page.get_by_label("Condition treated").select_option(label="PTSD")
    page.get_by_label("How was ketamine given?").select_option(label="IV infusion")
    page.get_by_label("Number of sessions so far (optional)").fill("6")
    page.get_by_role("group", name="When did you first feel relief? (optional)").get_by_label("Within days").check()
    page.get_by_role("group", name="Side effects you felt").get_by_label("Nausea").check()
    page.get_by_role("group", name="vital signs").get_by_label("Yes").check()
    page.get_by_label("Title of your review").fill(title)
    page.get_by_label("Your review", exact=True).fill(
        "The intake was thorough and the nurse checked on me every few minutes during each infusion."
    )
    page.get_by_label("no business, employment or family connection").check()
    page.get_by_role("button", name="Send my review for moderation").click()

    expect(page.get_by_role("heading", name="My reviews")).to_be_visible()
    expect(page.locator(".rv-item").filter(has_text=title)).to_contain_text("Pending moderation")

    page.goto(f"/clinics/{world['slug']}")
    expect(page.locator(".rv-list")).not_to_contain_text(title)
    expect(rating_panel(page).locator(".rv-count")).to_have_text("1 published review")
    expect(rating_panel(page).locator(".rv-average")).to_contain_text("5.0 out of 5")

    page.get_by_role("button", name="Log out").click()
    log_in(page, world["moderator"])
    page.goto("/moderation/")
    item = page.locator(".rv-item").filter(has_text=title)
    expect(item).to_be_visible()
    expect(item).not_to_contain_text("★")  # moderators do not see the stars
    item.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    expect(page.locator(".rv-item").filter(has_text=title)).to_have_count(0)

    page.goto(f"/clinics/{world['slug']}")
    expect(page.locator(".rv-list")).to_contain_text(title)
    expect(rating_panel(page).locator(".rv-count")).to_have_text("2 published reviews")
    expect(rating_panel(page).locator(".rv-average")).to_contain_text("4.0 out of 5")
    expect(rating_panel(page).locator("[data-figure=submitted]")).to_have_text("2")
