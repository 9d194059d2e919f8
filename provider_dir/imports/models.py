"""What an import leaves behind: the run itself, where each listing came from, and other sites' ratings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.listings.models import Clinic


class ImportRun(Base):
    """One import that wrote to the database: who ran it, when, from what, its counts and its report."""

    __tablename__ = "import_run"

    id: Mapped[intpk]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(String(120))
    filename: Mapped[str] = mapped_column(String(255), default="")
    file_format: Mapped[str] = mapped_column(String(20))
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[timestamp]
    finished_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    undo_report: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])

    @property
    def counts_line(self) -> str:
        """The report's last line."""
        return (f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"refused {self.refused}, duplicates {self.duplicates}")


class ListingSource(Base):
    """Where an imported listing came from: the source's name and page, the row's id there, when imported."""

    __tablename__ = "listing_source"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(120))
    source_id: Mapped[str] = mapped_column(String(120))
    source_url: Mapped[str] = mapped_column(String(300), default="")
    # A digest of the values the row set, so a re-import knows "unchanged" without comparing every column.
    row_digest: Mapped[str] = mapped_column(String(64), default="")
    created_by_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"), index=True)
    imported_on: Mapped[date] = mapped_column(Date)
    refreshed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[timestamp]

    clinic: Mapped[Clinic] = relationship()


class OutsideRating(Base):
    """Another site's rating of a clinic: shown apart from our reviews and never mixed into our averages."""

    __tablename__ = "outside_rating"
    __table_args__ = (UniqueConstraint("clinic_id", "site"),)

    id: Mapped[intpk]
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(String(80))
    stars: Mapped[float] = mapped_column(Float)
    rating_count: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(300), default="")
    rated_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[timestamp]
