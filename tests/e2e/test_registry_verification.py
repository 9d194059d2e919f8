"""In a real browser: a moderator verifies an NPI in one click from the registry check; a later NPPES file
deactivates it and it comes back to the queue with the reason, and the clinic page says so. axe on both pages."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.npi import make_npi
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import Notification
from provider_dir.registry.checks.runner import run_all_checks
from provider_dir.registry.files.loading import load_nppes
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import assert_no_serious, axe_violations
from tests.e2e.test_review_flow import log_in
from tests.registry.files import nppes_row, write_nppes
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    npi = make_npi(f"1{int(tag, 16) % 10**8:08d}")
    clinic = Clinic(name=f"Juniper Infusions {tag}", slug=f"juniper-{tag}", street="9 Pine St", city="Albany",
                    state="NY", zip_code="12207", latitude=42.65, longitude=-73.75, status=ClinicStatus.PUBLISHED)
    owner = User(email=f"owner-{tag}@e2e.test", display_name=f"owner_{tag}", password_hash=hashed_password(),
                 email_confirmed_at=utcnow(), role=UserRole.CLINIC_OWNER)
    moderator = User(email=f"mod-{tag}@e2e.test", display_name=f"Moderator {tag}", password_hash=hashed_password(),
                     email_confirmed_at=utcnow(), role=UserRole.MODERATOR)
    member = StaffMember(clinic=clinic, full_name="Imani R. Okafor", degree="MD", role=StaffRole.ANESTHESIOLOGIST,
                         credentials=[Credential(kind=CredentialKind.NPI, identifier=npi, issuer="NPPES",
                                                 submitted_at=utcnow())])
    db.session.add_all([clinic, owner, moderator, member,
                        ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER)])
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    names = {"slug": clinic.slug, "moderator": moderator.email, "npi": npi, "staff_id": member.id,
             "owner_id": owner.id, "clinic": clinic.name}
    db.session.remove()
    return names


@pytest.fixture
def tab(browser, live_server):
    """A tab able to inject axe (the site's CSP allows no inline script)."""
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def _file_and_check(live_app, tmp_path, world, name, **changes):
    row = nppes_row(world["npi"], last="OKAFOR", first="IMANI", middle="RUTH", credential="MD",
                    taxonomies=[("207L00000X", "MD301122", "NY", "Y")], **changes)
    load_nppes(db.session, write_nppes(tmp_path / name, [row]))
    run_all_checks(db.session, live_app.config, staff_ids=[world["staff_id"]])
    db.session.remove()


def test_one_click_verification_then_requeue_on_a_later_deactivation(tab: Page, world, live_app, tmp_path):
    page = tab
    _file_and_check(live_app, tmp_path, world, "npidata_pfile_20261102-20261108.csv")
    log_in(page, world["moderator"])

    page.goto("/moderation/credentials/")
    row = page.get_by_role("row").filter(has_text="Imani R. Okafor")
    expect(row).to_contain_text("NPPES: active, an individual, name matches")
    row.get_by_role("link", name="NPI").click()
    panel = page.locator(".registry-panel")
    expect(panel).to_contain_text("IMANI RUTH OKAFOR, MD")
    expect(panel.get_by_role("table", name="Taxonomies and licences in the registry")).to_contain_text("MD301122")
    assert_no_serious(axe_violations(page, "credential with registry panel"))
    page.get_by_role("button", name="Verify by the registry check").click()
    expect(page.get_by_text("Verified by the registry check; the clinic's owners were told.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Imani R. Okafor")).to_have_count(0)

    page.goto(f"/clinics/{world['slug']}")
    staff = page.locator(f"#staff-{world['staff_id']}")
    expect(staff).to_contain_text("Verified")
    expect(staff).to_contain_text("Active in the NPPES registry, checked on")

    _file_and_check(live_app, tmp_path, world, "npidata_pfile_20261207-20261213.csv", deactivated="12/01/2026")

    page.goto("/moderation/credentials/")
    row = page.get_by_role("row").filter(has_text="Imani R. Okafor")
    expect(row).to_contain_text("NPPES: deactivated")
    expect(row).to_contain_text("Changed (was match)")
    row.get_by_role("link", name="NPI").click()
    expect(page.locator(".registry-panel")).to_contain_text("This NPI was deactivated on 2026-12-01.")
    expect(page.get_by_role("button", name="Verify by the registry check")).to_have_count(0)
    expect(page.get_by_text("credential requeued")).to_be_visible()

    page.goto(f"/clinics/{world['slug']}")
    staff = page.locator(f"#staff-{world['staff_id']}")
    expect(staff).to_contain_text("Deactivated in the NPPES registry since December 1, 2026, checked on")
    expect(staff).to_contain_text("Self-reported")
    assert_no_serious(axe_violations(page, "clinic page with registry notes"))
    with live_app.app_context():
        notes = db.session.scalars(select(Notification.message).where(
            Notification.user_id == world["owner_id"])).all()
    assert any("no longer matches the public registry" in n for n in notes)
