"""The owner terms a claimant or a listing's creator accepts, and the record of who accepted which version when."""

from __future__ import annotations

from datetime import datetime

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.moderation import log
from provider_dir.portal.models import OwnerTermsAcceptance
from provider_dir.portal.vocab import OWNER_TERMS_VERSION

# Shown in full above the checkbox; a change of wording needs a new OWNER_TERMS_VERSION.
OWNER_TERMS = (
    "You act for this clinic and may describe it. What you publish about it is true and kept current.",
    "You will not ask or require any patient to keep quiet about their experience, to withdraw or change a review, "
    "or to sign anything that limits what they may say about the clinic (gagging clauses are void here, and in the "
    "United States unlawful under the Consumer Review Fairness Act).",
    "You will not pay, discount, reward or otherwise compensate anyone for writing a review, and you will not write "
    "reviews of your own clinic or of a competitor.",
    "You will not claim that ketamine treatment cures, is guaranteed to work or is a miracle.",
    "You understand that reviews are moderated only under the site's published, content-neutral rules: you may "
    "reply to a review or report it, never hide or edit it, and nothing you pay changes the score or the order of "
    "results.",
)


def record_acceptance(user: User, clinic_id: int, accepted_at: datetime) -> OwnerTermsAcceptance:
    """Add the row that shows this account accepted the current owner terms for this clinic."""
    row = OwnerTermsAcceptance(
        user_id=user.id, clinic_id=clinic_id, terms_version=OWNER_TERMS_VERSION, accepted_at=accepted_at
    )
    db.session.add(row)
    return row


def grant_ownership(user: User, clinic_id: int, actor: User | None) -> None:
    """Make the account an owner of the clinic; a patient account becomes a clinic-owner account (logged)."""
    if not any(m.clinic_id == clinic_id and m.role == MembershipRole.OWNER for m in user.memberships):
        existing = next((m for m in user.memberships if m.clinic_id == clinic_id), None)
        if existing is not None:
            existing.role = MembershipRole.OWNER
        else:
            user.memberships.append(ClinicMembership(user_id=user.id, clinic_id=clinic_id, role=MembershipRole.OWNER))
    if user.role == UserRole.PATIENT:
        user.role = UserRole.CLINIC_OWNER
        log.record(
            actor, "role_changed", user.id, target_type="user", clinic_id=clinic_id,
            changes={"role": [UserRole.PATIENT.value, UserRole.CLINIC_OWNER.value]},
        )  # fmt: skip
