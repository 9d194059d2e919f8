"""A patient's structured review of a clinic."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.base import Base, enum_type, from_mask, intpk, timestamp, to_mask, utcnow
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.vocab import Answer, ReviewStatus, SideEffect, TimeToRelief

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.listings.models import Clinic
    from provider_dir.moderation.models import ReviewReport
    from provider_dir.portal.models import ClinicReply, InvitationCode


def _answer(name: str):
    return mapped_column(enum_type(Answer, f"review_{name}"), nullable=True)


class Review(Base):
    """One account's review of one clinic, moderated before it is shown."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("clinic_id", "author_id"),
        Index("ix_review_clinic_status", "clinic_id", "status"),
        Index("ix_review_status_created", "status", "created_at"),
        CheckConstraint("rating_overall BETWEEN 1 AND 5", name="overall_range"),
        CheckConstraint("rating_staff IS NULL OR rating_staff BETWEEN 1 AND 5", name="staff_range"),
        CheckConstraint("rating_safety IS NULL OR rating_safety BETWEEN 1 AND 5", name="safety_range"),
        CheckConstraint("rating_value IS NULL OR rating_value BETWEEN 1 AND 5", name="value_range"),
        CheckConstraint("sessions_count IS NULL OR sessions_count BETWEEN 0 AND 500", name="sessions_range"),
    )

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # active_history: the rating sync reads the old status and rating of every change (see reviews/figures/sync.py).
    rating_overall: Mapped[int] = mapped_column(Integer, active_history=True)
    rating_staff: Mapped[int | None] = mapped_column(Integer)
    rating_safety: Mapped[int | None] = mapped_column(Integer)
    rating_value: Mapped[int | None] = mapped_column(Integer)
    condition: Mapped[Condition | None] = mapped_column(enum_type(Condition, "review_condition"))
    route: Mapped[Route | None] = mapped_column(enum_type(Route, "review_route"))
    sessions_count: Mapped[int | None] = mapped_column(Integer)
    time_to_relief: Mapped[TimeToRelief | None] = mapped_column(enum_type(TimeToRelief, "review_relief"))
    side_effects_mask: Mapped[int] = mapped_column(Integer, default=0)
    evaluated_before: Mapped[Answer | None] = _answer("evaluated")
    vitals_monitored: Mapped[Answer | None] = _answer("vitals")
    clinician_present: Mapped[Answer | None] = _answer("clinician")
    ride_required: Mapped[Answer | None] = _answer("ride")
    symptoms_tracked: Mapped[Answer | None] = _answer("tracked")
    private_room: Mapped[Answer | None] = _answer("private_room")
    price_matched: Mapped[Answer | None] = _answer("price")
    psychotherapy_offered: Mapped[Answer | None] = _answer("psychotherapy")
    would_recommend: Mapped[bool | None]
    title: Mapped[str] = mapped_column(String(120), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status"), default=ReviewStatus.PENDING, active_history=True
    )
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(
        enum_type(RejectionReason, "review_rejection_reason")
    )
    verified_patient: Mapped[bool] = mapped_column(default=False)
    # Optimistic lock: every ORM update bumps it and checks the old value in its WHERE clause, and a
    # moderation decision names the version it saw, so two moderators can never both decide one item.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    # When the review last entered the moderation queue (submitted, edited, or first reported).
    queued_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # Set when the text is nearly the same as another account's review; the moderator sees it.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"))
    duplicate_similarity: Mapped[float | None] = mapped_column(Float)

    __mapper_args__ = {"version_id_col": version}

    clinic: Mapped[Clinic] = relationship(back_populates="reviews")
    author: Mapped[User] = relationship()
    duplicate_of: Mapped[Review | None] = relationship(remote_side="Review.id")
    reply: Mapped[ClinicReply | None] = relationship(back_populates="review", cascade="all, delete-orphan")
    reports: Mapped[list[ReviewReport]] = relationship(back_populates="review", cascade="all, delete-orphan")
    invitation: Mapped[InvitationCode | None] = relationship(back_populates="review")

    @property
    def side_effects(self) -> list[SideEffect]:
        """Side effects reported, in a fixed order."""
        return from_mask(self.side_effects_mask or 0, SideEffect)

    @side_effects.setter
    def side_effects(self, values) -> None:
        self.side_effects_mask = to_mask(values, SideEffect)

    @property
    def month_label(self) -> str:
        """The month the review was written; exact dates are not shown, for privacy."""
        return self.created_at.strftime("%B %Y")


class SiteRatingPrior(Base):
    """The one row with the site-wide totals of approved reviews and the prior every clinic is shrunk towards."""

    __tablename__ = "site_rating_prior"

    id: Mapped[intpk]
    # Live totals of approved reviews, moved in the same transaction as each review change.
    review_count: Mapped[int] = mapped_column(BigInteger, default=0)
    rating_sum: Mapped[int] = mapped_column(BigInteger, default=0)
    # The prior mean and weight the stored Clinic.rating_bayes values were computed with.
    mean: Mapped[float | None] = mapped_column(Float)
    weight: Mapped[int] = mapped_column(Integer, default=0)
    refreshed_at: Mapped[datetime | None]
    # A new random value whenever any clinic's rating figures change; keys the cached rating histogram.
    figures_token: Mapped[str] = mapped_column(String(32), default="")
