"""In a real browser: an owner lists a staff member with an NPI, a moderator verifies it, the page shows it."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.npi import make_npi
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.credentials.helpers import PDF
from tests.e2e.test_review_flow import log_in
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(name=f"Cedar Ketamine {tag}", slug=f"cedar-{tag}", street="5 Elm St", city="Portland",
                    state="OR", zip_code="97201", latitude=45.51, longitude=-122.68, status=ClinicStatus.PUBLISHED)
    owner = User(email=f"owner-{tag}@e2e.test", display_name=f"owner_{tag}", password_hash=hashed_password(),
                 email_confirmed_at=utcnow(), role=UserRole.CLINIC_OWNER)
    moderator = User(email=f"mod-{tag}@e2e.test", display_name=f"Moderator {tag}", password_hash=hashed_password(),
                     email_confirmed_at=utcnow(), role=UserRole.MODERATOR)
    db.session.add_all([clinic, owner, moderator, ClinicMembership(user=owner, clinic=clinic,
                                                                   role=MembershipRole.OWNER)])
    names = {"slug": clinic.slug, "owner": owner.email, "moderator": moderator.email, "tag": tag,
             "moderator_name": moderator.display_name}
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    db.session.remove()
    return names


def test_an_owner_adds_an_npi_and_a_moderator_verifies_it(page: Page, world, tmp_path):
    good_npi = make_npi("187654321")
    bad_npi = good_npi[:9] + str((int(good_npi[9]) + 1) % 10)
    card = tmp_path / "npi-letter.pdf"
    card.write_bytes(PDF)

    log_in(page, world["owner"])
    page.goto("/portal/")
    page.get_by_role("link", name="Staff and credentials").click()
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("Full name").fill("Noor Haddad")
    page.get_by_label("Degree").fill("MD")
    page.get_by_label("Role at the clinic").select_option(label="Psychiatrist")
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_text("Noor Haddad, MD is listed.")).to_be_visible()

    page.get_by_role("link", name="Add a credential").click()
    page.get_by_role("link", name="NPI").click()
    page.get_by_label("NPI number").fill(bad_npi)
    page.get_by_role("button", name="Add NPI").click()
    expect(page.locator(".field-error")).to_contain_text("does not match its check digit")
    expect(page.get_by_label("NPI number")).to_have_value(bad_npi)
    page.get_by_label("NPI number").fill(good_npi)
    page.get_by_label("Document for the moderator (optional)").set_input_files(str(card))
    page.get_by_role("button", name="Add NPI").click()
    row = page.locator("tr", has_text=good_npi)
    expect(row).to_contain_text("Self-reported")
    expect(row).to_contain_text("Waiting for a moderator")

    page.get_by_role("button", name="Log out").click()
    log_in(page, world["moderator"])
    page.goto("/moderation/credentials/")
    queued = page.locator("tr", has_text=f"Cedar Ketamine {world['tag']}")
    expect(queued).to_contain_text(good_npi)
    queued.get_by_role("link", name="NPI").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the attached document").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_label("Registry look-up").check()
    page.get_by_label("Registry reference").fill(f"NPPES look-up 2026-12-03, NPI {good_npi}")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    page.goto(f"/clinics/{world['slug']}")
    staff = page.locator("tbody.staff-member", has_text="Noor Haddad")
    expect(staff.locator("tr", has_text="NPI")).to_contain_text(f"by {world['moderator_name']}")
    expect(staff.locator("tr", has_text="NPI")).to_contain_text("Verified")
