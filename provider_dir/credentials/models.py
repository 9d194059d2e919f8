"""Staff members of a clinic and their credentials."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.models.base import Base, enum_type, intpk, timestamp
from provider_dir.moderation.vocab import RefusalReason

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.documents.models import Document
    from provider_dir.listings.models import Clinic


class StaffMember(Base):
    """A person who works at a clinic, in one role."""

    __tablename__ = "staff_member"

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    degree: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[StaffRole] = mapped_column(enum_type(StaffRole, "staff_role"))
    bio: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[timestamp]

    clinic: Mapped[Clinic] = relationship(back_populates="staff")
    credentials: Mapped[list[Credential]] = relationship(
        back_populates="staff_member", cascade="all, delete-orphan", order_by="Credential.id"
    )

    @property
    def display_name(self) -> str:
        """Name with degree, as a patient reads it."""
        return f"{self.full_name}, {self.degree}" if self.degree else self.full_name


class Credential(Base):
    """A licence, registration or certificate held by a staff member."""

    __tablename__ = "credential"

    id: Mapped[intpk]
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CredentialKind] = mapped_column(enum_type(CredentialKind, "credential_kind"))
    identifier: Mapped[str] = mapped_column(String(60), default="")
    issuer: Mapped[str] = mapped_column(String(120), default="")
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)  # the transparency report counts expiries
    status: Mapped[CredentialStatus] = mapped_column(
        enum_type(CredentialStatus, "credential_status"), default=CredentialStatus.SELF_REPORTED
    )
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    # How the moderator checked it, and the registry's reference (or the document) they relied on.
    verification_method: Mapped[VerificationMethod | None] = mapped_column(
        enum_type(VerificationMethod, "credential_verification_method")
    )
    verification_reference: Mapped[str] = mapped_column(String(200), default="")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(String(40))
    # When the owner last added or changed it: the credential queue is ordered by this, oldest first.
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[timestamp]
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    staff_member: Mapped[StaffMember] = relationship(back_populates="credentials")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    document: Mapped[Document | None] = relationship()

    def effective_status(self, today: date | None = None) -> CredentialStatus:
        """Return the status as of today: a passed expiry date makes it expired, with no job to run."""
        today = today or date.today()
        if self.expires_on is not None and self.expires_on < today:
            return CredentialStatus.EXPIRED
        return self.status

    @property
    def refusal_label(self) -> str:
        """Why a moderator refused it, in words, or an empty string when it was not refused."""
        if self.status != CredentialStatus.REFUSED or not self.decision_reason:
            return ""
        try:
            return RefusalReason(self.decision_reason).label
        except ValueError:
            return self.decision_reason
