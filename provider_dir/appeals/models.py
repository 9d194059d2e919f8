"""An appeal against one logged moderation decision: one per decision, decided by a second moderator."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.appeals.vocab import AppealStatus
from provider_dir.models.base import Base, enum_type, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.moderation.models import ModerationLog


class Appeal(Base):
    """Someone's request that a second moderator look again at a decision."""

    __tablename__ = "appeal"
    __table_args__ = (Index("ix_appeal_status_created", "status", "created_at"),)

    id: Mapped[intpk]
    # unique: one appeal per decision, whoever makes it.
    log_id: Mapped[int] = mapped_column(ForeignKey("moderation_log.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id", ondelete="SET NULL"), index=True)
    appellant_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # The moderator whose decision is appealed: never the one who decides the appeal.
    first_moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(enum_type(AppealStatus, "appeal_status"), default=AppealStatus.OPEN)
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    decision: Mapped[ModerationLog] = relationship()
    appellant: Mapped[User | None] = relationship(foreign_keys=[appellant_id])
