"""Write the moderation log: every transition of a review, with its actor, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason, RejectionReason

REVIEW = "review"


def record(
    actor: User | None,
    action: str,
    target_id: int,
    reason: RejectionReason | ApprovalBasis | RefusalReason | None = None,
    note: str = "",
    target_type: str = REVIEW,
    clinic_id: int | None = None,
    changes: dict | None = None,
) -> ModerationLog:
    """Add one log row to the session; it commits (or rolls back) with the change it describes.

    The same table is the audit log of the portal and of account administration: clinic_id names the clinic an
    entry concerns and changes holds {field: [old, new]}.
    """
    entry = ModerationLog(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason.value if reason is not None else None,
        note=note,
        clinic_id=clinic_id,
        changes=changes,
    )
    db.session.add(entry)
    return entry


def recent_entries() -> Select:
    """Return the log, newest first."""
    return (
        select(ModerationLog)
        .options(selectinload(ModerationLog.actor))
        .order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc())
    )


def history(target_id: int, target_type: str = REVIEW) -> list[ModerationLog]:
    """Return every logged transition of one item, oldest first."""
    return list(
        db.session.scalars(
            select(ModerationLog)
            .where(ModerationLog.target_type == target_type, ModerationLog.target_id == target_id)
            .order_by(ModerationLog.created_at, ModerationLog.id)
        )
    )
