"""Single-use invitation codes that mark a review as written by a verified patient.

Decision: only a SHA-256 hash of each code is stored. Codes carry 60 random bits, so a stolen table does not
give them away in practice, and unlike a hash keyed with SECRET_KEY they survive a key rotation.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, select, update

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.portal.models import InvitationCode

# No 0/O or 1/I/L, so a code read aloud or copied from paper survives.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_BATCH = 50


class InvalidInvitation(ValueError):
    """The code is unknown, belongs to another clinic, or was used already."""


def new_code() -> str:
    """Return a fresh code such as 'ABCD-EFGH-JKMN'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    """Uppercase a code and drop spaces and dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """Return the stored hash of a code."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def issue_codes(clinic: Clinic, issuer: User, count: int) -> list[str]:
    """Create count codes for the clinic and return them in plain text; they are never shown again."""
    if not 1 <= count <= MAX_BATCH:
        raise ValueError(f"Issue between 1 and {MAX_BATCH} codes at a time.")
    codes = [new_code() for _ in range(count)]
    db.session.add_all(
        InvitationCode(clinic_id=clinic.id, code_hash=code_hash(code), issued_by_id=issuer.id) for code in codes
    )
    db.session.flush()
    return codes


def find_unused(clinic_id: int, code: str) -> InvitationCode:
    """Return the unused code of this clinic, or raise InvalidInvitation."""
    row = db.session.scalar(select(InvitationCode).where(InvitationCode.code_hash == code_hash(code)))
    if row is None or row.clinic_id != clinic_id:
        raise InvalidInvitation("That invitation code is not one this clinic issued. Check it, or leave it empty.")
    if row.used_at is not None:
        raise InvalidInvitation("That invitation code has already been used. Each code works once.")
    return row


def redeem(invitation: InvitationCode, review_id: int) -> None:
    """Mark the code used by this review; a code redeemed concurrently by someone else raises InvalidInvitation."""
    result = db.session.execute(
        update(InvitationCode)
        .where(InvitationCode.id == invitation.id, InvitationCode.used_at.is_(None))
        .values(used_at=utcnow(), review_id=review_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise InvalidInvitation("That invitation code has already been used. Each code works once.")
    db.session.expire(invitation)


def code_counts(clinic_id: int) -> tuple[int, int]:
    """Return (issued, used) for a clinic."""
    issued, used = db.session.execute(
        select(func.count(), func.count(InvitationCode.used_at)).where(InvitationCode.clinic_id == clinic_id)
    ).one()
    return int(issued), int(used)
