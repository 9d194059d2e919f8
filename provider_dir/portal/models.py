"""What clinic owners create: single-use invitation codes and public replies to reviews."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, enum_type, intpk, timestamp, utcnow
from provider_dir.portal.vocab import ChangeKind, ChangeStatus, ClaimMethod, ClaimStatus

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.documents.models import Document
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


class ClinicClaim(Base):
    """A signed-in user's request to manage a listing, with the proof they gave and the moderator's decision."""

    __tablename__ = "clinic_claim"
    __table_args__ = (Index("ix_clinic_claim_status_created", "status", "created_at"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role_at_clinic: Mapped[str] = mapped_column(String(120))
    method: Mapped[ClaimMethod] = mapped_column(enum_type(ClaimMethod, "claim_method"))
    status: Mapped[ClaimStatus] = mapped_column(
        enum_type(ClaimStatus, "claim_status"), default=ClaimStatus.AWAITING_CODE
    )
    # DOMAIN_EMAIL: the address at the clinic's domain, the code's hash, and when it was confirmed.
    proof_email: Mapped[str] = mapped_column(String(254), default="")
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    code_sent_at: Mapped[datetime | None]
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_confirmed_at: Mapped[datetime | None]
    # DOCUMENT: the uploaded proof.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    terms_version: Mapped[str] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime]
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    clinic: Mapped[Clinic] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    document: Mapped[Document | None] = relationship()


class ListingChange(Base):
    """A new listing, or an edit the listing-text screen held, waiting for a moderator to publish it."""

    __tablename__ = "listing_change"
    __table_args__ = (Index("ix_listing_change_status_created", "status", "created_at"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "listing_change_kind"))
    status: Mapped[ChangeStatus] = mapped_column(
        enum_type(ChangeStatus, "listing_change_status"), default=ChangeStatus.PENDING
    )
    # {field: [old, new]} for the fields this change would set; JSON-ready values.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The phrases the screen found (cure, guarantee, miracle...), for the moderator.
    flagged_phrases: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    clinic: Mapped[Clinic] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class OwnerTermsAcceptance(Base):
    """An owner's acceptance of the terms that forbid gagging or paying patients for reviews."""

    __tablename__ = "owner_terms_acceptance"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    terms_version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[timestamp]
