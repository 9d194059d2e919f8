"""Register, log in, log out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from provider_dir.accounts import services
from provider_dir.accounts.forms import LoginForm, RegisterForm
from provider_dir.accounts.sessions import end_session, start_session
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter

bp = Blueprint("accounts", __name__)

LOGIN_FAILED = "That email and password do not match an account. Please check both and try again."


def safe_next(target: str | None) -> str:
    """Return target when it is a path on this site, else the home page (no open redirects)."""
    if target and target.startswith("/") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


def begin_session(user) -> None:
    """Replace whatever session the browser had with a fresh one for this account."""
    session.clear()
    login_user(user)
    start_session(user)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    """Create a pseudonymous patient account."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.password.data, form.display_name.data)
            db.session.commit()
        except services.DisplayNameTaken as exc:
            form.display_name.errors.append(str(exc))
        except services.EmailTaken as exc:
            form.email.errors.append(str(exc))
        except IntegrityError:  # someone took the same email or name a moment ago
            db.session.rollback()
            form.email.errors.append("That email or display name was just taken. Please try again.")
        else:
            begin_session(user)
            flash(f"Welcome, {user.display_name}! Your account is ready.", "success")
            return redirect(url_for("core.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            begin_session(user)
            flash("You are logged in.", "success")
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(LOGIN_FAILED)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """End the session on the server and in the browser."""
    form = FlaskForm()
    if form.validate_on_submit():
        end_session(current_user._get_current_object())
        flash("You are logged out.", "info")
    return redirect(url_for("core.home"))
