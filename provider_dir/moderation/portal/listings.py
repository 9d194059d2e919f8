"""The new-listing queue (and the machinery the held-edit queue shares): pending listing changes, oldest first."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.extensions import db
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.moderation import log
from provider_dir.moderation.decisions.services import STALE_MESSAGE, StaleDecision, ensure_can_decide
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.notices.services import notify_owners_decision
from provider_dir.portal.listings.edit import LISTING_CHANGE, apply_held_edit
from provider_dir.portal.models import ListingChange
from provider_dir.portal.vocab import ChangeKind, ChangeStatus
from provider_dir.scoring.services import recompute_clinics

KIND = ChangeKind.NEW_LISTING


def _waiting(moderator: User, kind: ChangeKind):
    mine = select(ClinicMembership.clinic_id).where(ClinicMembership.user_id == moderator.id)
    return select(ListingChange).where(
        ListingChange.kind == kind, ListingChange.status == ChangeStatus.PENDING,
        ListingChange.clinic_id.not_in(mine),
    )  # fmt: skip


def queue(moderator: User, kind: ChangeKind = KIND) -> Select:
    """Return the changes of this kind the moderator may decide, oldest first."""
    return (
        _waiting(moderator, kind)
        .options(selectinload(ListingChange.clinic), selectinload(ListingChange.author))
        .order_by(ListingChange.created_at, ListingChange.id)
    )


def count_waiting(moderator: User, kind: ChangeKind) -> int:
    """Return how many changes of this kind the moderator may decide."""
    return int(db.session.scalar(select(func.count()).select_from(_waiting(moderator, kind).subquery())) or 0)


def pending_count(moderator: User) -> int:
    """Return how many new listings the moderator may decide."""
    return count_waiting(moderator, KIND)


def decide(
    change: ListingChange,
    moderator: User,
    seen_version: int,
    reason: ApprovalBasis | RefusalReason,
    note: str,
    now: datetime,
    today: date,
) -> None:
    """Publish a new listing or apply a held edit, or refuse it; log it; tell the clinic's owners."""
    ensure_can_decide(moderator, change.clinic_id, change.version, seen_version)
    if change.status != ChangeStatus.PENDING:
        raise StaleDecision(STALE_MESSAGE)
    approve = isinstance(reason, ApprovalBasis)
    clinic = change.clinic
    applied: dict[str, list] = {}
    if approve and change.kind == ChangeKind.NEW_LISTING:
        applied["status"] = [clinic.status.value, ClinicStatus.PUBLISHED.value]
        clinic.status = ClinicStatus.PUBLISHED
    elif approve:
        applied = apply_held_edit(change)
    if approve:
        applied["last_verified_on"] = [clinic.last_verified_on.isoformat() if clinic.last_verified_on else None,
                                       today.isoformat()]  # fmt: skip
        clinic.last_verified_on = today
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
    change.decision_reason, change.decision_note = reason.value, note.strip()
    change.decided_by_id, change.decided_at = moderator.id, now
    action = f"{change.kind.value}_{'approved' if approve else 'rejected'}"
    log.record(moderator, action, change.id, reason=reason, note=change.decision_note, target_type=LISTING_CHANGE,
               clinic_id=change.clinic_id, changes=applied or None)  # fmt: skip
    if approve and change.kind == ChangeKind.NEW_LISTING:
        recompute_clinics(db.session, [clinic.id], on=today)
    what = "Your new listing" if change.kind == ChangeKind.NEW_LISTING else "Your held edit of the listing"
    if approve:
        done = "is published" if change.kind == ChangeKind.NEW_LISTING else "is approved and now shown"
        text = f"{what} of {clinic.name} {done} ({reason.label})."
    else:
        text = f"{what} of {clinic.name} was refused: {reason.label}."
    if change.decision_note:
        text += f" The moderator adds: {change.decision_note}"
    notify_owners_decision(clinic, f"{what} of {clinic.name}", text, "portal_listing.dashboard", slug=clinic.slug)
