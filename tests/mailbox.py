"""A real SMTP server for the tests (aiosmtpd on a loopback port) and the messages it received."""

from __future__ import annotations

import re
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    """Collects every message the test SMTP server accepts."""

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        """Return the messages received so far, oldest first."""
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


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """aiosmtpd listening on loopback, in a thread of its own."""

    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """Return the MAIL_URL that reaches this server."""
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
