"""Runs of the scheduled jobs: one row per job and period, claimed by inserting it, so a job runs once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_dir.models.base import Base, LabelledEnum, enum_type, intpk, timestamp


class JobStatus(LabelledEnum):
    """How a job's run went."""

    RUNNING = ("running", "Running")
    DONE = ("done", "Done")
    FAILED = ("failed", "Failed")


class JobRun(Base):
    """One run of a scheduled job for one period (e.g. the backup of 2026-12-04)."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "period"),)

    id: Mapped[intpk]
    job: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, "job_status"), default=JobStatus.RUNNING)
    worker: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[timestamp]
    finished_at: Mapped[datetime | None]
    summary: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
