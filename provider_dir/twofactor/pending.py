"""The half-finished log-in: the password passed, the code is still to come; kept in the session for a few minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, redirect, session, url_for
from sqlalchemy import select

from provider_dir.accounts.models import User
from provider_dir.extensions import db

PENDING = "second_factor_pending"


def _now() -> float:
    return datetime.now(UTC).timestamp()


def ask_for_code(user: User, next_url: str):
    """Forget whatever session the browser had, remember who passed the password, and send it to the code form."""
    session.clear()
    session[PENDING] = {"user": user.id, "at": _now(), "next": next_url}
    return redirect(url_for("two_factor.login_code"))


def pending_user() -> User | None:
    """Return the account waiting for its code, or None when there is none or it waited too long."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    limit = timedelta(minutes=current_app.config["SECOND_FACTOR_PENDING_MINUTES"]).total_seconds()
    if _now() - float(pending.get("at", 0)) > limit:
        return None
    return db.session.scalar(select(User).where(User.id == pending.get("user"), User.active.is_(True)))


def pending_next() -> str:
    """Return where the browser asked to go after logging in."""
    pending = session.get(PENDING)
    return pending.get("next", "/") if isinstance(pending, dict) else "/"

