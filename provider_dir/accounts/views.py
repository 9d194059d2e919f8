"""Register, log in, log out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from provider_dir.accounts import services
from provider_dir.accounts.forms import LoginForm, RegisterForm
from provider_dir.accounts.sessions import end_session, start_session
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter
from provider_dir.mail.services import MailError
from provider_dir.twofactor import pending
from provider_dir.twofactor import services as second_factor

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


def email_key() -> str:
    """Rate-limit key: the address typed into the form, so one inbox cannot be flooded from many clients."""
    return "email:" + services.normalise_email(request.form.get("email", ""))[:254]


MAIL_DOWN = (
    "We could not send the email just now, so nothing was saved. Please try again in a few minutes; "
    "if it keeps failing, the site's mail server may be down."
)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_REGISTER"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_REGISTER_EMAIL"), methods=["POST"], key_func=email_key)
def register():
    """Create a pseudonymous patient account; the same answer whether or not the address has an account."""
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.register(form.email.data, form.password.data, form.display_name.data)
            db.session.commit()
        except services.DisplayNameTaken as exc:
            form.display_name.errors.append(str(exc))
        except MailError:
            db.session.rollback()
            current_app.logger.exception("sign-up mail failed")
            flash(MAIL_DOWN, "error")
            status = 503
        except IntegrityError:  # someone took the same email or name a moment ago
            db.session.rollback()
            form.email.errors.append("That email or display name was just taken. Please try again.")
        else:
            return redirect(url_for("accounts.check_email"))
    if status == 200 and form.is_submitted():
        status = 422
    return render_template("accounts/register.html", form=form), status


@bp.get("/register/check-email")
def check_email():
    """Ask the new user to follow the link mailed to them (shown after every accepted sign-up form)."""
    return render_template("accounts/check_email.html")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_LOGIN"), methods=["POST"])
def login():
    """Log in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and second_factor.is_on(user):
            db.session.commit()  # a rehashed password
            return pending.ask_for_code(user, safe_next(request.args.get("next")))
        if user is not None:
            services.record_login(user)
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
