"""What tests/accounts/test_login.py does not already show of ASVS 6.3 and 7.2-7.4.

Shown elsewhere: per-address throttling that leaves other addresses free (test_rate_limits.py and
tests/ratelimits/test_configured_limits.py, where the victim logs in during a flood), idle and absolute timeouts,
the session cleared on log-in, log-out rotating the account's token (test_login.py), CSRF on every
state-changing route (tests/core/test_csrf_every_route.py). A reset and a change of password
ending every session: test_reset_password.py, test_change_password.py.
"""

from __future__ import annotations

import pytest

from provider_dir.accounts import services
from provider_dir.accounts.passwords import hash_password
from provider_dir.extensions import db
from tests.conftest import TEST_PASSWORD

FAILED = "That email and password do not match an account."


def logged_in_as(client, user) -> bool:
    """Return True when the pages show the account as logged in."""
    html = client.get("/about").text
    return user.display_name in html and "Log out" in html


def test_log_in_issues_a_new_session_id_and_retires_the_one_from_before(client, create_user, auth):
    user = create_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "fixation"
    before_cookie = client.get_cookie("session").value
    token_before = user.session_token

    auth.login(user)
    db.session.refresh(user)
    assert user.session_token != token_before
    with client.session_transaction() as session:
        assert session["_user_id"] == user.session_token
    assert client.get_cookie("session").value != before_cookie
    # The cookie from before the log-in (one an attacker could have planted) never becomes a logged-in session.
    client.set_cookie("session", before_cookie)
    assert not logged_in_as(client, user)


def test_log_out_ends_every_copy_of_the_session_on_every_device(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    copies = [app.test_client() for _ in range(2)]
    for copy in copies:
        copy.set_cookie("session", client.get_cookie("session").value)
        assert logged_in_as(copy, user)
    auth.logout()
    for copy in copies:
        assert not logged_in_as(copy, user)


@pytest.fixture
def verify_calls(monkeypatch) -> list[str]:
    """Record every argon2 verify the log-in service does (the real verify still runs)."""
    calls: list[str] = []
    real = services.verify_password

    def counting(password_hash: str, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", counting)
    return calls


def test_unknown_and_known_emails_get_the_same_message_and_the_same_hash_work(client, create_user, verify_calls):
    user = create_user(email="real.person@example.test")
    inactive = create_user(email="closed.account@example.test", active=False)
    attempts = [("real.person@example.test", "wrong password here"),
                ("nobody.here@example.test", "wrong password here"),
                ("closed.account@example.test", TEST_PASSWORD)]  # fmt: skip
    messages = []
    for email, password in attempts:
        before = len(verify_calls)
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 422
        assert FAILED in response.text
        messages.append(response.text.replace(email, "EMAIL"))
        assert len(verify_calls) == before + 1, f"{email}: one argon2 verify on every path"
    assert len(set(messages)) == 1
    # The unknown email was checked against a dummy hash made with the same argon2id parameters as real ones.
    dummy, real = verify_calls[1], verify_calls[0]
    assert real == user.password_hash and dummy not in (user.password_hash, inactive.password_hash)
    parameters = hash_password("any password").rsplit("$", 2)[0]
    assert dummy.rsplit("$", 2)[0] == real.rsplit("$", 2)[0] == parameters
