"""The moderation log, reports about published reviews, and the notifications that tell people outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, enum_type, intpk, timestamp
from provider_dir.moderation.vocab import RejectionReason, ReportStatus

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.reviews.models import Review


class ModerationLog(Base):
    """Who did what to which item, when and why."""

    __tablename__ = "moderation_log"
    __table_args__ = (Index("ix_moderation_log_target", "target_type", "target_id"),)

    id: Mapped[intpk]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    # The audit log's extra columns: the clinic an entry concerns, and {field: [old, new]} for edits.
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id", ondelete="SET NULL"), index=True)
    changes: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[timestamp]

    actor: Mapped[User | None] = relationship()


class ReviewReport(Base):
    """Someone's report that a published review breaks a content-neutral rule."""

    __tablename__ = "review_report"
    __table_args__ = (Index("ix_review_report_review_status", "review_id", "status"),)

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    # None for anonymous reports (see moderation/reports.py for why they are allowed).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    reason: Mapped[RejectionReason] = mapped_column(enum_type(RejectionReason, "review_report_reason"))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus, "review_report_status"), default=ReportStatus.OPEN
    )
    created_at: Mapped[timestamp]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    review: Mapped[Review] = relationship(back_populates="reports")
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])


class Notification(Base):
    """A message to one account, such as the outcome of their report or of their review's moderation."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_created", "user_id", "created_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[timestamp]
    read_at: Mapped[datetime | None]
