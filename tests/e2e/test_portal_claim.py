"""In a real browser: claim a clinic with an emailed code, a moderator approves, the new owner edits the listing."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_review_flow import log_in
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(
        name=f"Quiet Harbor Ketamine {tag}", slug=f"quiet-harbor-{tag}", street="12 Dock St", city="Seattle",
        state="WA", zip_code="98101", latitude=47.61, longitude=-122.33, status=ClinicStatus.PUBLISHED,
        website=f"https://quiet-harbor-{tag}.example", phone="(206) 555-0100",
    )  # fmt: skip
    claimant = User(email=f"claimant-{tag}@e2e.test", display_name=f"claimant_{tag}",
                    password_hash=hashed_password(), email_confirmed_at=utcnow())  # fmt: skip
    moderator = User(email=f"cmod-{tag}@e2e.test", display_name=f"cmod_{tag}", password_hash=hashed_password(),
                     role=UserRole.MODERATOR)  # fmt: skip
    db.session.add_all([clinic, claimant, moderator])
    names = {"slug": clinic.slug, "name": clinic.name, "claimant": claimant.email, "moderator": moderator.email,
             "domain": f"quiet-harbor-{tag}.example"}  # fmt: skip
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    db.session.remove()
    return names


def test_claim_approve_and_edit(page: Page, world, mailbox):
    log_in(page, world["claimant"])
    page.goto(f"/clinics/{world['slug']}")
    page.get_by_role("link", name="Manage this clinic? Claim it").click()
    expect(page.get_by_role("heading", name="Owner terms (version 2026-12)")).to_be_visible()
    page.get_by_label("Your role at the clinic").fill("Practice manager")
    page.get_by_label("A code sent to an address at the clinic website's domain").check()
    page.get_by_label("Your address at the clinic's domain").fill(f"office@{world['domain']}")
    page.get_by_label("I accept the owner terms above").check()
    page.get_by_role("button", name="Send my claim").click()

    expect(page.get_by_role("heading", name=re.compile("Enter the code"))).to_be_visible()
    body = mailbox.body(mailbox.last_to(f"office@{world['domain']}"))
    code = re.search(r"Your code is (\d{8})", body).group(1)
    page.get_by_label("The code from the email").fill(code)
    page.get_by_role("button", name="Confirm").click()
    claim = page.locator(".rv-item").filter(has_text=world["name"])
    expect(claim).to_contain_text("Waiting for a moderator")

    page.get_by_role("button", name="Log out").click()
    log_in(page, world["moderator"])
    page.goto("/moderation/claims/")
    item = page.locator(".rv-item").filter(has_text=world["name"])
    expect(item).to_contain_text("code confirmed")
    item.get_by_label("Grounds for approving").select_option(value="domain_email")
    item.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, world["claimant"])
    page.goto("/portal/")
    page.get_by_role("link", name="Edit the listing").first.click()
    page.get_by_label("Phone").fill("(206) 555-0199")
    page.get_by_label("Description").fill("Ketamine cures depression for good.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A moderator will check this text before it appears")).to_be_visible()
    expect(page.get_by_role("heading", name="Held edit")).to_be_visible()

    page.goto(f"/clinics/{world['slug']}")
    expect(page.get_by_text("(206) 555-0199")).to_be_visible()
    expect(page.get_by_text("Listing last edited by the clinic")).to_be_visible()
    expect(page.get_by_text("Ketamine cures depression")).to_have_count(0)
