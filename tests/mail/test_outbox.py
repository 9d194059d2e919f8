"""The outbox: requests only store mail; the worker's code sends it with one Message-ID, retries and gives up."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.mail import outbox
from provider_dir.mail.models import MailStatus, OutgoingMail
from provider_dir.mail.services import deliver_pending, queue_mail, retry_policy, send_now
from provider_dir.models.base import utcnow
from tests.accounts.test_register import GOOD
from tests.mailbox import mail_server_down


class HangingServer:
    """Accepts TCP connections and never answers (an SMTP server that hangs); counts the connections."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        for conn in self.accepted:
            conn.close()
        self.sock.close()


def stored(recipient: str) -> OutgoingMail:
    return db.session.scalars(select(OutgoingMail).where(OutgoingMail.recipient == recipient)).one()


def test_sign_up_never_touches_a_hanging_mail_server_and_says_the_email_is_on_its_way(app, client, monkeypatch):
    hanging = HangingServer()
    try:
        monkeypatch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{hanging.port}")
        response = client.post("/register", data=GOOD)
        assert response.status_code == 302
        assert "Your email is on its way" in client.get(response.headers["Location"]).text
        assert hanging.accepted == []  # the request made no connection, so it cannot wait for one
        assert stored(GOOD["email"].lower()).status == MailStatus.WAITING
    finally:
        hanging.close()


def test_the_message_id_is_made_when_queued_and_is_the_one_that_arrives(app, mailbox):
    mail = queue_mail("ids@example.test", "Hello", "Body")
    db.session.commit()
    made = mail.message_id
    [message] = mailbox.to("ids@example.test")
    assert message["Message-ID"] == made
    db.session.refresh(mail)
    assert mail.status == MailStatus.SENT and mail.attempts == 1


def test_a_refused_attempt_backs_off_doubling_then_arrives_once(app, mailbox, monkeypatch):
    mail = queue_mail("later@example.test", "Hello", "Body")
    db.session.commit()
    policy = retry_policy()
    now = utcnow()
    with mail_server_down(app, monkeypatch):
        for attempt, wait in ((1, 30), (2, 60), (3, 120)):
            run = outbox.deliver_due(db.session, send_now, "t", lambda at=now: at, policy)
            assert (run.retried, run.sent) == (1, 0)
            db.session.refresh(mail)
            assert mail.attempts == attempt and mail.next_attempt_at == now + timedelta(seconds=wait)
            assert "Connection refused" in mail.last_error
            assert outbox.deliver_due(db.session, send_now, "t", lambda at=now: at, policy).handled == 0  # not due yet
            now = mail.next_attempt_at
    run = outbox.deliver_due(db.session, send_now, "t", lambda at=now: at, policy)
    assert run.sent == 1
    assert len(mailbox.to("later@example.test")) == 1


def test_after_a_day_of_refusals_the_message_is_given_up_and_listed_for_admins(app, client, auth, create_user,
                                                                            mailbox, monkeypatch):
    mail = queue_mail("given.up@example.test", "Your code", "Body")
    db.session.commit()
    later = mail.give_up_at + timedelta(seconds=1)
    with mail_server_down(app, monkeypatch):
        run = outbox.deliver_due(db.session, send_now, "t", lambda: later, retry_policy())
    assert run.failed == 1
    db.session.refresh(mail)
    assert mail.status == MailStatus.FAILED
    auth.login(create_user(role="admin"))
    page = client.get("/admin/mail").text
    assert "given.up@example.test" in page and "Connection refused" in page and "Your code" in page
    # Retried from the page (a POST), it goes back in line and arrives once; the list empties.
    response = client.post(f"/admin/mail/{mail.id}/retry")
    assert response.status_code == 302
    assert len(mailbox.to("given.up@example.test")) == 1
    assert "No undeliverable email." in client.get("/admin/mail").text


def test_a_permanent_refusal_is_given_up_at_once_with_the_servers_answer(app, mailbox):
    mail = queue_mail("nobody@refused.example", "Hello", "Body")
    db.session.commit()
    assert deliver_pending().failed == 1
    db.session.refresh(mail)
    assert mail.status == MailStatus.FAILED and mail.attempts == 1
    assert "550" in mail.last_error and "No such mailbox here" in mail.last_error
    assert outbox.counts(db.session).failed == 1


def test_claims_do_not_overlap_and_a_lapsed_claim_goes_to_the_next_worker_with_the_same_id(app):
    mails = [queue_mail(f"c{n}@example.test", "Hello", "Body") for n in range(3)]
    db.session.commit()
    policy = retry_policy()
    now = utcnow()
    first = outbox.claim(db.session, "worker-a", now, 2, policy)
    second = outbox.claim(db.session, "worker-b", now, 5, policy)
    assert {m.id for m in first} & {m.id for m in second} == set()
    assert len(first) + len(second) == 3
    # worker-a dies holding its claim; once the lease lapses, worker-c takes those very messages.
    lapsed = outbox.claim(db.session, "worker-c", now + policy.lease + timedelta(seconds=1), 5, policy)
    assert {m.message_id for m in lapsed} >= {m.message_id for m in first}
    assert {m.message_id for m in mails} == {m.message_id for m in first} | {m.message_id for m in second}


def test_counts_say_what_waits_and_what_failed(app, mailbox):
    queue_mail("count@example.test", "One", "Body")
    queue_mail("count@refused.example", "Two", "Body")
    db.session.commit()
    before = outbox.counts(db.session)
    assert before.waiting >= 2
    deliver_pending()
    after = outbox.counts(db.session)
    assert (after.waiting, after.failed, after.sent - before.sent) == (before.waiting - 2, before.failed + 1, 1)
