"""The claim queue: claims waiting for a moderator, oldest first, and the decision on one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.extensions import db
from provider_dir.moderation import log
from provider_dir.moderation.decisions.services import (
    STALE_MESSAGE,
    ConflictOfInterest,
    StaleDecision,
    ensure_can_decide,
)
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.notices.services import notify_account, notify_owners
from provider_dir.portal.claims.services import CLAIM
from provider_dir.portal.models import ClinicClaim, OwnerTermsAcceptance
from provider_dir.portal.terms import grant_ownership
from provider_dir.portal.vocab import ClaimStatus

OWN_CLAIM_MESSAGE = "You made this claim, so another moderator must decide it."


def _clinics_of(moderator: User):
    return select(ClinicMembership.clinic_id).where(ClinicMembership.user_id == moderator.id)


def _waiting(moderator: User):
    return (
        select(ClinicClaim)
        .where(ClinicClaim.status == ClaimStatus.PENDING, ClinicClaim.user_id != moderator.id,
               ClinicClaim.clinic_id.not_in(_clinics_of(moderator)))
    )  # fmt: skip


def queue(moderator: User) -> Select:
    """Return the claims this moderator may decide, oldest first."""
    return (
        _waiting(moderator)
        .options(selectinload(ClinicClaim.clinic), selectinload(ClinicClaim.user), selectinload(ClinicClaim.document))
        .order_by(ClinicClaim.created_at, ClinicClaim.id)
    )


def pending_count(moderator: User) -> int:
    """Return how many claims this moderator may decide."""
    return int(db.session.scalar(select(func.count()).select_from(_waiting(moderator).subquery())) or 0)


def ensure_may_decide(claim: ClinicClaim, moderator: User, seen_version: int) -> None:
    """Raise ConflictOfInterest for the claimant or a member of the clinic, StaleDecision for a changed claim."""
    if claim.user_id == moderator.id:
        raise ConflictOfInterest(OWN_CLAIM_MESSAGE)
    ensure_can_decide(moderator, claim.clinic_id, claim.version, seen_version)
    if claim.status != ClaimStatus.PENDING:
        raise StaleDecision(STALE_MESSAGE)


def decide(
    claim: ClinicClaim,
    moderator: User,
    seen_version: int,
    reason: ApprovalBasis | RefusalReason,
    note: str,
    now: datetime,
) -> None:
    """Approve (the claimant becomes an owner) or refuse a claim; log it; tell the claimant and the other owners."""
    ensure_may_decide(claim, moderator, seen_version)
    approve = isinstance(reason, ApprovalBasis)
    claimant, clinic = claim.user, claim.clinic
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.decision_reason, claim.decision_note = reason.value, note.strip()
    claim.decided_by_id, claim.decided_at = moderator.id, now
    if approve:
        grant_ownership(claimant, claim.clinic_id, actor=moderator)
        db.session.add(OwnerTermsAcceptance(user_id=claimant.id, clinic_id=claim.clinic_id,
                                            terms_version=claim.terms_version, accepted_at=claim.terms_accepted_at))
    log.record(moderator, "claim_approved" if approve else "claim_rejected", claim.id, reason=reason,
               note=claim.decision_note, target_type=CLAIM, clinic_id=claim.clinic_id)  # fmt: skip
    if approve:
        text = f"Your claim on {clinic.name} was approved ({reason.label}). You can now edit its listing."
    else:
        text = f"Your claim on {clinic.name} was refused: {reason.label}."
    if claim.decision_note:
        text += f" The moderator adds: {claim.decision_note}"
    notify_account(claimant, clinic, f"Your claim on {clinic.name}", text, "portal_claims.my_claims")
    if approve:
        notify_owners(clinic, f"A new owner of {clinic.name}",
                      f"{claimant.display_name} ({claim.role_at_clinic}) now also manages {clinic.name}.",
                      "portal_listing.dashboard", slug=clinic.slug, except_user_id=claimant.id)  # fmt: skip
