"""Signing up as a pseudonymous patient."""

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from tests.mailbox import mail_server_down

GOOD = {"email": "River.Stone@Example.com", "display_name": "river_stone", "password": "tide pools at dusk"}


def test_sign_up_creates_an_unconfirmed_patient_and_mails_the_link(client, mailbox):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/register/check-email"
    user = db.session.scalar(select(User).where(User.display_name == "river_stone"))
    assert user.role == UserRole.PATIENT
    assert user.email == "river.stone@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert user.email_confirmed_at is None
    page = client.get(response.headers["Location"]).text
    assert "Check your email" in page and "48 hours" in page
    message = mailbox.last_to("river.stone@example.com")
    assert message["Subject"] == "Confirm your email address"
    assert any("/confirm/" in link for link in mailbox.links(message))
    # Signing up does not log in (that would tell a stranger the address was new): the user logs in after.
    assert "Log out" not in client.get("/").text


def test_sign_up_page(client):
    html = client.get("/register").text
    assert '<label class="field-label" for="email">Email</label>' in html
    assert '<label class="field-label" for="display_name">Display name</label>' in html
    assert "don&#39;t use your real name" in html
    assert 'autocomplete="new-password"' in html
    assert "maxlength" not in html.split('id="password"', 1)[1].split(">", 1)[0]  # browsers must not cut it


def test_errors_keep_what_was_typed_but_never_the_password(client):
    response = client.post("/register", data={**GOOD, "password": "short"})
    html = response.text
    assert response.status_code == 422
    assert 'value="River.Stone@Example.com"' in html
    assert 'value="river_stone"' in html
    assert 'value="short"' not in html
    assert "Use at least 8 characters" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="password-hint password-error"' in html
    assert "Please correct the following" in html
    assert db.session.scalar(select(User).where(User.display_name == "river_stone")) is None


def test_common_password_is_refused(client):
    response = client.post("/register", data={**GOOD, "password": "baseball"})
    assert response.status_code == 422
    assert "among the most common" in response.text


def test_password_longer_than_128_gets_a_message(client):
    response = client.post("/register", data={**GOOD, "password": "p" * 129})
    assert response.status_code == 422
    assert "Use at most 128 characters." in response.text


def test_missing_and_malformed_fields(client):
    response = client.post("/register", data={"email": "not-an-email", "display_name": "a b", "password": ""})
    assert response.status_code == 422
    assert "Enter an email address such as name@example.com." in response.text
    assert "Use letters, digits, dots, dashes or underscores." in response.text
    assert "Choose a password." in response.text


def test_display_name_taken(client, create_user):
    create_user(display_name="River_Stone")
    response = client.post("/register", data=GOOD)
    assert response.status_code == 422
    assert "That display name is taken." in response.text


def test_a_taken_email_gets_the_same_answer_and_its_owner_a_warning(client, create_user, mailbox):
    create_user(email="river.stone@example.com", display_name="first_river")
    new = client.post("/register", data={**GOOD, "email": "brand.new@example.com"})
    taken = client.post("/register", data={**GOOD, "display_name": "another_name"})
    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"] == "/register/check-email"
    assert "already exists" not in taken.text
    assert db.session.scalar(select(User).where(User.display_name == "another_name")) is None
    warning = mailbox.last_to("river.stone@example.com")
    assert warning["Subject"] == "Someone tried to sign up with your email address"
    body = mailbox.body(warning)
    assert "If it was you, log in instead" in body and "http://localhost/reset" in body
    assert "/confirm/" not in body
    assert mailbox.last_to("brand.new@example.com")["Subject"] == "Confirm your email address"


def test_a_taken_email_is_matched_whatever_its_case(client, create_user, mailbox):
    create_user(email="river.stone@example.com", display_name="first_river")
    client.post("/register", data={**GOOD, "email": "RIVER.STONE@example.com", "display_name": "second_river"})
    assert mailbox.last_to("river.stone@example.com")["Subject"].startswith("Someone tried")
    assert db.session.scalar(select(User).where(User.display_name == "second_river")) is None


def test_with_the_mail_server_down_sign_up_succeeds_and_the_email_follows(app, client, mailbox, monkeypatch):
    with mail_server_down(app, monkeypatch):
        response = client.post("/register", data=GOOD)
        assert response.status_code == 302
        assert "Your email is on its way" in client.get(response.headers["Location"]).text
        assert mailbox.messages == []  # the worker tried, the server refused: the message waits
    assert db.session.scalar(select(User).where(User.display_name == "river_stone")) is not None
    [message] = mailbox.to(GOOD["email"])  # the server is back: it arrives, once
    assert message["Subject"] == "Confirm your email address"


def test_control_characters_in_sign_up_are_a_422(client):
    response = client.post("/register", data={**GOOD, "email": "nul\x00@example.com", "display_name": "nul\x00name"})
    assert response.status_code == 422
    assert "control characters" in response.text
