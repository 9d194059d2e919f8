"""The outbox: every email the site sends, stored with the action that caused it until the worker delivers it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from provider_dir.models.base import Base, LabelledEnum, enum_type, intpk, timestamp


class MailStatus(LabelledEnum):
    """Where a stored email stands."""

    WAITING = ("waiting", "Waiting to be sent")
    SENDING = ("sending", "Being sent by a worker")
    SENT = ("sent", "Sent")
    FAILED = ("failed", "Undeliverable")


class OutgoingMail(Base):
    """One email: its Message-ID is made when the row is, so a resend after a crash carries the same id."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "status", "next_attempt_at"),)

    id: Mapped[intpk]
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    sender: Mapped[str] = mapped_column(String(254))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus, "mail_status"), default=MailStatus.WAITING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[timestamp]
    # Retries stop, and the message is listed for admins, once this passes (a day after it was queued or retried).
    give_up_at: Mapped[datetime]
    # A worker's claim: its token and when the claim lapses (a worker killed mid-send leaves it to lapse).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
