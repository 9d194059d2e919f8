"""Changing the password while signed in: the current one first, sign-up's rules, every other session ends."""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts.passwords import verify_password
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from tests.accounts.test_session_security import logged_in_as
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "lanterns along the quiet canal"


def change(client, current=TEST_PASSWORD, new=NEW_PASSWORD):
    return client.post("/account/password", data={"current_password": current, "password": new})


def test_the_header_links_to_the_account_page_and_it_to_both_forms(client, auth, create_user):
    user = create_user()
    auth.login(user)
    assert 'href="/account/"' in client.get("/about").text
    page = client.get("/account/")
    assert page.status_code == 200 and user.email in page.text
    assert 'href="/account/password"' in page.text and 'href="/account/email"' in page.text
    form = client.get("/account/password")
    assert form.status_code == 200 and "Current password" in form.text and "New password" in form.text


def test_a_change_ends_every_other_session_keeps_this_one_and_mails_a_notice(app, client, auth, create_user,
                                                                             mailbox):
    user = create_user()
    auth.login(user)
    elsewhere = app.test_client()  # another copy of the account's session: another device, or a stolen cookie
    elsewhere.set_cookie("session", client.get_cookie("session").value)
    assert logged_in_as(elsewhere, user)
    old_cookie = client.get_cookie("session").value

    done = change(client)
    assert done.status_code == 302 and done.headers["Location"] == "/account/"
    assert "Your password is changed" in client.get("/account/").text
    assert logged_in_as(client, user)
    assert client.get_cookie("session").value != old_cookie
    assert not logged_in_as(elsewhere, user)
    assert elsewhere.get("/account/").status_code == 302

    notice = mailbox.last_to(user.email)
    assert notice["Subject"] == "Your password was changed"
    assert "Every other session of the account has ended" in mailbox.body(notice)
    assert any("/reset" in link for link in mailbox.links(notice))
    row = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "password_changed"))
    assert row.target_type == "user" and row.target_id == user.id and row.actor_id == user.id


def test_the_old_password_no_longer_logs_in_and_the_new_one_does(app, client, auth, create_user, mailbox):
    user = create_user()
    auth.login(user)
    change(client)
    auth.logout()
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 422
    assert fresh.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    assert logged_in_as(fresh, user)


def test_a_wrong_current_password_changes_nothing(app, client, auth, create_user, mailbox):
    user = create_user()
    auth.login(user)
    token, hash_before = user.session_token, user.password_hash
    response = change(client, current="not my password at all")
    assert response.status_code == 422
    assert "That is not your current password, so nothing was changed." in response.text
    db.session.refresh(user)
    assert user.password_hash == hash_before and user.session_token == token
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert logged_in_as(client, user)
    assert mailbox.to(user.email) == []


def test_the_new_password_follows_the_sign_up_rules_and_the_form_is_kept(client, auth, create_user, mailbox):
    user = create_user(email="robin.rules@example.test", display_name="robin_rules")
    auth.login(user)
    for weak, message in (("short", "Use at least 8 characters"), ("baseball", "among the most common"),
                          ("robin_rules", "must not be your email, your display name"),
                          ("x" * 129, "at most 128")):  # fmt: skip
        response = change(client, new=weak)
        assert response.status_code == 422 and message in response.text
        assert 'class="error-summary"' in response.text and 'name="current_password"' in response.text
    missing = client.post("/account/password", data={})
    assert missing.status_code == 422
    assert "Enter your current password." in missing.text and "Choose a new password." in missing.text
    db.session.refresh(user)
    assert verify_password(user.password_hash, TEST_PASSWORD)
    assert mailbox.to(user.email) == []


def test_anonymous_visitors_are_sent_to_log_in(client):
    for response in (client.get("/account/password"), change(client)):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_mail_server_that_is_down_does_not_undo_the_change_and_the_notice_follows(
        app, client, auth, create_user, mailbox, monkeypatch):
    from tests.mailbox import mail_server_down

    user = create_user()
    auth.login(user)
    with mail_server_down(app, monkeypatch):
        assert change(client).status_code == 302
        assert mailbox.to(user.email) == []  # refused by the server: it waits in the outbox
        page = client.get("/account/").text
    assert "Your password is changed" in page and "could not send" not in page
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert [m["Subject"] for m in mailbox.to(user.email)] == ["Your password was changed"]
