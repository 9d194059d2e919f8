"""A correction someone suggested to a listing, waiting for (or decided by) a moderator."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.corrections.vocab import CorrectionField, CorrectionStatus
from provider_dir.models.base import Base, enum_type, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.listings.models import Clinic


class ClinicCorrection(Base):
    """One suggested change of one listing fact (phone, website, address, hours, prices, routes, closed)."""

    __tablename__ = "clinic_correction"
    __table_args__ = (Index("ix_clinic_correction_status_created", "status", "created_at"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    field: Mapped[CorrectionField] = mapped_column(enum_type(CorrectionField, "clinic_correction_field"))
    # {attribute: value} as JSON, for the attributes vocab.ATTRIBUTES names; `current` is what the listing said then.
    proposed: Mapped[dict] = mapped_column(JSON, default=dict)
    current: Mapped[dict] = mapped_column(JSON, default=dict)
    source_url: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # None when the person was not signed in (no account is needed to suggest).
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    status: Mapped[CorrectionStatus] = mapped_column(
        enum_type(CorrectionStatus, "clinic_correction_status"), default=CorrectionStatus.PENDING
    )
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    clinic: Mapped[Clinic] = relationship()
    submitter: Mapped[User | None] = relationship(foreign_keys=[submitter_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
