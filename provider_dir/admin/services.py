"""Account administration: every change checked against what the admin saw and written to the audit log.

The site always keeps one active admin: an admin can demote or deactivate another admin, never the last one.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from provider_dir.accounts.models import User, new_session_token
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.moderation import log as audit

TARGET = "user"
LAST_ADMIN_MESSAGE = (
    "This is the last active admin account, so it cannot be demoted or deactivated: make another account an "
    "admin first."
)
STALE_MESSAGE = "This account changed after you opened it. Nothing was changed; please look at it again."


class LastAdmin(Exception):
    """The change would leave the site without an active admin."""


class StaleChange(Exception):
    """The account is no longer as the admin saw it."""


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(text: str = "", role: UserRole | None = None) -> Select:
    """Return accounts whose email or display name contains text (any case), newest first."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    text = text.strip()
    if text:
        pattern = _like_pattern(text.lower())
        query = query.where(
            or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\"))
        )
    if role is not None:
        query = query.where(User.role == role)
    return query


def active_admin_ids() -> list[int]:
    """Return the ids of the active admins, locking their rows until the transaction ends (PostgreSQL).

    Two admins demoting each other at once then run one after the other, and the second sees the first's
    change. SQLite needs no lock: its write transactions already run one at a time.
    """
    return list(
        db.session.scalars(
            select(User.id).where(User.role == UserRole.ADMIN, User.active.is_(True)).with_for_update()
        )
    )


def _ensure_not_last_admin(user: User) -> None:
    if user.role == UserRole.ADMIN and user.active and active_admin_ids() in ([], [user.id]):
        raise LastAdmin(LAST_ADMIN_MESSAGE)


def change_role(admin: User, user: User, new_role: UserRole, seen_role: UserRole, note: str = "") -> bool:
    """Give the account a new role; return False when it already has it (nothing logged).

    Raise StaleChange when its role is no longer the one the admin saw, LastAdmin for the last active admin.
    """
    if user.role != seen_role:
        raise StaleChange(STALE_MESSAGE)
    if new_role == user.role:
        return False
    if new_role != UserRole.ADMIN:
        _ensure_not_last_admin(user)
    old = user.role
    user.role = new_role
    audit.record(
        admin, "user_role_changed", user.id, note=note, target_type=TARGET,
        changes={"role": [old.value, new_role.value]},
    )  # fmt: skip
    return True


def set_active(admin: User, user: User, active: bool, note: str = "") -> bool:
    """Deactivate (ending every session at once) or reactivate the account; return False when already so."""
    if user.active == active:
        return False
    if not active:
        _ensure_not_last_admin(user)
    user.active = active
    # A new token ends every session now; on reactivation the old cookies stay dead too.
    user.session_token = new_session_token()
    audit.record(
        admin, "user_reactivated" if active else "user_deactivated", user.id, note=note, target_type=TARGET,
        changes={"active": [not active, active]},
    )  # fmt: skip
    return True
