"""What clinic owners create: single-use invitation codes and public replies to reviews."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, intpk, timestamp, utcnow

if TYPE_CHECKING:
    from provider_dir.listings.models import Clinic
    from provider_dir.reviews.models import Review


class InvitationCode(Base):
    """A single-use code a clinic hands to a patient; only its hash is stored."""

    __tablename__ = "invitation_code"

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    used_at: Mapped[datetime | None]
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="SET NULL"), unique=True)

    clinic: Mapped[Clinic] = relationship()
    review: Mapped[Review | None] = relationship(back_populates="invitation")


class ClinicReply(Base):
    """A clinic's one public reply to a review, editable by the clinic's owners."""

    __tablename__ = "clinic_reply"

    id: Mapped[intpk]
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship(back_populates="reply")
