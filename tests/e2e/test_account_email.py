"""In a real browser: sign up, confirm the address from the SMTP server's message, forget the password, reset it."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def only_link(mailbox, address: str, marker: str) -> str:
    [link] = [x for x in mailbox.links(mailbox.last_to(address)) if marker in x]
    return urlsplit(link).path


def test_sign_up_confirm_and_reset_in_a_browser(page: Page, live_db, mailbox):
    tag = uuid.uuid4().hex[:8]
    email, name = f"new-{tag}@example.com", f"new_{tag}"
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill("paper boats on the pond")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("paper boats on the pond")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please confirm your email address")).to_be_visible()

    page.goto(only_link(mailbox, email, "/confirm/"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_text("Thank you: your email address is confirmed.")).to_be_visible()
    expect(page.get_by_text("Please confirm your email address")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a reset link").click()
    expect(page.get_by_text("If an account uses the address you gave")).to_be_visible()
    link = only_link(mailbox, email, "/reset/")
    page.goto(link)
    page.get_by_label("New password").fill("kites above the dunes")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("kites above the dunes")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(name).first).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("already used, or the password changed")).to_be_visible()
