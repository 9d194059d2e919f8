"""A real SMTP server for the tests (aiosmtpd on a loopback port) and the messages it received.

The app only queues mail (the outbox); `flask worker` delivers it. So that tests can ask "what arrived?" right
after a request, reading the mailbox first runs the registered drainers: each delivers its app's waiting mail
through the worker's own code (deliver_pending) to this real server, synchronously.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """Collects every message the test SMTP server accepts."""

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self.drainers: list[Callable[[], object]] = []

    def receive(self, message: EmailMessage) -> None:
        """Keep one message the server accepted."""
        with self._lock:
            self._messages.append(message)

    def drain(self) -> None:
        """Deliver every app's waiting mail now, as the worker would."""
        for drainer in list(self.drainers):
            drainer()

    @property
    def messages(self) -> list[EmailMessage]:
        """Deliver what waits in the outboxes, then return the messages received so far, oldest first."""
        self.drain()
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget every message received so far."""
        with self._lock:
            self._messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages sent to one address."""
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def last_to(self, address: str) -> EmailMessage:
        """Return the newest message to one address (AssertionError when there is none)."""
        found = self.to(address)
        assert found, f"no message to {address}; received: {[str(m['To']) for m in self.messages]}"
        return found[-1]

    @staticmethod
    def body(message: EmailMessage) -> str:
        """Return the message's plain-text body."""
        return message.get_body(preferencelist=("plain",)).get_content()

    def links(self, message: EmailMessage) -> list[str]:
        """Return every http(s) link in the message's body."""
        return re.findall(r"https?://[^\s<>\"]+", self.body(message))


def delivering(app, share_session: bool = False) -> Callable[[], object]:
    """Return a drainer that delivers the app's waiting mail in an app context of its own.

    With share_session, a test already inside this app's context delivers through that context's session (on a
    real SQLite file a second session would wait for the write lock the first one holds).
    """
    from flask import current_app, has_app_context

    from provider_dir.mail.services import deliver_pending

    def drain():
        if share_session and has_app_context() and current_app._get_current_object() is app:
            return deliver_pending()
        with app.app_context():
            return deliver_pending()

    return drain


@contextmanager
def draining(mailbox: Mailbox, app, share_session: bool = False) -> Iterator[None]:
    """Let reading the mailbox deliver this app's waiting mail for as long as the block runs."""
    drainer = delivering(app, share_session)
    mailbox.drainers.append(drainer)
    try:
        yield
    finally:
        mailbox.drainers.remove(drainer)


@contextmanager
def mail_server_down(app, monkeypatch) -> Iterator[None]:
    """Point the app's mail at a port nobody listens on (connection refused) for the block; retries come due at once.

    A message tried inside the block waits in the outbox; the next mailbox read after the block delivers it.
    """
    with monkeypatch.context() as patch:
        patch.setitem(app.config, "MAIL_URL", f"smtp://127.0.0.1:{free_port()}")
        patch.setitem(app.config, "MAIL_RETRY_SECONDS", 0)
        yield


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


REFUSED_DOMAIN = "@refused.example"


class Handler:
    """aiosmtpd's handler: hands each message to the mailbox (a class apart, since aiosmtpd inspects its members)."""

    def __init__(self, mailbox: Mailbox, before_reply: Callable[[EmailMessage], None] | None = None) -> None:
        self.mailbox = mailbox
        self.before_reply = before_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address.lower().endswith(REFUSED_DOMAIN):  # a permanent refusal, as a real server gives for no such user
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.mailbox.receive(message)
        if self.before_reply is not None:
            self.before_reply(message)  # e.g. kill the sender before it hears "250"
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd listening on loopback, in a thread of its own."""

    def __init__(self, port: int | None = None, before_reply: Callable[[EmailMessage], None] | None = None) -> None:
        self.mailbox = Mailbox()
        self.port = port or free_port()
        self.handler = Handler(self.mailbox, before_reply)
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """Return the MAIL_URL that reaches this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
