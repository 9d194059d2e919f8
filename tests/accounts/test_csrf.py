"""With CSRF protection on (as in production), forms need their token (ASVS 3.5.1)."""

import re

import pytest
from flask import g

from tests.conftest import TEST_PASSWORD


@pytest.fixture
def csrf_client(app, client, monkeypatch):
    """The test client with CSRF checking switched on for this test only."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    send = client.open

    def open_as_a_new_request(*args, **kwargs):
        # Requests here reuse the test's app context, whose g outlives them; flask-wtf caches the page's
        # token there. A real request starts with an empty g.
        g.pop("csrf_token", None)
        return send(*args, **kwargs)

    monkeypatch.setattr(client, "open", open_as_a_new_request)
    return client


def token_from(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_login_without_a_token_is_refused(csrf_client, create_user):
    user = create_user()
    response = csrf_client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "sent without its security token" in response.text
    assert user.display_name not in csrf_client.get("/about").text


def test_login_with_a_wrong_token_is_refused(csrf_client, create_user):
    user = create_user()
    csrf_client.get("/login")
    response = csrf_client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                "csrf_token": "forged"})
    assert response.status_code == 400


def test_login_with_its_token_succeeds(csrf_client, create_user):
    user = create_user()
    token = token_from(csrf_client.get("/login").text)
    response = csrf_client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    assert user.display_name in csrf_client.get("/about").text


def test_sign_up_needs_its_token(csrf_client):
    form = {"email": "csrf.person@example.com", "display_name": "csrf_person", "password": "lantern by the sea"}
    assert csrf_client.post("/register", data=form).status_code == 400
    token = token_from(csrf_client.get("/register").text)
    assert csrf_client.post("/register", data={**form, "csrf_token": token}).status_code == 302


def test_logout_needs_the_token_from_the_page(csrf_client, create_user):
    user = create_user()
    token = token_from(csrf_client.get("/login").text)
    csrf_client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert csrf_client.post("/logout").status_code == 400
    assert user.display_name in csrf_client.get("/about").text
    page = csrf_client.get("/about").text
    logout_form = page.split('action="/logout"', 1)[1]
    assert csrf_client.post("/logout", data={"csrf_token": token_from(logout_form)}).status_code == 302
    assert user.display_name not in csrf_client.get("/about").text


def test_changing_the_password_or_the_address_needs_the_token_from_the_page(csrf_client, create_user, mailbox):
    user = create_user()
    token = token_from(csrf_client.get("/login").text)
    csrf_client.post("/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    password_form = {"current_password": TEST_PASSWORD, "password": "a new lantern by the sea"}
    email_form = {"current_password": TEST_PASSWORD, "email": "csrf.mover@example.com"}
    assert csrf_client.post("/account/password", data=password_form).status_code == 400
    assert csrf_client.post("/account/email", data=email_form).status_code == 400
    assert mailbox.messages == []
    token = token_from(csrf_client.get("/account/email").text)
    assert csrf_client.post("/account/email", data={**email_form, "csrf_token": token}).status_code == 302
    token = token_from(csrf_client.get("/account/password").text)
    assert csrf_client.post("/account/password", data={**password_form, "csrf_token": token}).status_code == 302
