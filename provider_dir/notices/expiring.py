"""The daily notice of credentials that expire within 60 days, each credential at most once per expiry date.

What was sent is recorded in the audit log (moderation_log, action "notice_expiring", target the credential,
note the expiry date), so a changed expiry date (a renewal) is noticed again and nothing else is.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.mail.links import absolute_url, site_path
from provider_dir.mail.services import MailError, queue_mail
from provider_dir.moderation import log as audit
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.notifications import notify
from provider_dir.notices.services import notice_email_body, owners_of

ACTION = "notice_expiring"
WITHIN_DAYS = 60
# A refused credential counts for nothing already; one marked expired needs no warning.
SILENT_STATUSES = (CredentialStatus.REFUSED, CredentialStatus.EXPIRED)

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    """What one run did."""

    clinics: int = 0
    credentials: int = 0
    emails: int = 0
    failures: list[str] = field(default_factory=list)


def expiring_soon(today: date, within_days: int = WITHIN_DAYS) -> list[Credential]:
    """Return credentials expiring from today up to within_days ahead, soonest first, with staff and clinic."""
    return list(
        db.session.scalars(
            select(Credential)
            .join(StaffMember, StaffMember.id == Credential.staff_member_id)
            .where(
                Credential.expires_on.is_not(None),
                Credential.expires_on >= today,
                Credential.expires_on <= today + timedelta(days=within_days),
                Credential.status.not_in(SILENT_STATUSES),
            )
            .options(selectinload(Credential.staff_member).selectinload(StaffMember.clinic))
            .order_by(StaffMember.clinic_id, Credential.expires_on, Credential.id)
        )
    )


def already_noticed(credentials: list[Credential]) -> set[tuple[int, str]]:
    """Return (credential id, expiry date) pairs that were noticed before."""
    ids = [c.id for c in credentials]
    if not ids:
        return set()
    rows = db.session.execute(
        select(ModerationLog.target_id, ModerationLog.note).where(
            ModerationLog.action == ACTION,
            ModerationLog.target_type == "credential",
            ModerationLog.target_id.in_(ids),
        )
    )
    return {(target_id, note) for target_id, note in rows}


def due_by_clinic(today: date) -> dict[int, list[Credential]]:
    """Return, per clinic id, the expiring credentials its owners have not been told about."""
    credentials = expiring_soon(today)
    seen = already_noticed(credentials)
    due: dict[int, list[Credential]] = defaultdict(list)
    for credential in credentials:
        if (credential.id, credential.expires_on.isoformat()) not in seen:
            due[credential.staff_member.clinic_id].append(credential)
    return dict(due)


def describe(credential: Credential, today: date) -> str:
    """Return one line naming the credential, its holder and when it expires."""
    days = (credential.expires_on - today).days
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    return (
        f"- {credential.staff_member.display_name}: {credential.kind.label} "
        f"expires on {credential.expires_on.isoformat()} ({when})"
    )


def notice_text(clinic: Clinic, credentials: list[Credential], today: date) -> str:
    """Return the notice's text for one clinic."""
    lines = "\n".join(describe(c, today) for c in credentials)
    return (
        f"These credentials of staff at {clinic.name} expire within {WITHIN_DAYS} days:\n{lines}\n\n"
        "An expired credential stops counting in the clinic's score on its expiry date. Add the renewed one "
        "in the clinic portal so a moderator can verify it."
    )


def notify_clinic(clinic: Clinic, credentials: list[Credential], today: date) -> int:
    """Queue an email to every owner, add the notifications and the audit rows; return the emails queued.

    All of it commits together (the caller commits): the audit rows that stop a second notice are stored only
    with the emails that carry it, and the worker delivers them, retrying while the mail server is down. A
    MailError (no SITE_URL for the link) leaves nothing recorded, so the next run tries again.
    """
    owners = owners_of(clinic.id)
    if not owners:
        return 0  # recorded only once someone can read it
    count = len(credentials)
    subject = f"{count} credential{'s' if count != 1 else ''} at {clinic.name} expire{'s' if count == 1 else ''} soon"
    text = notice_text(clinic, credentials, today)
    url = absolute_url("portal.index")
    for owner in owners:
        queue_mail(owner.email, subject, notice_email_body(clinic.name, text, url))
    summary = f"{count} credential{'s' if count != 1 else ''} at {clinic.name} expire within {WITHIN_DAYS} days."
    for owner in owners:
        notify(owner.id, summary, site_path("portal.index"))
    for credential in credentials:
        audit.record(
            None, ACTION, credential.id, note=credential.expires_on.isoformat(),
            target_type="credential", clinic_id=clinic.id,
        )  # fmt: skip
    return len(owners)


def send_expiring_notices(today: date | None = None) -> RunSummary:
    """Send each clinic's owners the credentials expiring within 60 days that they have not been told about."""
    today = today or date.today()
    summary = RunSummary()
    for clinic_id, credentials in due_by_clinic(today).items():
        clinic = credentials[0].staff_member.clinic
        try:
            sent = notify_clinic(clinic, credentials, today)
            db.session.commit()
        except MailError as exc:
            db.session.rollback()
            log.warning("Expiry notice for clinic %s not queued: %s", clinic_id, exc)
            summary.failures.append(f"{clinic.name}: {exc}")
            continue
        if sent:
            summary.clinics += 1
            summary.credentials += len(credentials)
            summary.emails += sent
    return summary
