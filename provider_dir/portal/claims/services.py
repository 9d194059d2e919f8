"""Claims on a listing: who asks, how they prove it (a code mailed to the clinic's domain, or a document).

Decision: every claim waits for a moderator, even one whose emailed code was confirmed. A code sent to an address at
the clinic's own domain proves access to that mailbox, not the person's role at the clinic (a receptionist, a former
employee or a shared inbox all pass it), so it is evidence for the moderator, never the decision itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.documents.models import Document
from provider_dir.extensions import db
from provider_dir.listings.display import safe_web_url
from provider_dir.listings.models import Clinic
from provider_dir.moderation import log
from provider_dir.portal.models import ClinicClaim
from provider_dir.portal.vocab import OWNER_TERMS_VERSION, ClaimMethod, ClaimStatus

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
OPEN_STATUSES = (ClaimStatus.AWAITING_CODE, ClaimStatus.PENDING)
CLAIM = "claim"

UNCONFIRMED_MESSAGE = (
    "Please confirm your email address first (follow the link we sent when you registered); "
    "claims and new listings need a confirmed address."
)
# Decision: moderator and admin accounts do not manage listings. They decide on owners' changes, and a moderator
# who could also edit a listing would be one role away from approving their own work; a staff member who works at a
# clinic uses a separate clinic-owner account for it (their staff account's membership marks the conflict instead).
STAFF_ACCOUNT_MESSAGE = (
    "Moderator and admin accounts cannot claim or create listings, so that nobody checks their own clinic's changes. "
    "Please sign up a separate account to manage your clinic."
)
STAFF_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)
NO_WEBSITE_MESSAGE = (
    "This clinic has no website on its listing, so we cannot send a code to an address at its domain. "
    "Please upload a document that shows your role at the clinic instead."
)


class ClaimRefused(ValueError):
    """The claim cannot go ahead; the message says why and what to do."""


class CodeRejected(ValueError):
    """The code typed is wrong, expired or used up; the message says what to do."""


def website_domain(website: str | None) -> str | None:
    """Return the clinic website's domain without a leading 'www.', or None when it has no usable website."""
    url = safe_web_url(website)
    if url is None:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.") or None


def address_at_domain(email: str, domain: str) -> bool:
    """Return True when the address is at the domain or one of its subdomains."""
    _, at, host = (email or "").strip().lower().rpartition("@")
    return bool(at) and (host == domain or host.endswith("." + domain))


def hash_code(secret: str, claim_id: int, code: str) -> str:
    """Return the stored hash of a claim's code (keyed, so a copied table does not give 8-digit codes away)."""
    message = f"{claim_id}:{code.strip()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_owner_of(user: User, clinic_id: int) -> bool:
    """Return True when the account already owns the clinic."""
    return any(m.clinic_id == clinic_id and m.role == MembershipRole.OWNER for m in user.memberships)


def open_claim(user: User, clinic_id: int) -> ClinicClaim | None:
    """Return the account's claim on the clinic that is still waiting for a code or a moderator."""
    return db.session.scalar(
        select(ClinicClaim).where(
            ClinicClaim.user_id == user.id, ClinicClaim.clinic_id == clinic_id, ClinicClaim.status.in_(OPEN_STATUSES)
        )
    )


def listing_refusal(user: User) -> str | None:
    """Return why this account may not claim or create a listing, or None when it may."""
    if user.role in STAFF_ROLES:
        return STAFF_ACCOUNT_MESSAGE
    if user.email_confirmed_at is None:
        return UNCONFIRMED_MESSAGE
    return None


def ensure_may_claim(user: User, clinic: Clinic) -> None:
    """Raise ClaimRefused when the account cannot claim this clinic now."""
    refusal = listing_refusal(user)
    if refusal:
        raise ClaimRefused(refusal)
    if is_owner_of(user, clinic.id):
        raise ClaimRefused("You already manage this clinic.")
    if open_claim(user, clinic.id) is not None:
        raise ClaimRefused("You already have a claim on this clinic waiting; see “Your claims”.")


def _new_claim(user: User, clinic: Clinic, role: str, method: ClaimMethod, now: datetime, **fields) -> ClinicClaim:
    claim = ClinicClaim(
        clinic_id=clinic.id, user_id=user.id, role_at_clinic=role.strip()[:120], method=method,
        terms_version=OWNER_TERMS_VERSION, terms_accepted_at=now, **fields,
    )  # fmt: skip
    db.session.add(claim)
    db.session.flush()
    return claim


def start_domain_claim(
    user: User, clinic: Clinic, role: str, email: str, secret: str, now: datetime
) -> tuple[ClinicClaim, str]:
    """Open a claim proved by a code mailed to an address at the clinic's domain; return it and the plain code."""
    ensure_may_claim(user, clinic)
    domain = website_domain(clinic.website)
    if domain is None:
        raise ClaimRefused(NO_WEBSITE_MESSAGE)
    email = email.strip().lower()
    if not address_at_domain(email, domain):
        raise ClaimRefused(f"The address must end with @{domain} (the domain of the clinic's website).")
    claim = _new_claim(user, clinic, role, ClaimMethod.DOMAIN_EMAIL, now, proof_email=email,
                       status=ClaimStatus.AWAITING_CODE)  # fmt: skip
    code = issue_code(claim, secret, now)
    log.record(user, "claim_started", claim.id, target_type=CLAIM, clinic_id=clinic.id)
    return claim, code


def issue_code(claim: ClinicClaim, secret: str, now: datetime) -> str:
    """Give the claim a fresh code (the old one stops working) and return it in plain text."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    claim.code_hash = hash_code(secret, claim.id, code)
    claim.code_sent_at = now
    claim.code_attempts = 0
    return code


def resend_wait(claim: ClinicClaim, now: datetime) -> int:
    """Return how many seconds remain before another code may be sent (0 when it may)."""
    if claim.code_sent_at is None:
        return 0
    left = claim.code_sent_at + RESEND_AFTER - now
    return max(0, int(left.total_seconds()) + (1 if left.microseconds else 0))


def confirm_code(claim: ClinicClaim, code: str, secret: str, now: datetime) -> None:
    """Accept the right code (the claim then waits for a moderator); count a wrong one and raise CodeRejected."""
    if claim.status != ClaimStatus.AWAITING_CODE:
        raise CodeRejected("This claim is not waiting for a code.")
    if claim.code_attempts >= MAX_CODE_ATTEMPTS:
        raise CodeRejected("Too many wrong codes. Send yourself a new code and try again.")
    if claim.code_sent_at is None or now - claim.code_sent_at > CODE_LIFETIME:
        raise CodeRejected("This code has expired (codes last 30 minutes). Send yourself a new code.")
    if not hmac.compare_digest(hash_code(secret, claim.id, code), claim.code_hash):
        claim.code_attempts += 1
        left = MAX_CODE_ATTEMPTS - claim.code_attempts
        if left <= 0:
            raise CodeRejected("That code is wrong, and that was the last try. Send yourself a new code.")
        raise CodeRejected(f"That code is wrong. Check the email and try again ({left} tries left).")
    claim.status = ClaimStatus.PENDING
    claim.email_confirmed_at = now
    claim.code_hash = ""
    log.record(claim.user, "claim_code_confirmed", claim.id, target_type=CLAIM, clinic_id=claim.clinic_id)


def submit_document_claim(user: User, clinic: Clinic, role: str, document: Document, now: datetime) -> ClinicClaim:
    """Open a claim proved by a document; it waits for a moderator at once."""
    claim = _new_claim(user, clinic, role, ClaimMethod.DOCUMENT, now, document=document, status=ClaimStatus.PENDING)
    log.record(user, "claim_submitted", claim.id, target_type=CLAIM, clinic_id=clinic.id)
    return claim


def withdraw(claim: ClinicClaim, user: User) -> None:
    """Withdraw one's own open claim."""
    if claim.status not in OPEN_STATUSES:
        raise ClaimRefused("Only a claim that is still waiting can be withdrawn.")
    claim.status = ClaimStatus.WITHDRAWN
    log.record(user, "claim_withdrawn", claim.id, target_type=CLAIM, clinic_id=claim.clinic_id)


def claims_of(user: User) -> list[ClinicClaim]:
    """Return the account's claims, newest first."""
    return list(
        db.session.scalars(
            select(ClinicClaim)
            .where(ClinicClaim.user_id == user.id)
            .options(selectinload(ClinicClaim.clinic))
            .order_by(ClinicClaim.created_at.desc(), ClinicClaim.id.desc())
        )
    )


def pending_claims_on(clinic_id: int) -> list[ClinicClaim]:
    """Return the claims on a clinic waiting for a moderator, oldest first (shown to its current owners)."""
    return list(
        db.session.scalars(
            select(ClinicClaim)
            .where(ClinicClaim.clinic_id == clinic_id, ClinicClaim.status == ClaimStatus.PENDING)
            .options(selectinload(ClinicClaim.user))
            .order_by(ClinicClaim.created_at, ClinicClaim.id)
        )
    )


def owners_of(clinic_id: int) -> list[User]:
    """Return the accounts that own a clinic."""
    return list(
        db.session.scalars(
            select(User)
            .join(ClinicMembership, ClinicMembership.user_id == User.id)
            .where(ClinicMembership.clinic_id == clinic_id, ClinicMembership.role == MembershipRole.OWNER)
            .order_by(User.id)
        )
    )
