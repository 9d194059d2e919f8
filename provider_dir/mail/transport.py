"""Deliver one email: by SMTP (MAIL_URL) or, with no MAIL_URL, into an outbox folder. No Flask."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class MailError(RuntimeError):
    """The message could not be handed to the mail server; the message says why.

    permanent is true when the server refused the message for good (a 5xx answer): trying again cannot help.
    """

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to reach the SMTP server."""

    host: str
    port: int
    username: str = ""
    password: str = ""
    implicit_tls: bool = False
    require_starttls: bool = True


def parse_mail_url(url: str) -> SmtpSettings:
    """Read smtp://[user:pass@]host[:port][?starttls=required|optional] or smtps://... into settings.

    STARTTLS is required unless the server is on loopback (a local relay) or the URL says starttls=optional.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailError(f"MAIL_URL must look like smtp://host:587 or smtps://host:465, not {parts.scheme or url!r}.")
    implicit = parts.scheme == "smtps"
    option = parse_qs(parts.query).get("starttls", [""])[0]
    if option not in ("", "required", "optional"):
        raise MailError("MAIL_URL's starttls option must be 'required' or 'optional'.")
    require = not implicit and (option == "required" or (option == "" and parts.hostname not in LOOPBACK_HOSTS))
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        implicit_tls=implicit,
        require_starttls=require,
    )


def new_message_id(sender: str) -> str:
    """Return a new unique Message-ID in the sender's domain."""
    return make_msgid(domain=sender.rpartition("@")[2] or None)


def build_message(sender: str, to: str, subject: str, body: str, *, message_id: str | None = None,
                  date: datetime | None = None) -> EmailMessage:
    """Return a plain-text message; a stored message passes its own id and date, so every resend is identical."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime.now(UTC))
    message["Message-ID"] = message_id or new_message_id(sender)
    message.set_content(body)
    return message


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError)


def send_smtp(message: EmailMessage, settings: SmtpSettings, timeout: float = 10.0) -> None:
    """Hand the message to the SMTP server, with TLS as the settings demand; raise MailError on failure."""
    context = ssl.create_default_context()
    try:
        if settings.implicit_tls:
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with server:
            if not settings.implicit_tls:
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls(context=context)
                    server.ehlo()
                elif settings.require_starttls:
                    raise MailError(f"The mail server {settings.host} does not offer STARTTLS; nothing was sent.")
            if settings.username:
                server.login(settings.username, settings.password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"The mail server could not take the message: {exc}", permanent=_is_permanent(exc)) from exc


def write_outbox(message: EmailMessage, folder: Path) -> Path:
    """Write the message as an .eml file in folder (development, no MAIL_URL) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{abs(hash(message['Message-ID'])) % 10**8:08d}.eml"
    path.write_bytes(bytes(message))
    return path
