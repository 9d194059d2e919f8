"""What owners do with staff and credentials, each save in the audit log; and which credentials expire soon."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.documents.models import Document
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation import log

STAFF = "staff_member"
CREDENTIAL = "credential"
# The only columns an owner's form can reach; status, verifier and the rest are the moderator's.
STAFF_FIELDS = ("full_name", "degree", "role", "bio", "sort_order")
CREDENTIAL_FIELDS = ("identifier", "issuer", "expires_on")
EXPIRY_WINDOW_DAYS = 60


def _plain(value):
    """Return a value as JSON can hold it in the audit log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _apply(obj, values: dict, fields: tuple[str, ...]) -> dict:
    """Set the allowed fields that changed; return {field: [old, new]}."""
    changes = {}
    for name in fields:
        if name not in values:
            continue
        old, new = getattr(obj, name), values[name]
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(obj, name, new)
    return changes


def _touch(clinic: Clinic) -> None:
    clinic.last_edited_at = utcnow()


def clinic_staff(clinic_id: int) -> list[StaffMember]:
    """Return a clinic's staff in their listed order, with credentials."""
    return list(
        db.session.scalars(
            select(StaffMember)
            .where(StaffMember.clinic_id == clinic_id)
            .options(selectinload(StaffMember.credentials).selectinload(Credential.verified_by))
            .order_by(StaffMember.sort_order, StaffMember.id)
        )
    )


def staff_of(clinic_id: int, staff_id: int) -> StaffMember | None:
    """Return the staff member only when they work at this clinic."""
    member = db.session.get(StaffMember, staff_id)
    return member if member is not None and member.clinic_id == clinic_id else None


def credential_of(member: StaffMember, credential_id: int) -> Credential | None:
    """Return the credential only when it belongs to this staff member."""
    credential = db.session.get(Credential, credential_id)
    return credential if credential is not None and credential.staff_member_id == member.id else None


def add_staff(clinic: Clinic, owner: User, values: dict) -> StaffMember:
    """Add a staff member from the owner's form values and log it."""
    member = StaffMember(clinic=clinic, **{name: values[name] for name in STAFF_FIELDS if name in values})
    db.session.add(member)
    db.session.flush()
    changes = {name: [None, _plain(getattr(member, name))] for name in STAFF_FIELDS}
    log.record(owner, "staff_added", member.id, target_type=STAFF, clinic_id=clinic.id, changes=changes)
    _touch(clinic)
    return member


def update_staff(member: StaffMember, owner: User, values: dict) -> dict:
    """Change a staff member's allowed fields; log and return what changed (nothing logged when nothing did)."""
    changes = _apply(member, values, STAFF_FIELDS)
    if changes:
        log.record(owner, "staff_edited", member.id, target_type=STAFF, clinic_id=member.clinic_id, changes=changes)
        _touch(member.clinic)
    return changes


def remove_staff(member: StaffMember, owner: User) -> None:
    """Remove a staff member and their credentials, logging what was removed."""
    clinic = member.clinic
    changes = {name: [_plain(getattr(member, name)), None] for name in STAFF_FIELDS}
    changes["credentials"] = [[c.kind.value for c in member.credentials], []]
    log.record(owner, "staff_removed", member.id, target_type=STAFF, clinic_id=clinic.id, changes=changes)
    db.session.delete(member)
    _touch(clinic)
    refresh_verified_flag(clinic)


def _resubmit(credential: Credential, changes: dict) -> None:
    """Make a new or changed credential self-reported again, waiting in the queue from now."""
    if credential.status != CredentialStatus.SELF_REPORTED:
        changes["status"] = [_plain(credential.status), CredentialStatus.SELF_REPORTED.value]
    credential.status = CredentialStatus.SELF_REPORTED
    credential.verified_by = None
    credential.verified_at = None
    credential.verification_method = None
    credential.verification_reference = ""
    credential.decision_reason = None
    credential.submitted_at = utcnow()


def add_credential(
    member: StaffMember, owner: User, kind: CredentialKind, values: dict, document: Document | None = None
) -> Credential:
    """Add a self-reported credential to a staff member and log it; it waits for a moderator."""
    credential = Credential(
        staff_member=member, kind=kind, status=CredentialStatus.SELF_REPORTED, submitted_at=utcnow(),
        **{name: values[name] for name in CREDENTIAL_FIELDS if name in values},
    )  # fmt: skip
    credential.document = document
    db.session.add(credential)
    db.session.flush()
    changes = {"kind": [None, kind.value]}
    changes |= {name: [None, _plain(getattr(credential, name))] for name in CREDENTIAL_FIELDS}
    if document is not None:
        changes["document"] = [None, document.id]
    log.record(
        owner, "credential_added", credential.id, target_type=CREDENTIAL, clinic_id=member.clinic_id, changes=changes
    )
    _touch(member.clinic)
    return credential


def update_credential(credential: Credential, owner: User, values: dict, document: Document | None = None) -> dict:
    """Change a credential's allowed fields or attach a document; any change sends it back to the queue."""
    changes = _apply(credential, values, CREDENTIAL_FIELDS)
    if document is not None:
        db.session.flush()
        changes["document"] = [credential.document_id, document.id]
        credential.document = document
    if not changes:
        return changes
    _resubmit(credential, changes)
    member = credential.staff_member
    log.record(
        owner, "credential_edited", credential.id, target_type=CREDENTIAL, clinic_id=member.clinic_id, changes=changes
    )
    _touch(member.clinic)
    refresh_verified_flag(member.clinic)
    return changes


def remove_credential(credential: Credential, owner: User) -> None:
    """Remove a credential, logging what it was."""
    member = credential.staff_member
    changes = {"kind": [credential.kind.value, None], "status": [_plain(credential.status), None]}
    changes |= {name: [_plain(getattr(credential, name)), None] for name in CREDENTIAL_FIELDS}
    log.record(
        owner, "credential_removed", credential.id, target_type=CREDENTIAL, clinic_id=member.clinic_id,
        changes=changes,
    )  # fmt: skip
    member.credentials.remove(credential)
    _touch(member.clinic)
    refresh_verified_flag(member.clinic)


def expiring_credentials(clinic_id: int, within_days: int = EXPIRY_WINDOW_DAYS, today: date | None = None):
    """Return the clinic's credentials that expire from today to within_days from now, soonest first.

    Refused credentials are left out: they count for nothing already.
    """
    today = today or date.today()
    return list(
        db.session.scalars(
            select(Credential)
            .join(Credential.staff_member)
            .where(
                StaffMember.clinic_id == clinic_id,
                Credential.expires_on.is_not(None),
                Credential.expires_on >= today,
                Credential.expires_on <= today + timedelta(days=within_days),
                Credential.status != CredentialStatus.REFUSED,
            )
            .options(selectinload(Credential.staff_member))
            .order_by(Credential.expires_on, Credential.id)
        )
    )


def has_current_verified_credential(clinic_id: int, today: date | None = None) -> bool:
    """Return True when a staff member of the clinic holds a verified credential that has not expired."""
    today = today or date.today()
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Credential.staff_member_id == StaffMember.id,
                    StaffMember.clinic_id == clinic_id,
                    Credential.status == CredentialStatus.VERIFIED,
                    or_(Credential.expires_on.is_(None), Credential.expires_on >= today),
                )
            )
        )
    )


def refresh_verified_flag(clinic: Clinic, today: date | None = None) -> None:
    """Keep the clinic's "verified staff credentials" search flag in step with its credentials."""
    db.session.flush()
    clinic.has_verified_credentials = has_current_verified_credential(clinic.id, today)
