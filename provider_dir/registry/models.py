"""Loaded registry files, their rows, the stored result of every check, and possible exclusions to confirm."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.models.base import Base, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.accounts.models import User
    from provider_dir.credentials.models import Credential, StaffMember

# RegistryLoad.state: rows being written (invisible), the one current load per source, or replaced / failed.
LOADING, CURRENT, REPLACED, FAILED = "loading", "current", "replaced", "failed"


class RegistryLoad(Base):
    """One file loaded from a registry; only the load in state "current" is read, so a swap is one UPDATE."""

    __tablename__ = "registry_load"
    __table_args__ = (Index("ix_registry_load_source_state", "source", "state"),)

    id: Mapped[intpk]
    source: Mapped[str] = mapped_column(String(10))  # nppes or leie
    file_name: Mapped[str] = mapped_column(String(200))
    file_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default=LOADING)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_kept: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[timestamp]
    finished_at: Mapped[datetime | None]


class NppesRecord(Base):
    """The fields of one NPPES row that the checks read."""

    __tablename__ = "nppes_record"
    __table_args__ = (UniqueConstraint("load_id", "npi"),)

    id: Mapped[intpk]
    load_id: Mapped[int] = mapped_column(ForeignKey("registry_load.id", ondelete="CASCADE"))
    npi: Mapped[str] = mapped_column(String(10))
    entity_type: Mapped[int | None] = mapped_column(SmallInteger)
    replacement_npi: Mapped[str] = mapped_column(String(10), default="")
    last_name: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(60), default="")
    middle_name: Mapped[str] = mapped_column(String(60), default="")
    name_suffix: Mapped[str] = mapped_column(String(10), default="")
    credential_text: Mapped[str] = mapped_column(String(40), default="")
    organization_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    city: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(40), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    telephone: Mapped[str] = mapped_column(String(20), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")
    last_update: Mapped[date | None] = mapped_column(Date)
    deactivated_on: Mapped[date | None] = mapped_column(Date)
    reactivated_on: Mapped[date | None] = mapped_column(Date)
    # [[taxonomy code, licence number, licence state, primary "Y"/"N"/""], ...] in the file's order.
    taxonomies: Mapped[list] = mapped_column(JSON, default=list)


class LeieRecord(Base):
    """One row of the OIG exclusions file."""

    __tablename__ = "leie_record"
    __table_args__ = (
        Index("ix_leie_record_load_npi", "load_id", "npi"),
        Index("ix_leie_record_load_name", "load_id", "first_key", "state"),
    )

    id: Mapped[intpk]
    load_id: Mapped[int] = mapped_column(ForeignKey("registry_load.id", ondelete="CASCADE"))
    last_name: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(60), default="")
    middle_name: Mapped[str] = mapped_column(String(60), default="")
    business_name: Mapped[str] = mapped_column(String(200), default="")
    general: Mapped[str] = mapped_column(String(60), default="")
    specialty: Mapped[str] = mapped_column(String(60), default="")
    npi: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    exclusion_type: Mapped[str] = mapped_column(String(20), default="")
    excluded_on: Mapped[date | None] = mapped_column(Date)
    # Normalised names (registry.checks.names.name_key) so a name look-up is an index seek.
    last_key: Mapped[str] = mapped_column(String(60), default="")
    first_key: Mapped[str] = mapped_column(String(60), default="")


class RegistryCheck(Base):
    """The latest result of one check of one credential (NPI, licence) or one clinician (LEIE)."""

    __tablename__ = "registry_check"
    __table_args__ = (
        UniqueConstraint("staff_member_id", "credential_id", "what"),
        Index("ix_registry_check_credential", "credential_id"),
        # The transparency report counts a month's checks by this (registry.services.checks_run).
        Index("ix_registry_check_checked_at", "checked_at"),
    )

    id: Mapped[intpk]
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    # None for a check of the person (the LEIE); the unique key then holds through `what` alone per person.
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credential.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(10))  # npi, licence, leie
    source: Mapped[str] = mapped_column(String(10))  # NPPES or LEIE
    via: Mapped[str] = mapped_column(String(4))  # file or api
    source_date: Mapped[date | None] = mapped_column(Date)  # the file's date; None when the API answered
    result: Mapped[str] = mapped_column(String(20))
    # What the registry holds (its name, taxonomies, licences, dates) and each part's verdict, for moderators.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    checked_at: Mapped[timestamp]
    previous_result: Mapped[str | None] = mapped_column(String(20))
    changed_at: Mapped[datetime | None]
    # Set when the result changed since the previous check; cleared when a moderator decides the credential.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)

    credential: Mapped[Credential | None] = relationship()
    staff_member: Mapped[StaffMember] = relationship()


class ExclusionMatch(Base):
    """A possible LEIE match of a clinician: private until a moderator confirms it against the OIG's record."""

    __tablename__ = "exclusion_match"
    __table_args__ = (Index("ix_exclusion_match_staff_state", "staff_member_id", "state"),)

    id: Mapped[intpk]
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    matched_by: Mapped[str] = mapped_column(String(10))  # npi or name_state
    # A copy of the LEIE row: the file is replaced monthly, the moderator's decision must keep what it was about.
    leie_name: Mapped[str] = mapped_column(String(200))
    leie_npi: Mapped[str] = mapped_column(String(10), default="")
    leie_state: Mapped[str] = mapped_column(String(2), default="")
    leie_city: Mapped[str] = mapped_column(String(60), default="")
    leie_specialty: Mapped[str] = mapped_column(String(120), default="")
    exclusion_type: Mapped[str] = mapped_column(String(20), default="")
    excluded_on: Mapped[date | None] = mapped_column(Date)
    source_date: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending, confirmed, dismissed, lifted
    found_at: Mapped[timestamp]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(String(500), default="")

    staff_member: Mapped[StaffMember] = relationship()
    decided_by: Mapped[User | None] = relationship()
