"""The moderation queue and its decisions: sentiment-blind, version-checked, logged in the same transaction."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.models import ReviewReport
from provider_dir.moderation.notifications import notify
from provider_dir.moderation.vocab import RejectionReason, ReportStatus
from provider_dir.notices.services import notify_owners_new_review
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

MODERATOR_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)
STALE_MESSAGE = (
    "This item changed after you opened it: another moderator decided it, or its author edited or withdrew it. "
    "Nothing was changed; please look at it again."
)


REVIEW_CONFLICT_MESSAGE = (
    "You belong to this clinic, so you cannot moderate its reviews; another moderator will decide."
)


class StaleDecision(Exception):
    """Someone else decided the item, or its author changed it, after the moderator opened it."""


class ConflictOfInterest(Exception):
    """The moderator belongs to the clinic the review is about."""


def has_open_report():
    """SQL condition: the review has at least one open report."""
    return exists().where(ReviewReport.review_id == Review.id, ReviewReport.status == ReportStatus.OPEN)


def in_queue_condition():
    """SQL condition: pending reviews, and published reviews with an open report."""
    return or_(
        Review.status == ReviewStatus.PENDING,
        and_(Review.status == ReviewStatus.APPROVED, has_open_report()),
    )


def member_clinic_ids(user: User) -> list[int]:
    """Return the clinics an account belongs to."""
    return [m.clinic_id for m in user.memberships]


def queue(moderator: User) -> Select:
    """Return the queue for one moderator: one order (oldest first) for every rating, and never a rating filter.

    Items about clinics the moderator belongs to are left out; other moderators decide them.
    """
    query = (
        select(Review)
        .where(in_queue_condition())
        .options(
            selectinload(Review.clinic),
            selectinload(Review.author),
            selectinload(Review.reports),
            selectinload(Review.duplicate_of).selectinload(Review.clinic),
        )
        .order_by(func.coalesce(Review.queued_at, Review.created_at), Review.id)
    )
    own = member_clinic_ids(moderator)
    if own:
        query = query.where(Review.clinic_id.not_in(own))
    return query


def left_for_others(moderator: User) -> int:
    """Return how many queued items concern clinics the moderator belongs to."""
    own = member_clinic_ids(moderator)
    if not own:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(Review).where(in_queue_condition(), Review.clinic_id.in_(own))
    )


def is_queued(review: Review) -> bool:
    """Return True when the review waits for a decision."""
    if review.status == ReviewStatus.PENDING:
        return True
    return review.status == ReviewStatus.APPROVED and any(r.status == ReportStatus.OPEN for r in review.reports)


def decide(
    review: Review,
    moderator: User,
    seen_version: int,
    approve: bool,
    reason: RejectionReason | None = None,
    note: str = "",
) -> str:
    """Publish (or keep published) or withhold a review; return the logged action.

    The review's version must still be the one the moderator saw, otherwise StaleDecision. The change, its
    log row, the open reports' outcome and the notifications all go into the caller's one transaction;
    the Review mapper's version column also makes a concurrent decision fail at flush (StaleDataError).
    """
    if moderator.belongs_to(review.clinic_id):
        raise ConflictOfInterest(REVIEW_CONFLICT_MESSAGE)
    if review.version != seen_version or not is_queued(review):
        raise StaleDecision(STALE_MESSAGE)
    if not approve and reason is None:
        raise ValueError("a rejection needs a reason from the closed list")
    was_published = review.status == ReviewStatus.APPROVED
    open_reports = [r for r in review.reports if r.status == ReportStatus.OPEN]
    now = utcnow()
    if approve:
        action = "report_dismissed" if was_published else "approved"
        if not was_published:
            review.status = ReviewStatus.APPROVED
            review.published_at = now
        review.rejection_reason = None
        outcome = ReportStatus.DISMISSED
    else:
        action = "removed_after_report" if was_published else "rejected"
        review.status = ReviewStatus.REJECTED
        review.rejection_reason = reason
        review.published_at = None
        outcome = ReportStatus.UPHELD
    # Always write the row, so the version check guards decisions that change no column (a dismissed report).
    review.queued_at = review.queued_at or now
    flag_modified(review, "queued_at")
    for report in open_reports:
        report.status, report.decided_at, report.decided_by_id = outcome, now, moderator.id
    log.record(moderator, action, review.id, reason=None if approve else reason, note=note)
    _tell_people(review, approve, reason, open_reports, was_published)
    return action


def _tell_people(
    review: Review, approve: bool, reason: RejectionReason | None, reports: list[ReviewReport], was_published: bool
) -> None:
    clinic = review.clinic.name
    link = f"/clinics/{review.clinic.slug}"
    if approve and not was_published:
        notify(review.author_id, f"Your review of {clinic} is published.", link)
        notify_owners_new_review(review)
    elif not approve:
        notify(
            review.author_id,
            f"Your review of {clinic} was withheld: {reason.label}. You can edit it and send it again.",
            "/reviews/mine",
        )
    for report in reports:
        if report.reporter_id is None:
            continue
        if approve:
            message = (
                f"Thank you for your report about a review of {clinic}. A moderator checked it against our "
                "rules and it stays published."
            )
        else:
            message = f"Thank you for your report about a review of {clinic}. It was withheld: {reason.label}."
        notify(report.reporter_id, message, link)
