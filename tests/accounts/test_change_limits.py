"""Guessing the current password on the account forms is throttled per account, as log-in is per address."""

from __future__ import annotations

import pytest

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.conftest import test_password_hash as hashed_test_password


@pytest.fixture
def signed_in(limited_app):
    """A client of the rate-limited app, signed in to an account committed for the test (and removed after)."""
    with limited_app.app_context():
        user = User(email="guessed.at@example.test", display_name="guessed_at", role=UserRole.PATIENT,
                    password_hash=hashed_test_password())  # fmt: skip
        db.session.add(user)
        db.session.commit()
        client = limited_app.test_client()
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
        try:
            yield client
        finally:
            db.session.delete(db.session.get(User, user.id))
            db.session.commit()


def test_wrong_current_passwords_on_both_forms_share_one_limit(signed_in):
    wrong = "not the password at all"
    on_password = [signed_in.post("/account/password", data={"current_password": wrong, "password": "a fine new "
                                                               "passphrase"}).status_code for _ in range(5)]
    on_email = [signed_in.post("/account/email", data={"current_password": wrong, "email": "x@example.com"})
                .status_code for _ in range(5)]  # fmt: skip
    assert on_password + on_email == [422] * 10
    blocked = signed_in.post("/account/password", data={"current_password": TEST_PASSWORD, "password": "x" * 20})
    assert blocked.status_code == 429 and "10 per 1 minute" in blocked.text
    assert signed_in.get("/account/password").status_code == 200  # reading the form is never blocked


def test_links_to_new_addresses_are_limited_per_account(signed_in, mailbox):
    statuses = [signed_in.post("/account/email", data={"current_password": TEST_PASSWORD,
                                                        "email": f"new{n}@example.com"}).status_code
                for n in range(6)]  # fmt: skip
    assert statuses == [302] * 5 + [429]
    assert len(mailbox.to("@example.com")) == 5
