"""The public side of the moderation log: one row per decision, and monthly totals kept as decisions happen.

Both are written in the decision's own transaction (transparency/tally.py), from the log row `record` adds, and
hold only what the public log may show: never an account, a name, a note, a review's text or a document.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, UTCDateTime, intpk
from provider_dir.moderation.models import ModerationLog


class PublicDecision(Base):
    """One moderation decision as the public log shows it."""

    __tablename__ = "public_decision"
    # One index per filter, each ending in the log's order, so any page is an index range read.
    __table_args__ = (
        Index("ix_public_decision_created", "created_at", "id"),
        Index("ix_public_decision_clinic_created", "clinic_id", "created_at", "id"),
        Index("ix_public_decision_kind_created", "kind", "created_at", "id"),
        Index("ix_public_decision_outcome_created", "outcome", "created_at", "id"),
        Index("ix_public_decision_kind_outcome_created", "kind", "outcome", "created_at", "id"),
    )

    id: Mapped[intpk]
    log_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_log.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40), default="")
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id", ondelete="SET NULL"))

    log: Mapped[ModerationLog | None] = relationship()


class DecisionTally(Base):
    """How many decisions of one kind, outcome, reason, star rating and wait fell in one month."""

    __tablename__ = "decision_tally"
    __table_args__ = (
        UniqueConstraint("month", "kind", "outcome", "reason", "stars", "wait_bucket"),
        # Covers the report's reads of one month's rows without touching the table.
        Index("ix_decision_tally_covering", "month", "outcome", "kind", "reason", "stars", "wait_bucket", "n"),
        # The 12-month trend reads only the all-kinds rows (kind "*", see tally.py).
        Index("ix_decision_tally_kind_month", "kind", "month", "outcome", "n"),
    )

    id: Mapped[intpk]
    month: Mapped[str] = mapped_column(String(7))  # "2026-12"
    kind: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40), default="")
    stars: Mapped[int] = mapped_column(SmallInteger, default=0)  # 0 when the item has no star rating
    wait_bucket: Mapped[int] = mapped_column(Integer, default=-1)  # hours; -1 when the submission time is unknown
    n: Mapped[int] = mapped_column(Integer, default=0)
