"""A clinic's answer to each checklist item, with its evidence, and its stored score snapshots."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, enum_type, intpk, timestamp, utcnow
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.documents.models import Document
    from provider_dir.listings.models import Clinic


class ChecklistAnswer(Base):
    """What a clinic says, and what was checked, about one checklist item."""

    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("clinic_id", "item_code"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(20))
    status: Mapped[AnswerStatus] = mapped_column(
        enum_type(AnswerStatus, "checklist_answer_status"), default=AnswerStatus.UNKNOWN
    )
    evidence_kind: Mapped[EvidenceKind | None] = mapped_column(enum_type(EvidenceKind, "evidence_kind"))
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(300), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    expires_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    # The moderator's refusal reason (RefusalReason) when status is refused.
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    # When the owner last gave evidence: pending evidence is queued by this, oldest first.
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    clinic: Mapped[Clinic] = relationship(back_populates="checklist_answers")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    document: Mapped[Document | None] = relationship()

    def effective_status(self, today: date | None = None) -> AnswerStatus:
        """Return the status as of today; a passed expiry makes it expired by itself."""
        today = today or date.today()
        if self.expires_on is not None and self.expires_on < today and self.status != AnswerStatus.UNKNOWN:
            return AnswerStatus.EXPIRED
        return self.status


class ScoreSnapshot(Base):
    """A clinic's score as computed on a day under one checklist version; a new row only when it changes."""

    __tablename__ = "score_snapshot"
    __table_args__ = (Index("ix_score_snapshot_clinic_latest", "clinic_id", "id"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(20))
    total: Mapped[int] = mapped_column(Integer)
    uncapped_total: Mapped[int] = mapped_column(Integer)
    safety_ok: Mapped[bool]
    # ScoreResult.digest(): each item's status letter and quarter-points, "C01=V32,C02=S8,..." (compact: a
    # recompute compares it as it is, and 100,000 of them stay small).
    items: Mapped[str] = mapped_column(String(300))
    computed_on: Mapped[date] = mapped_column(Date)
    # The first day on which a date in the evidence (an expiry) could change this result.
    changes_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[timestamp]

    def item_outcomes(self) -> dict[str, tuple[str, float]]:
        """Return {code: (status, points)} as stored."""
        from provider_dir.scoring.score import parse_digest

        return parse_digest(self.items)
