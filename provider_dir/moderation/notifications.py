"""Notifications: how reporters and authors learn the outcome of a moderation decision."""

from __future__ import annotations

from sqlalchemy import Select, func, select, update

from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import Notification


def notify(user_id: int, message: str, link: str = "") -> Notification:
    """Queue a notification for one account in the current transaction."""
    note = Notification(user_id=user_id, message=message[:500], link=link[:300])
    db.session.add(note)
    return note


def for_user(user_id: int) -> Select:
    """Return an account's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def unread_count(user_id: int) -> int:
    """Return how many notifications the account has not marked as read."""
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    )


def mark_all_read(user_id: int) -> None:
    """Mark every notification of the account as read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
