"""Flask-Login wiring: sessions keyed by a per-user token, with idle and absolute timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, flash, g, request, session
from flask_login import current_user, logout_user
from sqlalchemy import select

from provider_dir.accounts.models import User, new_session_token
from provider_dir.core.proxies import session_identifier
from provider_dir.extensions import db, login_manager

# How stale "seen_at" may get before a request writes it again. A request that changes nothing in the session
# sends no cookie, so a stylesheet or icon still loading from the last page cannot answer after the next page
# with the older cookie and wipe what that page stored (a flashed message, a form's state).
SEEN_STEP_SECONDS = 60


def init_login(app: Flask) -> None:
    """Bind flask-login and the session timeout check."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    # flask-login's own fingerprint trusts any X-Forwarded-For; ours uses the address TRUSTED_PROXIES vouched for.
    login_manager._session_identifier_generator = session_identifier

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        return db.session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))

    app.before_request(forget_cached_user)
    app.before_request(enforce_timeouts)


def forget_cached_user() -> None:
    """Make each request load its account from its own cookie.

    flask-login caches the account on `g`, which lives as long as the app context; a request that reuses an
    app context already pushed (the test client inside a test's context does) would otherwise see the account
    of an earlier request.
    """
    g.pop("_login_user", None)


def session_expired(
    login_at: float | None, seen_at: float | None, now: float, idle_s: float, absolute_s: float
) -> bool:
    """Return True when a session has been idle too long or has lived too long (or lacks its timestamps)."""
    if login_at is None or seen_at is None:
        return True
    return now - seen_at > idle_s or now - login_at > absolute_s


def enforce_timeouts() -> None:
    """Log the browser out after the idle or absolute timeout; otherwise note that it was seen (once a minute)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = datetime.now(UTC).timestamp()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]).total_seconds()
    if session_expired(session.get("login_at"), session.get("seen_at"), now, idle, absolute):
        # The timestamps live in the signed cookie, so every copy of this cookie has expired too;
        # other devices keep their own sessions.
        logout_user()
        session.clear()
        flash("Your session expired. Please log in again.", "info")
        return
    if now - session["seen_at"] >= SEEN_STEP_SECONDS:
        session["seen_at"] = now


def start_session(user: User) -> None:
    """Record the start of a fresh session (the caller has already called login_user)."""
    now = datetime.now(UTC).timestamp()
    session["login_at"] = now
    session["seen_at"] = now


def end_session(user: User) -> None:
    """End the session on the server too: rotating the token invalidates every copy of the cookie."""
    user.session_token = new_session_token()
    db.session.commit()
    logout_user()
    session.clear()
