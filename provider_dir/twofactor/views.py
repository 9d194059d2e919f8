"""The code step of logging in, and the account page's two-factor setup, recovery codes and turning it off."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

from provider_dir.accounts import services as accounts
from provider_dir.accounts.settings.changes import WrongPassword
from provider_dir.accounts.settings.email_views import private
from provider_dir.accounts.settings.views import current_password_limit
from provider_dir.accounts.views import begin_session, safe_next
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter
from provider_dir.reviews.http import explain_errors
from provider_dir.twofactor import codes, pending, services
from provider_dir.twofactor.forms import CodeForm, ConfirmSetupForm, TurnOffForm

bp = Blueprint("two_factor", __name__)
explain_errors(bp)

EXPIRED = "Your log-in waited too long for its code. Please enter your email and password again."


def account_key() -> str:
    """Rate-limit key of code checks: the account (logged in or half-way), so every client shares one budget."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    waiting = session.get(pending.PENDING)
    if isinstance(waiting, dict) and waiting.get("user"):
        return f"account:{waiting['user']}"
    return f"address:{get_remote_address()}"


def refused(response) -> bool:
    """Count only codes that were refused (the form sent back with 422)."""
    return response.status_code == 422


TOO_MANY_CODES = (
    "Too many wrong codes were typed for this account in a short time, so code checks are paused for it. Please "
    "wait a few minutes, then type the code your authenticator app shows at that moment."
)
# Every place that checks a code draws on one budget of wrong codes per account.
code_limit = limiter.shared_limit(
    configured("RATELIMIT_SECOND_FACTOR"), scope="second-factor", key_func=account_key, methods=["POST"],
    deduct_when=refused, error_message=TOO_MANY_CODES,
)  # fmt: skip


@bp.route("/login/code", methods=["GET", "POST"])
@code_limit
def login_code():
    """Ask for the code after the password; a right one finishes the log-in."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    user = pending.pending_user()
    if user is None:
        session.pop(pending.PENDING, None)
        flash(EXPIRED, "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            kind = services.check_code(user, form.code.data)
        except services.CodeRefused as exc:
            db.session.commit()
            form.code.errors.append(str(exc))
        else:
            target = safe_next(pending.pending_next())
            accounts.record_login(user)
            db.session.commit()
            begin_session(user)  # clears the half-way state with the rest of the old session
            flash("You are logged in.", "success")
            if kind == "recovery":
                left = services.recovery_codes_left(user)
                flash(f"You used a recovery code; {left} left. Make new ones from your account page if few are "
                      "left.", "info")  # fmt: skip
            return redirect(target)
    status = 422 if form.is_submitted() else 200
    return private((render_template("twofactor/login_code.html", form=form), status))


def _manage_page(status: int = 200, regenerate: CodeForm | None = None):
    user = current_user._get_current_object()
    factor = services.factor_of(user)
    return render_template(
        "twofactor/manage.html",
        factor=factor if factor is not None and factor.confirmed else None,
        required=services.required_for(user),
        codes_left=services.recovery_codes_left(user),
        start_form=FlaskForm(),
        regenerate_form=regenerate or CodeForm(formdata=None),
        next_url=request.args.get("next", ""),
    ), status


@bp.get("/account/two-factor")
@login_required
def manage():
    """Show whether two-factor sign-in is on, with the ways to set it up, renew recovery codes or turn it off."""
    return _manage_page()


@bp.post("/account/two-factor/setup")
@login_required
def start():
    """Make a new key for the account and show it for the app (nothing counts until a code confirms it)."""
    if FlaskForm().validate_on_submit():
        try:
            services.start_setup(current_user._get_current_object())
        except services.AlreadyOn as exc:
            flash(str(exc), "info")
            return redirect(url_for(".manage"))
        db.session.commit()
    return redirect(url_for(".confirm", next=request.args.get("next") or None))


@bp.route("/account/two-factor/confirm", methods=["GET", "POST"])
@login_required
@code_limit
def confirm():
    """Show the key as a QR code and in text; the first right code turns the factor on and shows recovery codes."""
    user = current_user._get_current_object()
    secret = services.setup_secret(user)
    if secret is None:
        return redirect(url_for(".manage"))
    form = ConfirmSetupForm()
    if form.validate_on_submit():
        recovery = _new_recovery_codes(form, services.confirm_setup, user)
        if recovery is not None:
            return _recovery_codes_page(recovery, first=True)
    uri = codes.provisioning_uri(secret, user.email)
    # The SVG is drawn by segno from the otpauth address; it holds paths only, no text typed by anyone.
    qr = Markup(codes.qr_svg(uri, "QR code of your sign-in key for an authenticator app"))  # noqa: S704 # nosec B704
    status = 422 if form.is_submitted() else 200
    return private((render_template("twofactor/confirm.html", form=form, qr=qr, key=codes.grouped(secret),
                                    next_url=request.args.get("next", "")), status))  # fmt: skip


def _new_recovery_codes(form, make, user) -> list[str] | None:
    """Return the recovery codes make(user, code) gives, or None with the refusal on the code field.

    Committed either way: a refused code is counted against the account's attempts.
    """
    try:
        recovery = make(user, form.code.data)
    except services.CodeRefused as exc:
        db.session.commit()
        form.code.errors.append(str(exc))
        return None
    db.session.commit()
    return recovery


def _recovery_codes_page(recovery: list[str], first: bool):
    """Show recovery codes once: the page is the answer to the POST, kept out of every cache."""
    next_url = request.args.get("next", "")
    return private((render_template("twofactor/recovery_codes.html", codes=[codes.grouped(c) for c in recovery],
                                    first=first, next_url=safe_next(next_url) if next_url else ""), 200))  # fmt: skip


@bp.post("/account/two-factor/recovery-codes")
@login_required
@code_limit
def regenerate():
    """Replace every recovery code, once a code is given; the new ones are shown once."""
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit():
        recovery = _new_recovery_codes(form, services.regenerate_recovery_codes, user)
        if recovery is not None:
            return _recovery_codes_page(recovery, first=False)
    return _manage_page(422, regenerate=form)


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@login_required
@current_password_limit
@code_limit
def turn_off():
    """Turn two-factor sign-in off with the password and a code."""
    user = current_user._get_current_object()
    if not services.is_on(user):
        return redirect(url_for(".manage"))
    form = TurnOffForm()
    if form.validate_on_submit():
        try:
            services.turn_off(user, form.current_password.data, form.code.data)
        except WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        except services.CodeRefused as exc:
            db.session.commit()
            form.code.errors.append(str(exc))
        else:
            db.session.commit()
            message = "Two-factor sign-in is off. Log-in now asks only for your password."
            if services.required_for(user):
                message += " Your role needs it: set it up again before you use the queues or admin pages."
            flash(message, "success")
            return redirect(url_for(".manage"))
    status = 422 if form.is_submitted() else 200
    return render_template("twofactor/turn_off.html", form=form), status
