"""Writing, editing and withdrawing a review; who may review a clinic."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.models import ReviewReport
from provider_dir.moderation.notifications import notify
from provider_dir.moderation.vocab import ReportStatus
from provider_dir.portal import invitations
from provider_dir.reviews.models import Review
from provider_dir.reviews.similarity import most_similar
from provider_dir.reviews.vocab import ReviewStatus

# The only attributes a review form may set (field-level access control: never status, verified, clinic ...).
AUTHOR_FIELDS = frozenset(
    {
        "rating_overall",
        "rating_staff",
        "rating_safety",
        "rating_value",
        "condition",
        "route",
        "sessions_count",
        "time_to_relief",
        "side_effects",
        "evaluated_before",
        "vitals_monitored",
        "clinician_present",
        "ride_required",
        "symptoms_tracked",
        "private_room",
        "price_matched",
        "psychotherapy_offered",
        "would_recommend",
        "title",
        "body",
    }
)
# How many recent reviews a new text is compared with for near-duplicates.
RECENT_FOR_DUPLICATES = 1000


class AlreadyReviewed(Exception):
    """The account has a review of this clinic already (one per account per clinic)."""


def refusal_reason(user: User, clinic: Clinic) -> str | None:
    """Return why this account may not review this clinic, or None when it may."""
    if user.role != UserRole.PATIENT:
        return (
            "Only patient accounts can write reviews. Clinic, moderator and admin accounts cannot, "
            "so that no review comes from someone with a stake in it."
        )
    if user.belongs_to(clinic.id):
        return (
            "Your account belongs to this clinic (as an owner or a staff member), so you cannot review it: "
            "the FTC rule on consumer reviews forbids undisclosed insider reviews."
        )
    return None


def own_review(author_id: int, clinic_id: int) -> Review | None:
    """Return the account's review of the clinic, whatever its status."""
    return db.session.scalar(select(Review).where(Review.author_id == author_id, Review.clinic_id == clinic_id))


def reviews_by(author_id: int) -> list[Review]:
    """Return every review an account wrote, newest first, with its clinic."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.author_id == author_id)
            .options(selectinload(Review.clinic))
            .order_by(Review.created_at.desc(), Review.id.desc())
        )
    )


def _apply(review: Review, fields: Mapping[str, object]) -> None:
    unknown = set(fields) - AUTHOR_FIELDS
    if unknown:
        raise ValueError(f"fields a review form may not set: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(review, name, value)


def _queue(review: Review) -> None:
    review.status = ReviewStatus.PENDING
    review.rejection_reason = None
    review.published_at = None
    review.queued_at = utcnow()


def submit_review(author: User, clinic: Clinic, fields: Mapping[str, object], code: str | None = None) -> Review:
    """Store a new review, pending moderation; a valid invitation code marks it verified.

    Raises AlreadyReviewed when the account reviewed the clinic already (the unique constraint decides, so
    two simultaneous submissions store one review) and InvalidInvitation for a bad code.
    """
    invitation = invitations.find_unused(clinic.id, code) if code else None
    review = Review(clinic_id=clinic.id, author_id=author.id, verified_patient=invitation is not None)
    _apply(review, fields)
    _queue(review)
    try:
        with db.session.begin_nested():
            db.session.add(review)
            db.session.flush()
    except IntegrityError as exc:
        raise AlreadyReviewed("You have already reviewed this clinic.") from exc
    if invitation is not None:
        invitations.redeem(invitation, review.id)
    flag_near_duplicate(review)
    log.record(author, "submitted", review.id)
    return review


def edit_review(review: Review, fields: Mapping[str, object], code: str | None = None) -> Review:
    """Change a review; it goes back to the moderation queue (and off the clinic page until approved)."""
    if code and not review.verified_patient:
        invitation = invitations.find_unused(review.clinic_id, code)
        invitations.redeem(invitation, review.id)
        review.verified_patient = True
    _apply(review, fields)
    _queue(review)
    flag_near_duplicate(review)
    log.record(review.author, "edited", review.id)
    return review


def withdraw_review(review: Review) -> Review:
    """Take a review down at its author's request; open reports about it are closed."""
    review.status = ReviewStatus.WITHDRAWN
    review.published_at = None
    review.rejection_reason = None
    for report in review.reports:
        if report.status == ReportStatus.OPEN:
            _close_report(report, review)
    log.record(review.author, "withdrawn", review.id)
    return review


def _close_report(report: ReviewReport, review: Review) -> None:
    report.status = ReportStatus.CLOSED
    report.decided_at = utcnow()
    if report.reporter_id is not None:
        notify(
            report.reporter_id,
            f"The review of {review.clinic.name} that you reported was withdrawn by its author.",
        )


def review_text(review: Review) -> str:
    """Return the text compared for near-duplicates: title and body."""
    return f"{review.title or ''} {review.body or ''}"


def flag_near_duplicate(review: Review) -> None:
    """Mark the review when its text nearly copies a recent review by another account (of any clinic)."""
    query = (
        select(Review.id, Review.title, Review.body)
        .where(Review.author_id != review.author_id)
        .order_by(Review.created_at.desc(), Review.id.desc())
        .limit(RECENT_FOR_DUPLICATES)
    )
    if review.id is not None:
        query = query.where(Review.id != review.id)
    candidates = ((row.id, f"{row.title} {row.body}") for row in db.session.execute(query))
    match = most_similar(review_text(review), candidates)
    review.duplicate_of_id, review.duplicate_similarity = match if match else (None, None)
