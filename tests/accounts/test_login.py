"""Logging in and out, and how long a session lives (ASVS 6.3, 7.2-7.4)."""

import pytest

from provider_dir.extensions import db
from tests.conftest import TEST_PASSWORD

FAILED = "That email and password do not match an account."


def logged_in_as(client, user) -> bool:
    """Return True when the pages show the account as logged in."""
    html = client.get("/about").text
    return user.display_name in html and "Log out" in html


def test_login_with_the_right_password(client, create_user, auth):
    user = create_user()
    response = auth.login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in_as(client, user)
    assert user.last_login_at is not None


def test_login_accepts_the_email_in_any_case(client, create_user):
    user = create_user(email="mixed.case@example.test")
    response = client.post("/login", data={"email": "  Mixed.Case@EXAMPLE.test ", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert logged_in_as(client, user)


def test_wrong_password_unknown_email_and_inactive_account_look_the_same(client, create_user):
    user = create_user(email="known@example.test")
    inactive = create_user(email="gone@example.test", active=False)
    answers = [
        client.post("/login", data={"email": user.email, "password": "wrong password here"}),
        client.post("/login", data={"email": "nobody@example.test", "password": "wrong password here"}),
        client.post("/login", data={"email": inactive.email, "password": TEST_PASSWORD}),
    ]
    assert {r.status_code for r in answers} == {422}
    for response in answers:
        assert FAILED in response.text
    # The only difference is the email echoed back into the form.
    texts = {r.text.replace(email, "E") for r, email in zip(answers, [user.email, "nobody@example.test",
                                                                      inactive.email], strict=True)}
    assert len(texts) == 1
    assert not logged_in_as(client, inactive)


def test_failed_login_keeps_the_email_but_not_the_password(client, create_user):
    user = create_user()
    response = client.post("/login", data={"email": user.email, "password": "my secret attempt"})
    assert response.status_code == 422
    assert f'value="{user.email}"' in response.text
    assert "my secret attempt" not in response.text


@pytest.mark.parametrize("email", ["a\x00b@example.test", "tab\there@example.test"])
def test_control_characters_are_a_422_not_a_database_error(client, email):
    response = client.post("/login", data={"email": email, "password": "whatever it is"})
    assert response.status_code == 422
    assert "control characters" in response.text


def test_empty_login_form(client):
    response = client.post("/login", data={})
    assert response.status_code == 422
    assert "Enter your email address." in response.text and "Enter your password." in response.text


def test_login_starts_a_new_session(client, create_user, auth):
    user = create_user()
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "fixation"
    auth.login(user)
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session["login_at"] and session["seen_at"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/clinics", "/clinics"), ("/about?x=1", "/about?x=1"), ("https://evil.example/", "/"),
     ("//evil.example/", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/")],
)
def test_login_redirects_only_within_the_site(client, create_user, target, expected):
    user = create_user()
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == expected


def test_logout_ends_the_session_on_the_server(client, create_user, auth):
    user = create_user()
    auth.login(user)
    stolen = client.get_cookie("session").value
    old_token = user.session_token

    response = auth.logout()
    assert response.status_code == 302
    assert not logged_in_as(client, user)
    db.session.refresh(user)
    assert user.session_token != old_token

    # Replaying the cookie from before the logout no longer logs anyone in.
    client.set_cookie("session", stolen)
    assert not logged_in_as(client, user)


def test_logging_in_again_retires_the_previous_cookie(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    earlier = client.get_cookie("session").value
    other_browser = app.test_client()
    other_browser.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    client.set_cookie("session", earlier)
    assert not logged_in_as(client, user)
    assert logged_in_as(other_browser, user)


def test_logout_is_post_only(client, create_user, auth):
    user = create_user()
    auth.login(user)
    assert client.get("/logout").status_code == 405
    assert logged_in_as(client, user)


def test_idle_timeout_logs_the_browser_out(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    idle_seconds = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session["seen_at"] -= idle_seconds + 60
    html = client.get("/about").text
    assert "Your session expired. Please log in again." in html
    assert not logged_in_as(client, user)


def test_activity_keeps_a_session_alive(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["SESSION_IDLE_MINUTES"] * 60 - 120  # two minutes to spare
    assert logged_in_as(client, user)
    with client.session_transaction() as session:
        assert session["seen_at"] > session["login_at"]


def test_absolute_timeout_logs_the_browser_out_even_when_active(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    with client.session_transaction() as session:
        session["login_at"] -= app.config["SESSION_ABSOLUTE_HOURS"] * 3600 + 60
    assert not logged_in_as(client, user)


def test_a_session_without_its_timestamps_is_not_trusted(client, create_user, auth):
    user = create_user()
    auth.login(user)
    with client.session_transaction() as session:
        del session["login_at"]
    assert not logged_in_as(client, user)


def test_login_page_renders(client):
    html = client.get("/login").text
    assert 'autocomplete="current-password"' in html
    assert '<label class="field-label" for="email">Email</label>' in html


def test_a_page_or_file_that_changes_nothing_sends_no_cookie(client, create_user, auth):
    user = create_user()
    auth.login(user)
    assert "You are logged in." in client.get("/").text  # showing the flashed message changes the session
    assert "Set-Cookie" not in client.get("/about").headers
    assert "Set-Cookie" not in client.get("/static/css/site.css").headers


def test_an_icon_answering_late_with_the_old_cookie_cannot_wipe_a_flashed_message(client, create_user, auth):
    from provider_dir.accounts.models import UserRole
    from provider_dir.twofactor.guards import SETUP_NEEDED

    moderator = create_user(role=UserRole.MODERATOR, second_factor=False)
    auth.login(moderator)
    in_flight = client.get_cookie("session").value  # the icon request of the page before still carries this
    redirect = client.get("/moderation/")
    # The icon's answer arrives after the redirect's: had it set a cookie, the browser would keep the older one.
    client.set_cookie("session", in_flight)
    assert "Set-Cookie" not in client.get("/static/img/favicon.svg").headers
    client.set_cookie("session", redirect.headers["Set-Cookie"].split(";")[0].split("=", 1)[1])
    assert SETUP_NEEDED in client.get(redirect.headers["Location"]).text
