"""Send the site's emails, configured by MAIL_URL (SMTP) or, without it, into instance/outbox/."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from provider_dir.mail.transport import MailError, build_message, parse_mail_url, send_smtp, write_outbox

log = logging.getLogger(__name__)

__all__ = ["MailError", "send_mail"]


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text email now; raise MailError (with a message a person can act on) when it cannot go."""
    config = current_app.config
    message = build_message(config["MAIL_FROM"], to, subject, body)
    url = config.get("MAIL_URL") or ""
    if url:
        send_smtp(message, parse_mail_url(url))
        log.info("Sent %r to %s by SMTP", subject, to)
    else:
        path = write_outbox(message, Path(config["MAIL_OUTBOX"]))
        log.info("Wrote %r to %s into the outbox: %s", subject, to, path.name)
