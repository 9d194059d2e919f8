"""In a real browser: from the header to the account page, change the password, see the confirmation; axe finds
no serious violation on the form, empty or refused."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import assert_no_serious, axe_violations, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def account(live_db):
    tag = uuid.uuid4().hex[:8]
    user = User(email=f"changer-{tag}@e2e.test", display_name=f"changer_{tag}", password_hash=hashed_password(),
                email_confirmed_at=utcnow())  # fmt: skip
    db.session.add(user)
    db.session.commit()
    names = {"email": user.email, "name": user.display_name}
    db.session.remove()
    return names


@pytest.fixture
def tab(browser, live_server):
    """A tab able to inject axe (which bypasses the site's CSP for that alone, as in test_accessibility.py)."""
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_change_the_password_from_the_header(tab, account, mailbox):
    log_in(tab, account["email"])
    tab.get_by_role("link", name=account["name"]).click()
    expect(tab.get_by_role("heading", name="Your account")).to_be_visible()
    assert_no_serious(axe_violations(tab, "account page"))
    tab.get_by_role("link", name="Change your password").click()
    expect(tab.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_no_serious(axe_violations(tab, "change password"))

    tab.get_by_label("Current password").fill("not my password at all")
    tab.get_by_label("New password").fill("kites above the dunes")
    tab.get_by_role("button", name="Change my password").click()
    expect(tab.locator(".error-summary")).to_contain_text("That is not your current password")
    assert_no_serious(axe_violations(tab, "change password refused"))

    tab.get_by_label("Current password").fill("correct horse battery staple")
    tab.get_by_label("New password").fill("kites above the dunes")
    tab.get_by_role("button", name="Change my password").click()
    expect(tab.get_by_text("Your password is changed. You stay logged in here")).to_be_visible()
    expect(tab.get_by_role("button", name="Log out")).to_be_visible()
    assert mailbox.last_to(account["email"])["Subject"] == "Your password was changed"
