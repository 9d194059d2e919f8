"""In a real browser: an owner uploads a PDF as checklist evidence, a moderator verifies it, the public page shows it.

The lead extends this into the whole loop (register, claim, staff and credentials) once those branches are merged.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.display import long_date
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_review_flow import log_in
from tests.scoring import builders
from tests.scoring.evidence_helpers import PDF
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db, tmp_path):
    tag = uuid.uuid4().hex[:8]
    clinic = builders.make_clinic(db.session, slug=f"tidewater-ketamine-{tag}", name=f"Tidewater Ketamine {tag}")
    owner = User(email=f"owner-{tag}@e2e.test", display_name=f"owner_{tag}", role=UserRole.CLINIC_OWNER,
                 password_hash=hashed_password(), email_confirmed_at=utcnow())
    moderator = User(email=f"mod-{tag}@e2e.test", display_name=f"Moderator Noor {tag}", role=UserRole.MODERATOR,
                     password_hash=hashed_password(), email_confirmed_at=utcnow())
    db.session.add_all([owner, moderator, ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER)])
    names = {"slug": clinic.slug, "owner": owner.email, "moderator": moderator.email,
             "moderator_name": moderator.display_name}
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    db.session.remove()  # see test_review_flow: an expired attribute read here would lock SQLite
    pdf = tmp_path / "emergency-readiness.pdf"
    pdf.write_bytes(PDF)
    names["pdf"] = str(pdf)
    return names


def _score(page: Page, slug: str) -> int:
    page.goto(f"/clinics/{slug}")
    return int(page.locator("#quality-score .score-number").inner_text())


def test_an_owner_uploads_evidence_a_moderator_verifies_it_and_the_public_page_shows_it(page: Page, browser,
                                                                                        live_server, world):
    slug = world["slug"]
    before = _score(page, slug)
    expect(page.locator("#item-C08 .score-badge")).to_have_text("Unknown")

    log_in(page, world["owner"])
    page.goto("/portal/")
    page.get_by_role("link", name="Checklist evidence for the quality score").click()
    page.get_by_role("link", name="Answer C08").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("C08 Emergency equipment and a transfer plan")
    page.get_by_label("What the clinic does").fill("Crash cart, oxygen and defibrillator checked every morning.")
    page.get_by_label("Document (optional)").set_input_files(world["pdf"])
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("status").first).to_contain_text("waits for a moderator's check")
    expect(page.locator("#item-C08")).to_contain_text("waiting for a moderator's check")
    self_reported = _score(page, slug)
    assert self_reported > before
    expect(page.locator("#item-C08 .score-badge")).to_have_text("Self-reported")

    moderator_context = browser.new_context(base_url=live_server)
    try:
        moderation = moderator_context.new_page()
        moderation.set_default_timeout(10_000)
        log_in(moderation, world["moderator"])
        moderation.goto("/moderation/evidence/")
        item = moderation.locator("article", has_text=f"Tidewater Ketamine {slug.rsplit('-', 1)[1]}").filter(
            has_text="C08 Emergency equipment")
        expect(item).to_contain_text("Crash cart, oxygen and defibrillator checked every morning.")
        with moderation.expect_download() as download_info:
            item.get_by_role("link", name="Download emergency-readiness.pdf").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf")
        with open(download.path(), "rb") as fetched:
            assert fetched.read() == PDF
        item.get_by_label("Basis for verifying").select_option(label="The document shows it")
        item.get_by_role("button", name="Verify").click()
        expect(moderation.get_by_role("status").first).to_contain_text("evidence verified")
    finally:
        moderator_context.close()

    after = _score(page, slug)
    assert after > self_reported
    c08 = page.locator("#item-C08")
    expect(c08.locator(".score-badge")).to_have_text("Verified")
    expect(c08).to_contain_text(f"Document checked by moderator {world['moderator_name']} on {long_date(date.today())}")
