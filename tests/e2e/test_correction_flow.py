"""In a real browser: someone without an account suggests a new phone number from a clinic's page, a moderator
accepts it from the corrections queue, and the public page shows the new number; the form passes axe."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import AXE, OFF_MACHINE, assert_no_serious, axe_violations
from tests.e2e.test_review_flow import log_in
from tests.scoring import builders
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = builders.make_clinic(db.session, slug=f"lighthouse-ketamine-{tag}", name=f"Lighthouse Ketamine {tag}",
                                  phone="(212) 555-0100")  # fmt: skip
    owner = User(email=f"owner-{tag}@e2e.test", display_name=f"owner_{tag}", role=UserRole.CLINIC_OWNER,
                 password_hash=hashed_password(), email_confirmed_at=utcnow())
    moderator = User(email=f"mod-{tag}@e2e.test", display_name=f"Moderator Ames {tag}", role=UserRole.MODERATOR,
                     password_hash=hashed_password(), email_confirmed_at=utcnow())
    db.session.add_all([owner, moderator, ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER)])
    names = {"slug": clinic.slug, "name": clinic.name, "owner": owner.email, "moderator": moderator.email}
    db.session.flush()
    give_second_factor(moderator.id)  # as the site requires of moderators
    db.session.commit()
    db.session.remove()  # see test_review_flow: an expired attribute read here would lock SQLite
    return names


def test_someone_suggests_a_phone_number_and_a_moderator_accepts_it(browser, live_server, world, mailbox):
    assert AXE.is_file()
    visitor = browser.new_context(base_url=live_server, bypass_csp=True)
    try:
        page: Page = visitor.new_page()
        page.set_default_timeout(15_000)
        page.route(OFF_MACHINE, lambda route: route.abort())
        page.goto(f"/clinics/{world['slug']}")
        page.get_by_role("link", name="Suggest a correction").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Suggest a correction to {world['name']}")
        assert_no_serious(axe_violations(page, "correction form"))

        page.get_by_label("Phone number", exact=True).check()
        page.get_by_label("The clinic's phone number").fill("call me")
        page.get_by_role("button", name="Send the correction").click()
        expect(page.get_by_role("alert").first).to_contain_text("Enter a phone number such as (212) 555-0147.")
        expect(page.get_by_label("The clinic's phone number")).to_have_value("call me")
        assert_no_serious(axe_violations(page, "correction form with errors"))

        page.get_by_label("The clinic's phone number").fill("(212) 555-0188")
        page.get_by_label("Where can this be seen? A link (optional)").fill("https://lighthouse.example/contact")
        page.get_by_role("button", name="Send the correction").click()
        expect(page.get_by_role("status").first).to_contain_text("A moderator will check your correction")
        expect(page.locator(".key-phone")).to_contain_text("(212) 555-0100")  # nothing changes before a moderator
    finally:
        visitor.close()

    moderator_context = browser.new_context(base_url=live_server)
    try:
        moderation = moderator_context.new_page()
        moderation.set_default_timeout(15_000)
        log_in(moderation, world["moderator"])
        moderation.goto("/moderation/")
        moderation.get_by_role("link", name="Suggested corrections").click()
        item = moderation.locator("article", has_text=world["name"])
        expect(item).to_contain_text("(212) 555-0188")
        expect(item).to_contain_text("https://lighthouse.example/contact")
        item.get_by_label("Grounds for accepting").select_option(label="The clinic's own website shows it")
        item.get_by_role("button", name="Accept and change the listing").click()
        expect(moderation.get_by_role("status").first).to_contain_text("The listing is changed.")
        expect(moderation.locator("article", has_text=world["name"])).to_have_count(0)

        moderation.goto(f"/clinics/{world['slug']}")
        expect(moderation.locator(".key-phone")).to_contain_text("(212) 555-0188")
    finally:
        moderator_context.close()
    assert "The listing now shows: (212) 555-0188" in mailbox.body(mailbox.last_to(world["owner"]))
