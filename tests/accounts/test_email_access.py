"""The emailed-link routes as every role: reset and confirm pages are open, resending needs an account."""

import pytest

from provider_dir.accounts import links
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.second_factor import log_in

ROLES = ["anonymous", "patient", "clinic_owner", "moderator", "admin", "deactivated"]


@pytest.fixture
def client_as(app, create_user, create_clinic, make_owner):
    def make(role: str):
        client = app.test_client()
        if role == "anonymous":
            return client, None
        user = make_owner(create_clinic()) if role == "clinic_owner" else create_user(
            role=UserRole.PATIENT if role == "deactivated" else UserRole(role))
        log_in(client, user, TEST_PASSWORD)
        if role == "deactivated":
            user.active = False
            db.session.commit()
        return client, user

    return make


@pytest.mark.parametrize("role", ROLES)
def test_resend_needs_a_live_account(client_as, mailbox, role):
    client, user = client_as(role)
    response = client.post("/confirm/resend")
    assert response.status_code == 302
    if role in ("anonymous", "deactivated"):
        assert response.headers["Location"].startswith("/login")
        assert mailbox.messages == []
    else:
        assert response.headers["Location"] == "/"
        assert mailbox.last_to(user.email)["Subject"] == "Confirm your email address"


@pytest.mark.parametrize("role", ROLES)
def test_reset_and_confirm_pages_are_open_to_everyone(client_as, create_user, role):
    client, _ = client_as(role)
    assert client.get("/reset").status_code == 200
    assert client.get("/reset/sent").status_code == 200
    assert client.get("/register/check-email").status_code == 200
    someone = create_user()
    assert client.get(f"/confirm/{links.confirmation_token(someone)}").status_code == 200
    assert client.get(f"/reset/{links.reset_token(someone)}").status_code == 200
