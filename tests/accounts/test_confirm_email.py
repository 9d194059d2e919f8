"""Confirming a new account's address through the link mailed to it."""

from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from provider_dir.accounts import links
from provider_dir.accounts.guards import require_confirmed_email
from provider_dir.accounts.models import User
from provider_dir.extensions import db, limiter
from provider_dir.moderation.models import ModerationLog
from tests.accounts.conftest import made_hours_ago
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_test_password

NEW = {"email": "sky.lark@example.com", "display_name": "sky_lark", "password": "lanterns over the harbour"}


def registered(client):
    client.post("/register", data=NEW)
    return db.session.scalar(select(User).where(User.email == NEW["email"]))


def test_register_read_the_mail_follow_the_link_and_the_address_is_confirmed(client, mailbox, link_in):
    user = registered(client)
    link = link_in(NEW["email"], "/confirm/")
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my email address" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    assert user.email_confirmed_at is None  # opening the link (a mail scanner might) changes nothing
    done = client.post(link)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    db.session.refresh(user)
    assert user.email_confirmed
    assert "your email address is confirmed" in client.get("/login").text
    row = db.session.scalar(
        select(ModerationLog).where(ModerationLog.target_type == "user", ModerationLog.target_id == user.id)
    )
    assert row.action == "email_confirmed" and row.changes == {"email_confirmed": [False, True]}


def test_a_used_link_gets_a_clear_400(client, mailbox, link_in):
    registered(client)
    link = link_in(NEW["email"], "/confirm/")
    client.post(link)
    again = client.post(link)
    assert again.status_code == 400
    assert "already used: your address is confirmed" in again.text
    assert client.get(link).status_code == 400


def test_a_tampered_link_gets_a_clear_400(client, mailbox, link_in):
    user = registered(client)
    link = link_in(NEW["email"], "/confirm/")
    for bad in (link[:-3] + "xyz", link[:-12], "/confirm/nonsense"):
        response = client.post(bad)
        assert response.status_code == 400
        assert "This link is not valid" in response.text
    db.session.refresh(user)
    assert not user.email_confirmed


def test_an_expired_link_gets_a_clear_400(app, client, create_user, monkeypatch):
    user = create_user()
    with made_hours_ago(monkeypatch, 49):
        old = links.confirmation_token(user)
    with made_hours_ago(monkeypatch, 47):
        recent = links.confirmation_token(user)
    response = client.post(f"/confirm/{old}")
    assert response.status_code == 400
    assert "has expired (links last 48 hours)" in response.text
    assert not user.email_confirmed
    second = client.post(f"/confirm/{recent}")
    assert second.status_code == 302, second.text
    assert user.email_confirmed


def test_a_reset_link_cannot_confirm_an_address(app, client, create_user):
    user = create_user()
    response = client.post(f"/confirm/{links.reset_token(user)}")
    assert response.status_code == 400
    assert not user.email_confirmed


def test_a_link_for_an_old_address_does_not_confirm_the_new_one(app, client, create_user):
    user = create_user(email="before@example.test")
    token = links.confirmation_token(user)
    user.email = "after@example.test"
    db.session.commit()
    assert client.post(f"/confirm/{token}").status_code == 400
    assert not user.email_confirmed


def test_an_unconfirmed_account_can_log_in_and_sees_the_banner(client, auth, create_user):
    user = create_user()
    assert auth.login(user).status_code == 302
    page = client.get("/about").text
    assert "Please confirm your email address" in page
    assert 'action="/confirm/resend"' in page and "Send the link again" in page
    user.email_confirmed_at = db.func.now()
    db.session.commit()
    assert "Please confirm your email address" not in client.get("/about").text


def test_send_the_link_again_mails_a_working_link(client, auth, create_user, mailbox, link_in):
    user = create_user()
    auth.login(user)
    response = client.post("/confirm/resend", data={"next": "/about"})
    assert response.status_code == 302 and response.headers["Location"] == "/about"
    assert f"A new confirmation link is on its way to {user.email}" in client.get("/about").text
    client.post(link_in(user.email, "/confirm/"))
    assert user.email_confirmed
    assert "Please confirm your email address" not in client.get("/").text


def test_following_the_link_while_logged_in_goes_home(client, auth, create_user, mailbox, link_in):
    user = create_user()
    auth.login(user)
    client.post("/confirm/resend")
    response = client.post(link_in(user.email, "/confirm/"))
    assert response.headers["Location"] == "/"
    assert "Thank you: your email address is confirmed." in client.get("/").text


def test_resend_needs_a_login(client):
    response = client.post("/confirm/resend")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_resend_is_limited_per_account(limited_app, mailbox):
    with limited_app.app_context():
        user = User(email="limit.me@example.test", display_name="limit_me", password_hash=hashed_test_password())
        db.session.add(user)
        db.session.commit()
        try:
            client = limited_app.test_client()
            client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
            statuses = [client.post("/confirm/resend").status_code for _ in range(4)]
            assert statuses == [302, 302, 302, 429]
            assert len(mailbox.to(user.email)) == 3
            assert "3 per 1 hour" in client.post("/confirm/resend").text
            # Logging in again (a new session token) does not start a new count.
            client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
            assert client.post("/confirm/resend").status_code == 429
        finally:
            db.session.delete(db.session.get(User, user.id))
            db.session.commit()
            limiter.reset()


def test_require_confirmed_email_refuses_an_unconfirmed_account_with_a_message(app, create_user):
    user = create_user()
    with app.test_request_context():
        login_user(user)
        try:
            require_confirmed_email()
        except Forbidden as exc:
            assert "Please confirm your email address first" in exc.description
        else:
            raise AssertionError("an unconfirmed account passed")
        user.email_confirmed_at = db.func.now()
        db.session.flush()
        db.session.refresh(user)
        require_confirmed_email()  # passes
