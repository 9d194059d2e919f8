"""Tell accounts about claims and listing decisions: an in-app notification now, an email after the commit.

Private stand-in until provider_dir/notices/ (notify_owners_decision) is merged; the lead may swap the calls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from provider_dir.accounts.models import User
from provider_dir.mail.services import MailError, send_mail
from provider_dir.moderation.notifications import notify

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """One email to send once the change it reports is committed."""

    to: str
    subject: str
    body: str


def notice(user: User, subject: str, text: str, link: str = "") -> Outgoing:
    """Queue an in-app notification in this transaction and return the matching email to send after commit."""
    notify(user.id, f"{subject}: {text}", link)
    body = f"{text}\n\n{link}\n" if link else f"{text}\n"
    return Outgoing(user.email, subject, body)


def notices(users: list[User], subject: str, text: str, link: str = "") -> list[Outgoing]:
    """Queue the same notice for several accounts."""
    return [notice(user, subject, text, link) for user in users]


def deliver(outgoing: list[Outgoing]) -> list[str]:
    """Send the emails; return the addresses that could not be reached (logged, the change stands)."""
    failed = []
    for mail in outgoing:
        try:
            send_mail(mail.to, mail.subject, mail.body)
        except MailError as exc:
            log.warning("could not send %r to %s: %s", mail.subject, mail.to, exc)
            failed.append(mail.to)
    return failed
