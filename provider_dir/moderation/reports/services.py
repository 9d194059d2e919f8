"""Reports about published reviews.

Decisions:
- Anyone may report, logged in or not: the FTC asks platforms to offer a way to report, and a person named in
  a review may have no account. Anonymous reports are limited per IP address (and logged-in ones per account)
  by Flask-Limiter; only logged-in reporters can be told the outcome.
- A reported review stays visible until a moderator decides: hiding it on a report alone would let anyone
  suppress a review they dislike, which is the suppression the FTC rule forbids.
"""

from __future__ import annotations

from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.models import ReviewReport
from provider_dir.moderation.vocab import RejectionReason, ReportStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus


class AlreadyReported(Exception):
    """This account has an open report about the review already."""


def reportable_review(review_id: int) -> Review | None:
    """Return the review when it is published (only published reviews can be reported)."""
    review = db.session.get(Review, review_id)
    if review is None or review.status != ReviewStatus.APPROVED:
        return None
    return review


def file_report(review: Review, reporter: User | None, reason: RejectionReason, note: str = "") -> ReviewReport:
    """Record a report; the review joins the moderation queue if it is not there yet, and stays visible."""
    if reporter is not None:
        already = db.session.scalar(
            select(ReviewReport.id).where(
                ReviewReport.review_id == review.id,
                ReviewReport.reporter_id == reporter.id,
                ReviewReport.status == ReportStatus.OPEN,
            )
        )
        if already:
            raise AlreadyReported(
                "You have already reported this review; a moderator will look at it and we will tell you the outcome."
            )
    queued = db.session.scalar(
        select(ReviewReport.id)
        .where(ReviewReport.review_id == review.id, ReviewReport.status == ReportStatus.OPEN)
        .limit(1)
    )
    if not queued:
        review.queued_at = utcnow()
    report = ReviewReport(review=review, reporter=reporter, reason=reason, note=note.strip())
    db.session.add(report)
    db.session.flush()
    log.record(reporter, "reported", review.id, reason=reason, note=f"report {report.id}")
    return report
