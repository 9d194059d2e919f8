"""Undoing an address change from the old address: the account moves back, is locked and gets a reset link."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts import links
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from tests.accounts.conftest import made_hours_ago
from tests.conftest import TEST_PASSWORD

THIEF_EMAIL = "not.the.owner@example.com"


def moved_by_someone_else(app, client, auth, user, link_in):
    """Sign in as the account (someone who knows its password), move it to THIEF_EMAIL; return the undo link."""
    old_email = user.email
    auth.login(user)
    client.post("/account/email", data={"email": THIEF_EMAIL, "current_password": TEST_PASSWORD})
    assert client.post(link_in(THIEF_EMAIL, "/account/email/")).status_code == 302
    db.session.refresh(user)
    assert user.email == THIEF_EMAIL
    return link_in(old_email, "/account/email/undo/")


def test_the_old_address_moves_the_account_back_and_locks_out_whoever_moved_it(app, client, auth, create_user,
                                                                               mailbox, link_in):
    user = create_user()
    old_email = user.email
    undo = moved_by_someone_else(app, client, auth, user, link_in)
    notice = mailbox.body(mailbox.last_to(old_email))
    assert "If it was not you, someone knows your password" in notice and "within 7 days" in notice.lower()

    owner = app.test_client()  # the real owner, in another browser, from the old mailbox
    page = owner.get(undo)
    assert page.status_code == 200 and "Move my account back" in page.text and THIEF_EMAIL in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    db.session.refresh(user)
    assert user.email == THIEF_EMAIL  # opening the link changes nothing

    done = owner.post(undo)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert f"Your account uses {old_email} again" in owner.get("/login").text
    db.session.refresh(user)
    assert user.email == old_email and user.email_confirmed
    # Whoever moved it is signed out, and the password they knew no longer works.
    assert client.get("/account/").status_code == 302
    assert app.test_client().post("/login", data={"email": old_email, "password": TEST_PASSWORD}).status_code == 422
    row = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "email_change_undone"))
    assert row.target_id == user.id and row.changes == {"email": [THIEF_EMAIL, old_email]}

    # The owner chooses a new password through the reset link sent to the restored address.
    reset = link_in(old_email, "/reset/")
    assert owner.post(reset, data={"password": "kites above the quiet dunes"}).status_code == 302
    signed_in = app.test_client().post("/login", data={"email": old_email, "password": "kites above the quiet dunes"})
    assert signed_in.status_code == 302

    for method in (owner.get, owner.post):  # single use
        again = method(undo)
        assert again.status_code == 400 and "already used" in again.text


def test_an_undo_link_dies_after_seven_days_and_when_altered(app, client, auth, create_user, mailbox, link_in,
                                                             monkeypatch):
    user = create_user()
    undo = moved_by_someone_else(app, client, auth, user, link_in)
    token = undo.rsplit("/", 1)[1]
    with made_hours_ago(monkeypatch, 7 * 24 + 1):
        old = links.email_undo_token(user, "earlier@example.com")
    expired = client.post(f"/account/email/undo/{old}")
    assert expired.status_code == 400 and "expired (links last 7 days)" in expired.text
    altered = client.get(f"/account/email/undo/{token[:-3]}abc")
    assert altered.status_code == 400 and "not valid" in altered.text
    assert "Reset a password" in altered.text and "notice at the top" not in altered.text
    db.session.refresh(user)
    assert user.email == THIEF_EMAIL


def test_an_old_address_taken_since_is_not_taken_over(app, client, auth, create_user, mailbox, link_in):
    user = create_user()
    old_email = user.email
    undo = moved_by_someone_else(app, client, auth, user, link_in)
    newcomer = create_user(email=old_email)
    response = app.test_client().post(undo)
    assert response.status_code == 400 and "Another account uses this address now" in response.text
    db.session.refresh(user)
    db.session.refresh(newcomer)
    assert user.email == THIEF_EMAIL and newcomer.email == old_email
