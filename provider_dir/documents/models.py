"""Uploaded documents (claim proofs, credential cards, checklist evidence), stored outside the static folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.models.base import Base, enum_type, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.listings.models import Clinic


class Document(Base):
    """One uploaded file; its bytes live under the uploads folder by a generated name, never the uploader's."""

    __tablename__ = "document"

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    purpose: Mapped[DocumentPurpose] = mapped_column(enum_type(DocumentPurpose, "document_purpose"))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[timestamp]

    clinic: Mapped[Clinic] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
