"""The whole clinic loop in a real browser.

A new owner registers and confirms their address from the SMTP server's message, claims a clinic, a moderator
approves the claim; the owner lists a staff member with an NPI and uploads a PDF as evidence for one checklist item;
the moderator verifies both; the public clinic page shows the verified credential, the item's new status and a
higher score.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.npi import make_npi
from provider_dir.extensions import db
from provider_dir.listings.display import long_date
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_review_flow import log_in
from tests.scoring import builders
from tests.scoring.evidence_helpers import PDF
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e

PASSWORD = "lanterns along the river path"


@pytest.fixture
def world(live_db, tmp_path):
    tag = uuid.uuid4().hex[:8]
    domain = f"riverbend-{tag}.example"
    clinic = builders.make_clinic(db.session, slug=f"riverbend-ketamine-{tag}", name=f"Riverbend Ketamine {tag}",
                                  website=f"https://www.{domain}/")
    moderator = User(email=f"loopmod-{tag}@e2e.test", display_name=f"Moderator Ada {tag}", role=UserRole.MODERATOR,
                     password_hash=hashed_password(), email_confirmed_at=utcnow())
    db.session.add(moderator)
    names = {"slug": clinic.slug, "name": clinic.name, "domain": domain, "moderator": moderator.email,
             "moderator_name": moderator.display_name, "owner": f"loop-owner-{tag}@example.com",
             "owner_name": f"loop_owner_{tag}"}
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    db.session.remove()
    pdf = tmp_path / "crash-cart-log.pdf"
    pdf.write_bytes(PDF)
    names["pdf"] = str(pdf)
    return names


def _score(page: Page, slug: str) -> int:
    page.goto(f"/clinics/{slug}")
    return int(page.locator("#quality-score .score-number").inner_text())


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_register_claim_staff_evidence_verify_and_see_it_public(page: Page, world, mailbox):
    slug, npi = world["slug"], make_npi("176543210")
    score_before = _score(page, slug)

    # A new owner signs up and confirms the address from the message the SMTP server received.
    page.goto("/register")
    page.get_by_label("Email").fill(world["owner"])
    page.get_by_label("Display name").fill(world["owner_name"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    [link] = [x for x in mailbox.links(mailbox.last_to(world["owner"])) if "/confirm/" in x]
    page.goto("/login")
    page.get_by_label("Email").fill(world["owner"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(urlsplit(link).path)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("Thank you: your email address is confirmed.")).to_be_visible()

    # They claim the clinic with a code mailed to an address at its website's domain.
    page.goto(f"/clinics/{slug}")
    page.get_by_role("link", name="Manage this clinic? Claim it").click()
    page.get_by_label("Your role at the clinic").fill("Medical director")
    page.get_by_label("A code sent to an address at the clinic website's domain").check()
    page.get_by_label("Your address at the clinic's domain").fill(f"director@{world['domain']}")
    page.get_by_label("I accept the owner terms above").check()
    page.get_by_role("button", name="Send my claim").click()
    expect(page.get_by_role("heading", name=re.compile("Enter the code"))).to_be_visible()  # the claim is in
    code = re.search(r"Your code is (\d{8})", mailbox.body(mailbox.last_to(f"director@{world['domain']}"))).group(1)
    page.get_by_label("The code from the email").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".rv-item").filter(has_text=world["name"])).to_contain_text("Waiting for a moderator")
    _log_out(page)

    # A moderator approves the claim.
    log_in(page, world["moderator"])
    page.goto("/moderation/claims/")
    claim = page.locator(".rv-item").filter(has_text=world["name"])
    claim.get_by_label("Grounds for approving").select_option(value="domain_email")
    claim.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    _log_out(page)

    # The new owner lists a staff member with an NPI, and uploads a PDF as evidence for C08.
    page.goto("/login")
    page.get_by_label("Email").fill(world["owner"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/portal/")
    page.get_by_role("link", name="Staff and credentials").click()
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("Full name").fill("Imani Okafor")
    page.get_by_label("Degree").fill("MD")
    page.get_by_label("Role at the clinic").select_option(label="Anesthesiologist")
    page.get_by_role("button", name="Add staff member").click()
    page.get_by_role("link", name="Add a credential").click()
    page.get_by_role("link", name="NPI").click()
    page.get_by_label("NPI number").fill(npi)
    page.get_by_role("button", name="Add NPI").click()
    expect(page.locator("tr", has_text=npi)).to_contain_text("Self-reported")

    page.goto("/portal/")
    page.get_by_role("link", name="Checklist evidence for the quality score").click()
    page.get_by_role("link", name="Answer C08").click()
    page.get_by_label("What the clinic does").fill("Crash cart, oxygen and defibrillator checked every morning.")
    page.get_by_label("Document (optional)").set_input_files(world["pdf"])
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("status").first).to_contain_text("waits for a moderator's check")
    _log_out(page)
    score_self_reported = _score(page, slug)
    assert score_self_reported > score_before

    # The moderator verifies the credential (registry look-up) and the evidence (the document).
    log_in(page, world["moderator"])
    page.goto("/moderation/credentials/")
    page.locator("tr", has_text=world["name"]).get_by_role("link", name="NPI").click()
    page.get_by_label("Registry look-up").check()
    page.get_by_label("Registry reference").fill(f"NPPES look-up {date.today().isoformat()}, NPI {npi}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    page.goto("/moderation/evidence/")
    item = page.locator("article", has_text=world["name"]).filter(has_text="C08")
    item.get_by_label("Basis for verifying").select_option(label="The document shows it")
    item.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("status").first).to_contain_text("evidence verified")
    _log_out(page)

    # The public page shows the verified credential, the item's new status and a higher score.
    score_after = _score(page, slug)
    assert score_after > score_self_reported
    staff = page.locator("tbody.staff-member", has_text="Imani Okafor")
    npi_row = staff.locator("tr", has_text="NPI")
    expect(npi_row).to_contain_text("Verified")
    expect(npi_row).to_contain_text(world["moderator_name"])
    c08 = page.locator("#item-C08")
    expect(c08.locator(".score-badge")).to_have_text("Verified")
    expect(c08).to_contain_text(f"checked by moderator {world['moderator_name']} on {long_date(date.today())}")
