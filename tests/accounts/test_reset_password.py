"""Resetting a forgotten password through a signed, one-hour, single-use link."""

from sqlalchemy import select

from provider_dir.accounts import links
from provider_dir.accounts.models import User
from provider_dir.accounts.passwords import hash_password, verify_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db, limiter
from provider_dir.moderation.models import ModerationLog
from tests.accounts.conftest import made_hours_ago
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_test_password

NEW_PASSWORD = "a quiet walk by the river"


def test_known_and_unknown_addresses_get_the_same_answer(client, create_user, mailbox):
    user = create_user()
    known = client.post("/reset", data={"email": user.email.upper()})
    unknown = client.post("/reset", data={"email": "nobody.here@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/reset/sent"
    page = client.get("/reset/sent").text
    assert "If an account uses the address you gave" in page
    # Each address got exactly one message; only the account's has a link that resets anything.
    assert len(mailbox.to(user.email)) == 1 and len(mailbox.to("nobody.here@example.test")) == 1
    assert any("/reset/" in link for link in mailbox.links(mailbox.last_to(user.email)))
    stranger = mailbox.body(mailbox.last_to("nobody.here@example.test"))
    assert "no account uses it" in stranger and "/reset/" not in stranger


def test_the_link_resets_the_password_once(client, auth, create_user, mailbox, link_in):
    user = create_user()
    client.post("/reset", data={"email": user.email})
    link = link_in(user.email, "/reset/")
    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    assert form.headers["Referrer-Policy"] == "no-referrer" and form.headers["Cache-Control"] == "no-store"
    done = client.post(link, data={"password": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Your password is changed" in client.get("/login").text
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    auth.logout()
    assert auth.login(user, TEST_PASSWORD).status_code == 422
    for method in (client.get, client.post):
        again = method(link, data={"password": "yet another long passphrase"})
        assert again.status_code == 400
        assert "already used, or the password changed since it was sent" in again.text
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_the_new_password_follows_the_password_rules_and_the_link_still_works(client, create_user, mailbox, link_in):
    user = create_user(email="pat.rules@example.test")
    client.post("/reset", data={"email": user.email})
    link = link_in(user.email, "/reset/")
    for weak, message in (("short", "Use at least 8 characters"), ("baseball", "among the most common"),
                          ("pat.rules@example.test", "must not be your email"), ("x" * 129, "at most 128")):
        response = client.post(link, data={"password": weak})
        assert response.status_code == 422 and message in response.text
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 302


def test_a_reset_ends_every_session_of_the_account_and_is_audited(app, create_user, mailbox, link_in):
    user = create_user()
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert user.display_name in elsewhere.get("/about").text
    here = app.test_client()
    here.post("/reset", data={"email": user.email})
    here.post(link_in(user.email, "/reset/"), data={"password": NEW_PASSWORD})
    page = elsewhere.get("/about").text
    assert user.display_name not in page and "Log in" in page
    row = db.session.scalar(
        select(ModerationLog).where(ModerationLog.target_type == "user", ModerationLog.action == "password_reset")
    )
    assert row.target_id == user.id and row.actor_id == user.id
    # Following the link proved the address is theirs.
    assert user.email_confirmed and row.changes == {"email_confirmed": [False, True]}


def test_a_password_changed_otherwise_kills_the_link(client, create_user):
    user = create_user()
    token = links.reset_token(user)
    user.password_hash = hash_password("changed by other means entirely")
    db.session.commit()
    assert client.get(f"/reset/{token}").status_code == 400


def test_an_expired_or_tampered_link_gets_a_clear_400(client, create_user, monkeypatch):
    user = create_user()
    with made_hours_ago(monkeypatch, 1.1):
        old = links.reset_token(user)
    with made_hours_ago(monkeypatch, 0.9):
        recent = links.reset_token(user)
    response = client.post(f"/reset/{old}", data={"password": NEW_PASSWORD})
    assert response.status_code == 400 and "has expired (links last one hour)" in response.text
    for bad in (recent[:-2] + "zz", recent.split(".")[0], links.confirmation_token(user)):
        response = client.post(f"/reset/{bad}", data={"password": NEW_PASSWORD})
        assert response.status_code == 400 and "This link is not valid" in response.text
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert client.get(f"/reset/{recent}").status_code == 200


def test_a_deactivated_account_gets_no_link(client, create_user, mailbox):
    user = create_user(active=False)
    response = client.post("/reset", data={"email": user.email})
    assert response.headers["Location"] == "/reset/sent"
    body = mailbox.body(mailbox.last_to(user.email))
    assert "deactivated" in body and "/reset/" not in body


def test_a_link_made_before_deactivation_dies(client, create_user):
    user = create_user()
    token = links.reset_token(user)
    user.active = False
    db.session.commit()
    assert client.post(f"/reset/{token}", data={"password": NEW_PASSWORD}).status_code == 400


def test_a_malformed_address_keeps_what_was_typed(client):
    response = client.post("/reset", data={"email": "not an address"})
    assert response.status_code == 422
    assert "Enter an email address such as name@example.com." in response.text
    assert 'value="not an address"' in response.text


def test_the_log_in_page_links_to_the_reset(client):
    assert 'href="/reset"' in client.get("/login").text


def test_reset_requests_are_limited_per_address(limited_app, mailbox):
    with limited_app.app_context():
        user = User(email="often.forgets@example.test", display_name="often_forgets", role=UserRole.PATIENT,
                    password_hash=hashed_test_password())
        db.session.add(user)
        db.session.commit()
        try:
            statuses = [
                limited_app.test_client().post(
                    "/reset", data={"email": user.email}, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
                ).status_code
                for n in range(6)
            ]
            assert statuses == [302] * 5 + [429]
            assert len(mailbox.to(user.email)) == 5
            other = limited_app.test_client().post("/reset", data={"email": "someone.else@example.test"})
            assert other.status_code == 302
        finally:
            db.session.delete(db.session.get(User, user.id))
            db.session.commit()
            limiter.reset()
