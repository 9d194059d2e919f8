"""What owners are told: a published review, a moderator's decision. Other features call these functions.

Each notice goes to every owner of the clinic (ClinicMembership role OWNER, active accounts): one email queued in
the outbox and one in-app notification, both in the caller's transaction (the worker sends the email once it commits).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.extensions import db
from provider_dir.mail.links import absolute_url, site_path
from provider_dir.mail.services import MailError, queue_mail
from provider_dir.moderation.notifications import notify

if TYPE_CHECKING:
    from provider_dir.listings.models import Clinic
    from provider_dir.reviews.models import Review

SIGNATURE = "provider_dir, the ketamine clinic directory"

log = logging.getLogger(__name__)


def owners_of(clinic_id: int) -> list[User]:
    """Return the active owner accounts of a clinic."""
    return list(
        db.session.scalars(
            select(User)
            .join(ClinicMembership, ClinicMembership.user_id == User.id)
            .where(
                ClinicMembership.clinic_id == clinic_id,
                ClinicMembership.role == MembershipRole.OWNER,
                User.active.is_(True),
            )
            .order_by(User.id)
        )
    )


def notice_email_body(clinic_name: str, text: str, url: str) -> str:
    """Return the plain-text email every owner notice uses."""
    return (
        f"Hello,\n\n{text}\n\n{url}\n\n-- {SIGNATURE}\n"
        f"You receive this because your account owns or asked to manage {clinic_name}.\n"
    )


def _tell(accounts: list[User], subject: str, text: str, clinic_name: str, endpoint: str, values: dict) -> int:
    path = site_path(endpoint, **values)
    try:
        url = absolute_url(endpoint, **values)
    except MailError:  # no SITE_URL in production: the in-app notice still goes, the decision stands
        log.warning("Notice %r not mailed: SITE_URL is not set", subject)
        url = None
    for account in accounts:
        notify(account.id, text, path)
        if url is not None:
            queue_mail(account.email, subject, notice_email_body(clinic_name, text, url))
    return len(accounts)


def notify_owners(clinic: Clinic, subject: str, text: str, endpoint: str = "portal.index", *,
                  except_user_id: int | None = None, **values) -> int:
    """Email and notify every owner of the clinic (but except_user_id), linking to endpoint; return how many."""
    owners = [owner for owner in owners_of(clinic.id) if owner.id != except_user_id]
    return _tell(owners, subject, text, clinic.name, endpoint, values)


def notify_account(user: User, clinic: Clinic, subject: str, text: str, endpoint: str = "portal.index",
                   **values) -> None:
    """Email and notify one account about a clinic, e.g. someone whose claim was decided (not yet an owner)."""
    _tell([user] if user.active else [], subject, text, clinic.name, endpoint, values)


def notify_owners_new_review(review: Review) -> int:
    """Tell the clinic's owners that a review of their clinic was published (call it in the publishing transaction)."""
    clinic = review.clinic
    text = (
        f'A new review of {clinic.name} was published: "{review.title}". '
        "You can read it and answer publicly from the clinic portal."
    )
    return notify_owners(clinic, f"New review of {clinic.name}", text, "portal.clinic_reviews", slug=clinic.slug)


def notify_owners_decision(clinic: Clinic, subject: str, text: str, endpoint: str = "portal.index", **values) -> int:
    """Tell the clinic's owners about a moderator's decision; return how many owners were told.

    Every queue (claims, listings, held edits, credentials, checklist evidence) tells owners this way.

    :param subject: the email's subject, e.g. "Credential verified: Dr Ada Park".
    :param text: one or two plain sentences with what was decided and the reason's label (no HTML); it is the
        in-app notification's message and the email's body. Call it inside the decision's transaction: the
        notification and the queued emails commit with the decision, and nothing is sent after a rollback.
    :param endpoint: where the notification and the email link to (with its URL values), e.g. the decided item.
    """
    return notify_owners(clinic, subject, text, endpoint, **values)
