"""Queue the site's emails in the outbox (sent by `flask worker`), and hand one over by SMTP (MAIL_URL) or to files.

Every sender calls queue_mail inside the transaction of the action that causes the email: the row commits
with the action or not at all, and no request ever waits for a mail server.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from flask import Flask, current_app, g

from provider_dir.extensions import db
from provider_dir.mail import outbox
from provider_dir.mail.models import OutgoingMail
from provider_dir.mail.transport import MailError, parse_mail_url, send_smtp, write_outbox
from provider_dir.models.base import utcnow

log = logging.getLogger(__name__)

__all__ = ["MailError", "deliver_pending", "queue_mail", "retry_policy", "send_now"]


def retry_policy() -> outbox.RetryPolicy:
    """Return the claim lease and back-off configured by the MAIL_* settings."""
    config = current_app.config
    return outbox.RetryPolicy(
        lease=timedelta(seconds=float(config["MAIL_LEASE_SECONDS"])),
        first_retry=timedelta(seconds=float(config["MAIL_RETRY_SECONDS"])),
        longest_wait=timedelta(seconds=float(config["MAIL_RETRY_MAX_SECONDS"])),
        give_up_after=timedelta(hours=float(config["MAIL_GIVE_UP_HOURS"])),
        margin=timedelta(seconds=2 * float(config["MAIL_SMTP_TIMEOUT"])),
    )


def queue_mail(to: str, subject: str, body: str) -> OutgoingMail:
    """Store one plain-text email in the current transaction; the worker sends it once the transaction commits."""
    mail = outbox.new_mail(current_app.config["MAIL_FROM"], to, subject, body, utcnow(), retry_policy())
    db.session.add(mail)
    g.mail_queued = True
    log.info("Queued %r to %s", subject, to)
    return mail


def send_now(message: EmailMessage) -> None:
    """Hand one message to the SMTP server of MAIL_URL, or write it into MAIL_OUTBOX without one (raises MailError)."""
    config = current_app.config
    url = config.get("MAIL_URL") or ""
    if url:
        send_smtp(message, parse_mail_url(url), timeout=float(config["MAIL_SMTP_TIMEOUT"]))
        log.info("Sent %r to %s by SMTP", message["Subject"], message["To"])
    else:
        path = write_outbox(message, Path(config["MAIL_OUTBOX"]))
        log.info("Wrote %r to %s into the outbox folder: %s", message["Subject"], message["To"], path.name)


def worker_token() -> str:
    """Return a name for this worker's claims: host, process and a random part."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def deliver_pending(token: str | None = None, stopping: Callable[[], bool] = lambda: False,
                    batches: int | None = None) -> outbox.DeliveryRun:
    """Send what is due now, batch after batch, until nothing is due (or batches ran); return the totals."""
    token = token or worker_token()
    total = outbox.DeliveryRun()
    done = 0
    while not stopping() and (batches is None or done < batches):
        run = outbox.deliver_due(db.session, send_now, token, utcnow, retry_policy(),
                                 limit=int(current_app.config["MAIL_BATCH_SIZE"]), stopping=stopping)  # fmt: skip
        done += 1
        total.sent += run.sent
        total.retried += run.retried
        total.failed += run.failed
        total.released += run.released
        if run.sent == 0:  # nothing due, or the server refuses: the next poll tries again
            break
    return total


def register(app: Flask) -> None:
    """In development without MAIL_URL, write the request's mail into MAIL_OUTBOX at once (no worker needed)."""

    @app.after_request
    def write_development_mail(response):
        # Files cannot hang the way an SMTP server can, so `make run` needs no worker to show its .eml files.
        if g.get("mail_queued") and not app.config.get("MAIL_URL"):
            try:
                deliver_pending()
            except Exception:  # noqa: BLE001 - the worker writes them later; the page must not fail for it
                db.session.rollback()
                log.exception("Could not write the development mail; flask worker will")
        return response
