"""Queued mail goes through a real SMTP server in tests, and into outbox files in development."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db
from provider_dir.mail.services import deliver_pending, queue_mail, send_now
from provider_dir.mail.transport import MailError, build_message, parse_mail_url


def send_mail(to: str, subject: str, body: str) -> None:
    queue_mail(to, subject, body)
    db.session.commit()


def test_a_message_reaches_the_smtp_server(app, mailbox):
    send_mail("owner@clinic.example", "Your code", "Your code is 123456.")
    message = mailbox.last_to("owner@clinic.example")
    assert message["Subject"] == "Your code"
    assert "123456" in mailbox.body(message)
    assert message["From"] == app.config["MAIL_FROM"]


def test_without_mail_url_messages_land_in_the_outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_URL", "")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "outbox"))
    send_mail("patient@example.test", "Confirm your address", "Follow the link.")
    assert deliver_pending().sent == 1
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    text = files[0].read_text()
    assert "Subject: Confirm your address" in text and "patient@example.test" in text


def test_an_unreachable_server_raises_a_clear_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_URL", "smtp://127.0.0.1:9")
    with pytest.raises(MailError, match="could not take the message"):
        send_now(build_message(app.config["MAIL_FROM"], "a@example.test", "Hello", "Body"))


def test_starttls_is_required_except_on_loopback():
    assert parse_mail_url("smtp://mail.example.org:587").require_starttls is True
    assert parse_mail_url("smtp://127.0.0.1:2525").require_starttls is False
    assert parse_mail_url("smtp://127.0.0.1:2525?starttls=required").require_starttls is True
    assert parse_mail_url("smtp://mail.example.org?starttls=optional").require_starttls is False
    settings = parse_mail_url("smtps://bob:s%40cret@mail.example.org")
    assert (settings.port, settings.implicit_tls, settings.password) == (465, True, "s@cret")


def test_a_bad_mail_url_is_refused_with_a_message():
    with pytest.raises(MailError, match="smtp://host:587"):
        parse_mail_url("http://mail.example.org")


def test_in_development_without_mail_url_a_request_writes_its_mail_at_once(app, client, tmp_path, monkeypatch):
    from tests.accounts.test_register import GOOD

    monkeypatch.setitem(app.config, "MAIL_URL", "")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "outbox"))
    assert client.post("/register", data=GOOD).status_code == 302
    [eml] = (tmp_path / "outbox").glob("*.eml")  # no worker running: `make run` still shows the link
    assert "Subject: Confirm your email address" in eml.read_text()
