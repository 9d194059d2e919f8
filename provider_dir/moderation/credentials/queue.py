"""The credential queue: self-reported credentials waiting for a moderator, oldest first, and its decisions."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.services import CREDENTIAL, refresh_verified_flag
from provider_dir.credentials.vocab import CredentialStatus, VerificationMethod
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.decisions.services import STALE_MESSAGE, StaleDecision, ensure_can_decide
from provider_dir.moderation.services import member_clinic_ids
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason
from provider_dir.notices.services import notify_owners_decision

# The refusal grounds that fit a credential; the form offers only these.
CREDENTIAL_REFUSALS = (
    RefusalReason.NO_MATCH,
    RefusalReason.UNREADABLE,
    RefusalReason.EXPIRED,
    RefusalReason.INCOMPLETE,
    RefusalReason.DUPLICATE,
)
BASIS_OF = {
    VerificationMethod.REGISTRY: ApprovalBasis.REGISTRY_MATCH,
    VerificationMethod.DOCUMENT: ApprovalBasis.DOCUMENT_MATCH,
}


class DecisionRefused(Exception):
    """The decision cannot be made as asked (a message says why); nothing was changed."""


def _clear_registry_flags(credential_id: int) -> None:
    """A decision means the moderator has seen the registry result that changed."""
    from provider_dir.registry.services import clear_flags

    clear_flags(credential_id)


def pending_condition():
    """SQL condition: a self-reported credential that an owner submitted and no moderator has decided."""
    return (Credential.status == CredentialStatus.SELF_REPORTED) & Credential.submitted_at.is_not(None)


def pending_for_clinic(clinic_id: int) -> int:
    """Return how many of one clinic's credentials wait for a moderator (for its owners' dashboard)."""
    return db.session.scalar(
        select(func.count()).select_from(Credential).join(Credential.staff_member)
        .where(pending_condition(), StaffMember.clinic_id == clinic_id)
    )  # fmt: skip


def queue(moderator: User) -> Select:
    """Return the pending credentials oldest first, leaving out the clinics the moderator belongs to."""
    query = (
        select(Credential)
        .join(Credential.staff_member)
        .where(pending_condition())
        .options(
            selectinload(Credential.staff_member).selectinload(StaffMember.clinic),
            selectinload(Credential.document),
        )
        .order_by(Credential.submitted_at, Credential.id)
    )
    own = member_clinic_ids(moderator)
    if own:
        query = query.where(StaffMember.clinic_id.not_in(own))
    return query


def pending_count(moderator: User) -> int:
    """Return how many credentials wait for this moderator (their own clinics' are left out)."""
    return db.session.scalar(select(func.count()).select_from(queue(moderator).order_by(None).subquery()))


def left_for_others(moderator: User) -> int:
    """Return how many pending credentials concern clinics the moderator belongs to."""
    own = member_clinic_ids(moderator)
    if not own:
        return 0
    return db.session.scalar(
        select(func.count())
        .select_from(Credential)
        .join(Credential.staff_member)
        .where(pending_condition(), StaffMember.clinic_id.in_(own))
    )


def is_pending(credential: Credential) -> bool:
    """Return True when the credential waits for a decision."""
    return credential.status == CredentialStatus.SELF_REPORTED and credential.submitted_at is not None


def clinic_of(credential: Credential) -> Clinic:
    """Return the clinic whose staff member holds the credential."""
    return credential.staff_member.clinic


def _check(credential: Credential, moderator: User, seen_version: int) -> Clinic:
    clinic = clinic_of(credential)
    ensure_can_decide(moderator, clinic.id, credential.version, seen_version)
    if not is_pending(credential):
        raise StaleDecision(STALE_MESSAGE)
    return clinic


def verify(
    credential: Credential,
    moderator: User,
    seen_version: int,
    method: VerificationMethod,
    reference: str = "",
    note: str = "",
) -> int:
    """Mark a credential verified by this moderator, now, by the registry (with its reference) or its document.

    The owners are told in the same transaction; return how many.
    """
    clinic = _check(credential, moderator, seen_version)
    reference = reference.strip()
    if method == VerificationMethod.REGISTRY and not reference:
        raise DecisionRefused("Give the registry's reference (for example the NPPES look-up date and ID).")
    if method == VerificationMethod.DOCUMENT and credential.document is None:
        raise DecisionRefused("No document is attached to this credential; verify it by a registry look-up instead.")
    if credential.effective_status() == CredentialStatus.EXPIRED:
        raise DecisionRefused("This credential has expired; refuse it as expired instead.")
    if method == VerificationMethod.DOCUMENT and not reference:
        reference = f"document {credential.document.id}"
    basis = BASIS_OF[method]
    now = utcnow()
    changes = {
        "status": [credential.status.value, CredentialStatus.VERIFIED.value],
        "verification_method": [None, method.value],
        "verification_reference": [credential.verification_reference or None, reference],
    }
    credential.status = CredentialStatus.VERIFIED
    credential.verified_by = moderator
    credential.verified_at = now
    credential.verification_method = method
    credential.verification_reference = reference[:200]
    credential.decision_reason = basis.value
    clinic.last_verified_on = now.date()
    refresh_verified_flag(clinic)
    log.record(
        moderator, "credential_verified", credential.id, reason=basis, note=note, target_type=CREDENTIAL,
        clinic_id=clinic.id, changes=changes,
    )  # fmt: skip
    _clear_registry_flags(credential.id)
    member = credential.staff_member
    text = (
        f"A moderator verified the {credential.kind.label} of {member.display_name} at {clinic.name} "
        f"({method.label.lower()}): {basis.label}. It now shows as verified on your public page."
    )
    return notify_owners_decision(clinic, f"Credential verified: {member.display_name}", text, "portal_staff.index",
                                  slug=clinic.slug)


def refuse(credential: Credential, moderator: User, seen_version: int, reason: RefusalReason, note: str = "") -> int:
    """Refuse a credential with a reason from the closed list; it counts nothing until the owner sends it again."""
    clinic = _check(credential, moderator, seen_version)
    if reason not in CREDENTIAL_REFUSALS:
        raise DecisionRefused("Choose one of the reasons listed for credentials.")
    changes = {
        "status": [credential.status.value, CredentialStatus.REFUSED.value],
        "decision_reason": [None, reason.value],
    }
    credential.status = CredentialStatus.REFUSED
    credential.verified_by = None
    credential.verified_at = None
    credential.verification_method = None
    credential.decision_reason = reason.value
    log.record(
        moderator, "credential_refused", credential.id, reason=reason, note=note, target_type=CREDENTIAL,
        clinic_id=clinic.id, changes=changes,
    )  # fmt: skip
    _clear_registry_flags(credential.id)
    member = credential.staff_member
    text = (
        f"A moderator could not verify the {credential.kind.label} of {member.display_name} at {clinic.name}: "
        f"{reason.label}. It counts for nothing in your score until you correct it or attach a document, "
        "in the clinic portal under Staff and credentials."
    )
    return notify_owners_decision(clinic, f"Credential not verified: {member.display_name}", text,
                                  "portal_staff.index", slug=clinic.slug)
