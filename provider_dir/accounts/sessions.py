"""Flask-Login wiring: sessions keyed by a per-user token, with idle and absolute timeouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, session
from flask_login import current_user, logout_user
from sqlalchemy import select

from provider_dir.accounts.models import User, new_session_token
from provider_dir.extensions import db, login_manager


def init_login(app: Flask) -> None:
    """Bind flask-login and the session timeout check."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        return db.session.scalar(select(User).where(User.session_token == token, User.active.is_(True)))

    @app.before_request
    def enforce_timeouts():
        if not current_user.is_authenticated:
            return
        now = datetime.now(UTC).timestamp()
        started = session.get("login_at", now)
        seen = session.get("seen_at", now)
        idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]).total_seconds()
        absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"]).total_seconds()
        if now - seen > idle or now - started > absolute:
            end_session(current_user)
            return
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
