"""In a real browser: a new moderator is sent to set up two-factor sign-in, reads the key off the page into an
"authenticator" (pyotp), then logs in with a code and with a recovery code, and is refused codes used before.
axe finds no serious violation on the new pages."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import assert_no_serious, axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def moderator(live_db):
    """A moderator who has not set up a second factor yet."""
    tag = uuid.uuid4().hex[:8]
    user = User(email=f"newmod-{tag}@e2e.test", display_name=f"newmod_{tag}", password_hash=hashed_password(),
                role=UserRole.MODERATOR, email_confirmed_at=utcnow())  # fmt: skip
    db.session.add(user)
    db.session.commit()
    email = user.email
    db.session.remove()
    return email


@pytest.fixture
def tab(browser, live_server):
    """A tab able to inject axe (which bypasses the site's CSP for that alone, as in test_accessibility.py)."""
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def password_step(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def code_step(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Finish logging in").click()


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def test_a_moderator_sets_up_the_app_and_logs_in_with_codes_each_used_once(tab: Page, moderator):
    # Password alone: the queue sends the moderator to set up a second factor first.
    password_step(tab, moderator)
    tab.goto("/moderation/")
    expect(tab.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(tab.get_by_text("Moderator and admin accounts must use two-factor sign-in")).to_be_visible()
    assert_no_serious(axe_violations(tab, "two-factor, off"))
    tab.get_by_role("button", name="Set up two-factor sign-in").click()

    # The QR code and the key in text; the "authenticator" reads the key and gives the code.
    expect(tab.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_no_serious(axe_violations(tab, "two-factor setup"))
    key = tab.locator("#setup-key").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)
    tab.get_by_label("Code from the app").fill("000000" if app.now() != "000000" else "111111")
    tab.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(tab.locator("#code-error")).to_contain_text("That code is not right")
    assert_no_serious(axe_violations(tab, "two-factor setup refused"))
    setup_code = app.now()
    tab.get_by_label("Code from the app").fill(setup_code)
    tab.get_by_role("button", name="Turn on two-factor sign-in").click()

    # Ten recovery codes, shown once; then the queue opens.
    expect(tab.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    recovery = [li.replace(" ", "") for li in tab.locator(".recovery-codes li").all_inner_texts()]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert_no_serious(axe_violations(tab, "recovery codes"))
    tab.get_by_role("link", name="I have saved them").click()
    expect(tab.get_by_role("heading", name="Moderation queue")).to_be_visible()
    log_out(tab)

    # Log in again: the code used at setup is refused, the next one finishes the log-in.
    password_step(tab, moderator)
    expect(tab.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    assert_no_serious(axe_violations(tab, "sign-in code"))
    code_step(tab, setup_code)
    expect(tab.locator("#code-error")).to_contain_text("That code has been used already")
    assert_no_serious(axe_violations(tab, "sign-in code refused"))
    code_step(tab, app.at(datetime.now(UTC) + timedelta(seconds=30)))
    expect(tab.get_by_role("button", name="Log out")).to_be_visible()
    tab.goto("/moderation/")
    expect(tab.get_by_role("heading", name="Moderation queue")).to_be_visible()
    log_out(tab)

    # A recovery code works once (typed with its spaces), and never again.
    password_step(tab, moderator)
    code_step(tab, " ".join(re.findall("....", recovery[0])))
    expect(tab.get_by_text("You used a recovery code; 9 left")).to_be_visible()
    log_out(tab)
    password_step(tab, moderator)
    code_step(tab, recovery[0])
    expect(tab.locator("#code-error")).to_contain_text("That recovery code has been used already")
    expect(tab.get_by_role("button", name="Log out")).to_have_count(0)
