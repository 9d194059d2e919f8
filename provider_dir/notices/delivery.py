"""Mail that leaves only once the transaction that caused it has committed."""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from provider_dir.extensions import db
from provider_dir.mail.services import MailError, send_mail

log = logging.getLogger(__name__)

_QUEUE = "notices.outgoing_mail"
_UNSENT = "notices.unsent"


def mail_after_commit(to: str, subject: str, body: str) -> None:
    """Queue an email that is sent when the current transaction commits, and dropped if it rolls back."""
    db.session.info.setdefault(_QUEUE, []).append((to, subject, body))


def unsent_after_commit() -> list[str]:
    """Return the addresses that the mail queued for the last commit could not reach (for the view to say so)."""
    return list(db.session.info.get(_UNSENT, []))


@event.listens_for(db.session, "after_commit")
def _send_queued(session: Session) -> None:
    # The decision is already stored: a mail server that is down must not undo it, so failures are logged
    # and kept for the view, which tells the moderator whom the email did not reach.
    unsent: list[str] = []
    for to, subject, body in session.info.pop(_QUEUE, []):
        try:
            send_mail(to, subject, body)
        except MailError:
            log.warning("Could not send %r to %s", subject, to, exc_info=True)
            unsent.append(to)
    session.info[_UNSENT] = unsent


@event.listens_for(db.session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_QUEUE, None)
