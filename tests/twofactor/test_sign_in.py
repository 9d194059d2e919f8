"""Logging in with a second factor: the password alone signs nobody in; a code finishes it, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_password
from tests.second_factor import TEST_RECOVERY_CODES, TEST_TOTP_SECRET, give_second_factor

TOTP = pyotp.TOTP(TEST_TOTP_SECRET)


def password_step(client, user, next_path: str = ""):
    return client.post("/login" + (f"?next={next_path}" if next_path else ""),
                       data={"email": user.email, "password": TEST_PASSWORD})  # fmt: skip


def test_the_password_alone_signs_nobody_in(client, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    response = password_step(client, moderator)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert client.get("/moderation/").headers["Location"].startswith("/login")
    assert client.get("/account/").headers["Location"].startswith("/login")
    page = client.get("/login/code")
    assert page.status_code == 200 and "Your sign-in code" in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_right_code_finishes_the_log_in_and_goes_where_the_visitor_was_going(client, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    assert password_step(client, moderator, next_path="/moderation/claims/").status_code == 302
    done = client.post("/login/code", data={"code": TOTP.now()})
    assert done.status_code == 302 and done.headers["Location"] == "/moderation/claims/"
    assert client.get("/moderation/claims/").status_code == 200
    assert moderator.last_login_at is not None


def test_the_password_step_leaves_other_sessions_alone_until_the_code_is_right(app, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    signed_in, intruder = app.test_client(), app.test_client()
    password_step(signed_in, moderator)
    signed_in.post("/login/code", data={"code": TOTP.now()})
    token = moderator.session_token
    # Someone with the password but no phone gets as far as the code form, and ends nobody's session.
    assert password_step(intruder, moderator).headers["Location"] == "/login/code"
    assert intruder.post("/login/code", data={"code": "000000" if TOTP.now() != "000000" else "111111"}).status_code \
        == 422
    db.session.refresh(moderator)
    assert moderator.session_token == token
    assert signed_in.get("/moderation/").status_code == 200


def test_a_used_code_is_refused_and_the_next_one_works(client, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    now = datetime.now(UTC)
    password_step(client, moderator)
    assert client.post("/login/code", data={"code": TOTP.at(now)}).status_code == 302
    client.post("/logout")
    password_step(client, moderator)
    again = client.post("/login/code", data={"code": TOTP.at(now)})
    assert again.status_code == 422 and "used already" in again.text
    assert client.get("/moderation/").status_code == 302
    # An older step than the last one used is refused too, even inside the window.
    older = client.post("/login/code", data={"code": TOTP.at(now - timedelta(seconds=30))})
    assert older.status_code == 422
    assert client.post("/login/code", data={"code": TOTP.at(now + timedelta(seconds=30))}).status_code == 302


def test_a_recovery_code_works_once_and_says_how_many_are_left(client, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    password_step(client, moderator)
    code = TEST_RECOVERY_CODES[3].lower()  # typed in lower case with dashes: still the same code
    done = client.post("/login/code", data={"code": "-".join([code[:8], code[8:]])}, follow_redirects=True)
    assert "You used a recovery code; 9 left" in done.text
    client.post("/logout")
    password_step(client, moderator)
    again = client.post("/login/code", data={"code": TEST_RECOVERY_CODES[3]})
    assert again.status_code == 422 and "recovery code has been used already" in again.text


def test_a_wrong_code_is_refused_with_a_clear_message(client, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    password_step(client, moderator)
    for wrong in ("12345", "ABCDEFGHJKLMNPQR", "x" * 40):
        response = client.post("/login/code", data={"code": wrong})
        assert response.status_code == 422 and "That code is not right" in response.text
    assert client.post("/login/code", data={"code": ""}).status_code == 422
    assert client.post("/login/code", data={"code": "x" * 41}).status_code == 422


def test_the_half_way_log_in_expires(app, client, create_user, monkeypatch):
    moderator = create_user(role=UserRole.MODERATOR)
    password_step(client, moderator)
    monkeypatch.setitem(app.config, "SECOND_FACTOR_PENDING_MINUTES", 0)
    late = client.post("/login/code", data={"code": TOTP.now()}, follow_redirects=True)
    assert "waited too long for its code" in late.text
    assert client.get("/moderation/").status_code == 302


def test_the_code_form_without_a_password_just_typed_sends_back_to_log_in(client):
    response = client.post("/login/code", data={"code": TOTP.now()})
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_accounts_without_a_second_factor_log_in_with_the_password_as_before(client, create_user):
    patient = create_user()
    response = password_step(client, patient)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account/").status_code == 200


def _account_with_factor(app) -> User:
    with app.app_context():
        tag = uuid.uuid4().hex[:8]
        # A patient who turned it on: committed rows outlive the test, and staff accounts are counted elsewhere.
        user = User(email=f"limited-{tag}@example.test", display_name=f"limited_{tag}", password_hash=hashed_password())
        db.session.add(user)
        db.session.flush()
        give_second_factor(user.id)
        db.session.commit()
        email = user.email
        db.session.remove()
    return email


def test_wrong_codes_are_limited_per_account_whichever_browser_sends_them(limited_app):
    email = _account_with_factor(limited_app)
    wrong = "000000" if TOTP.now() != "000000" else "111111"
    first, second = limited_app.test_client(), limited_app.test_client()
    for client in (first, second):
        client.post("/login", data={"email": email, "password": TEST_PASSWORD},
                    environ_base={"REMOTE_ADDR": f"198.51.100.{1 if client is first else 2}"})  # fmt: skip
    answers = [first.post("/login/code", data={"code": wrong}).status_code for _ in range(5)]
    assert answers == [422] * 5
    # The sixth wrong code in a minute is refused from another browser at another address too.
    blocked = second.post("/login/code", data={"code": wrong}, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert blocked.status_code == 429 and "Too many wrong codes were typed for this account" in blocked.text
    # Another account keeps its own budget.
    other = limited_app.test_client()
    other.post("/login", data={"email": _account_with_factor(limited_app), "password": TEST_PASSWORD})
    assert other.post("/login/code", data={"code": TOTP.now()}).status_code == 302
    with limited_app.app_context():
        assert db.session.scalar(select(User.last_login_at).where(User.email == email)) is None


def test_a_key_the_configured_keys_cannot_open_is_refused_clearly_and_recovery_codes_still_work(
    app, client, create_user, monkeypatch
):
    moderator = create_user(role=UserRole.MODERATOR)  # its key was encrypted under SECRET_KEY
    monkeypatch.setitem(app.config, "SECOND_FACTOR_KEYS", ["a-new-key-that-never-saw-this-one"])
    password_step(client, moderator)
    refused = client.post("/login/code", data={"code": TOTP.now()})
    assert refused.status_code == 422 and "An admin must reset it" in refused.text
    assert client.post("/login/code", data={"code": TEST_RECOVERY_CODES[0]}).status_code == 302
