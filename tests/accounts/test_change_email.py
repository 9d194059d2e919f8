"""Changing the log-in address: the current password, a signed 24-hour link to the new address, a notice to the old."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts import links
from provider_dir.accounts.passwords import hash_password
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from tests.accounts.conftest import made_hours_ago
from tests.conftest import TEST_PASSWORD

NEW_EMAIL = "river.stone@example.com"


def ask(client, email=NEW_EMAIL, password=TEST_PASSWORD):
    return client.post("/account/email", data={"email": email, "current_password": password})


def test_the_link_moves_the_account_and_confirms_the_new_address(app, client, auth, create_user, mailbox, link_in):
    user = create_user()
    old_email = user.email
    auth.login(user)
    asked = ask(client, email="  River.Stone@Example.com ")
    assert asked.status_code == 302 and asked.headers["Location"] == "/account/"
    assert f"A link is on its way to {NEW_EMAIL}" in client.get("/account/").text
    notice = mailbox.body(mailbox.last_to(old_email))
    assert NEW_EMAIL in notice and "Nothing changes until the link" in notice and "/confirm" not in notice

    link = link_in(NEW_EMAIL, "/account/email/")
    page = client.get(link)
    assert page.status_code == 200 and "Use this email address" in page.text and NEW_EMAIL in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer" and page.headers["Cache-Control"] == "no-store"
    db.session.refresh(user)
    assert user.email == old_email  # opening the link (a mail scanner might) changes nothing

    done = client.post(link)
    assert done.status_code == 302 and done.headers["Location"] == "/account/"
    assert f"Your email address is now {NEW_EMAIL}" in client.get("/account/").text
    db.session.refresh(user)
    assert user.email == NEW_EMAIL and user.email_confirmed
    changed = mailbox.last_to(old_email)
    assert changed["Subject"] == "Your email address was changed" and NEW_EMAIL in mailbox.body(changed)
    row = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "email_changed"))
    assert row.target_id == user.id and row.changes == {"email": [old_email, NEW_EMAIL],
                                                        "email_confirmed": [False, True]}  # fmt: skip

    auth.logout()
    assert app.test_client().post("/login", data={"email": old_email, "password": TEST_PASSWORD}).status_code == 422
    assert app.test_client().post("/login", data={"email": NEW_EMAIL, "password": TEST_PASSWORD}).status_code == 302
    for method in (client.get, client.post):  # single use
        again = method(link)
        assert again.status_code == 400 and "already used" in again.text


def test_the_link_works_in_a_browser_that_is_not_signed_in(app, client, auth, create_user, mailbox, link_in):
    user = create_user()
    auth.login(user)
    ask(client)
    other = app.test_client()
    done = other.post(link_in(NEW_EMAIL, "/account/email/"))
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    db.session.refresh(user)
    assert user.email == NEW_EMAIL


def test_an_address_another_account_uses_gets_the_same_answer_and_changes_nothing(client, auth, create_user,
                                                                                   mailbox):
    user = create_user()
    taken_by = create_user(email="already.here@example.com")
    auth.login(user)
    free = ask(client, email="nobody.yet@example.com")
    taken = ask(client, email="Already.Here@example.com")
    assert free.status_code == taken.status_code == 302
    assert free.headers["Location"] == taken.headers["Location"]
    page = client.get("/account/").text
    assert "A link is on its way to nobody.yet@example.com" in page
    assert "A link is on its way to already.here@example.com" in page
    # The owner of the address is told it is in use, with no link that changes anything.
    note = mailbox.body(mailbox.last_to(taken_by.email))
    assert "already belongs to an account here, so nothing changed" in note and "/account/email/" not in note
    assert any("/account/email/" in link for link in mailbox.links(mailbox.last_to("nobody.yet@example.com")))
    assert len(mailbox.to(user.email)) == 2  # the requester's own address hears of both, alike
    db.session.refresh(user)
    assert user.email != taken_by.email


def test_a_wrong_current_password_sends_nothing(client, auth, create_user, mailbox):
    user = create_user()
    auth.login(user)
    response = ask(client, password="not my password at all")
    assert response.status_code == 422
    assert "That is not your current password" in response.text
    assert f'value="{NEW_EMAIL}"' in response.text  # what was typed is kept
    assert mailbox.messages == []


def test_bad_addresses_are_refused_with_the_form_kept(client, auth, create_user, mailbox):
    user = create_user(email="sam.same@example.com")
    auth.login(user)
    for typed, message in (("not an address", "Enter an email address such as name@example.com."),
                           ("", "Enter the new email address."),
                           (user.email.upper(), "That is your email address already.")):  # fmt: skip
        response = ask(client, email=typed)
        assert response.status_code == 422 and message in response.text
    assert mailbox.messages == []


def test_an_address_taken_after_the_link_was_sent_is_refused(client, auth, create_user, mailbox, link_in):
    user = create_user()
    auth.login(user)
    ask(client)
    create_user(email=NEW_EMAIL)
    response = client.post(link_in(NEW_EMAIL, "/account/email/"))
    assert response.status_code == 400 and "Another account started using this address" in response.text
    db.session.refresh(user)
    assert user.email != NEW_EMAIL


def test_a_password_change_cancels_the_link(client, auth, create_user, mailbox):
    user = create_user()
    token = links.email_change_token(user, NEW_EMAIL)
    user.password_hash = hash_password("changed after the link was sent")
    db.session.commit()
    response = client.post(f"/account/email/{token}")
    assert response.status_code == 400 and "your address or password changed" in response.text


def test_an_expired_or_tampered_link_gets_a_clear_400(client, create_user, monkeypatch):
    user = create_user()
    with made_hours_ago(monkeypatch, 25):
        old = links.email_change_token(user, NEW_EMAIL)
    response = client.post(f"/account/email/{old}")
    assert response.status_code == 400 and "has expired (links last 24 hours)" in response.text
    fresh = links.email_change_token(user, NEW_EMAIL)
    for bad in (fresh[:-2] + "zz", links.confirmation_token(user), links.reset_token(user)):
        response = client.get(f"/account/email/{bad}")
        assert response.status_code == 400 and "This link is not valid" in response.text
    db.session.refresh(user)
    assert user.email != NEW_EMAIL
