"""A clinic's public replies to reviews: one per review, editable, screened for patient details.

A clinic can reply; it can never hide, edit or delete the review itself (no route or service here does).
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation import log
from provider_dir.portal.listings.screening import Finding, refusal_message, screen_reply
from provider_dir.portal.models import ClinicReply
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus


class ReplyRefused(ValueError):
    """The reply may disclose patient details; the message lists what to remove."""

    def __init__(self, findings: list[Finding]):
        super().__init__(refusal_message(findings))
        self.findings = findings


def is_owner(user: User, clinic_id: int) -> bool:
    """Return True when the account is a clinic-owner account that owns this clinic."""
    if user.role != UserRole.CLINIC_OWNER:
        return False
    return any(m.clinic_id == clinic_id and m.role == MembershipRole.OWNER for m in user.memberships)


def owned_clinics(user: User) -> list[Clinic]:
    """Return the clinics an owner account owns, by name."""
    return list(
        db.session.scalars(
            select(Clinic)
            .join(ClinicMembership, ClinicMembership.clinic_id == Clinic.id)
            .where(ClinicMembership.user_id == user.id, ClinicMembership.role == MembershipRole.OWNER)
            .order_by(Clinic.name)
        )
    )


def published_reviews(clinic_id: int) -> Select:
    """Return a clinic's published reviews with their replies, newest first."""
    return (
        select(Review)
        .where(Review.clinic_id == clinic_id, Review.status == ReviewStatus.APPROVED)
        .options(selectinload(Review.reply), selectinload(Review.author))
        .order_by(Review.published_at.desc().nulls_last(), Review.id.desc())
    )


def save_reply(review: Review, author: User, body: str) -> ClinicReply:
    """Create or replace the clinic's reply; raise ReplyRefused when it may disclose patient details."""
    text = body.strip()
    findings = screen_reply(text, clinic_phone=review.clinic.phone)
    if findings:
        raise ReplyRefused(findings)
    reply = review.reply
    action = "reply_edited" if reply else "reply_posted"
    if reply is None:
        reply = ClinicReply(review=review, author_id=author.id, body=text)
        db.session.add(reply)
    else:
        reply.body, reply.author_id = text, author.id
    log.record(author, action, review.id)
    return reply


def delete_reply(review: Review, author: User) -> None:
    """Remove the clinic's own reply (the review itself is untouched)."""
    if review.reply is not None:
        db.session.delete(review.reply)
        log.record(author, "reply_deleted", review.id)
