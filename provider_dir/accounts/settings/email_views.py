"""The emailed links: confirming an address (and sending the link again), and resetting a forgotten password.

Following a link only shows a page; the change happens when its button is pressed (a POST with a CSRF
token), so a mail scanner that opens links cannot use them up.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm

from provider_dir.accounts import links, services
from provider_dir.accounts.forms import NewPasswordForm, ResetRequestForm
from provider_dir.accounts.views import email_key, safe_next
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter
from provider_dir.mail.services import MailError
from provider_dir.reviews.limits import account_or_address

bp = Blueprint("account_email", __name__)


def private(response_and_status):
    """Keep a page whose address holds a token out of caches and out of other sites' Referer headers."""
    response = current_app.make_response(response_and_status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def link_problem(exc: links.LinkProblem):
    """Render the 400 page of an unusable link, with the way to get a new one."""
    return private((render_template("accounts/link_problem.html", message=str(exc), purpose=exc.purpose), 400))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Show the confirmation button for a mailed link; pressing it confirms the address."""
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            user = links.confirm_email(token)
            db.session.commit()
        except links.LinkProblem as exc:  # raised before anything changed
            return link_problem(exc)
        if current_user.is_authenticated and current_user.id == user.id:
            flash("Thank you: your email address is confirmed.", "success")
            return redirect(url_for("core.home"))
        flash("Thank you: your email address is confirmed. Log in to continue.", "success")
        return redirect(url_for("accounts.login"))
    try:
        links.check_confirmation(token)
    except links.LinkProblem as exc:
        return link_problem(exc)
    return private((render_template("accounts/confirm.html", form=form), 200))


@bp.post("/confirm/resend")
@login_required
# Keyed by the account's id: its session token (what get_id() returns) changes at every log-in.
@limiter.limit(configured("RATELIMIT_CONFIRM_RESEND"), key_func=account_or_address)
def resend():
    """Mail the logged-in account a new confirmation link."""
    form = FlaskForm()
    back = safe_next(request.form.get("next"))
    if not form.validate_on_submit():
        flash("Your form expired. Please press the button again.", "error")
        return redirect(back)
    user = current_user._get_current_object()
    if user.email_confirmed:
        flash("Your email address is already confirmed.", "info")
        return redirect(back)
    try:
        links.send_confirmation(user)
        db.session.commit()
    except MailError:
        current_app.logger.exception("confirmation mail failed")
        flash("We could not send the email just now. Please try again in a few minutes.", "error")
        return redirect(back)
    flash(f"A new confirmation link is on its way to {user.email}. It works for 48 hours.", "success")
    return redirect(back)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_RESET_CLIENT"), methods=["POST"])
@limiter.limit(configured("RATELIMIT_RESET_EMAIL"), methods=["POST"], key_func=email_key)
def reset_request():
    """Ask for a password reset link; the answer is the same whether or not the address has an account."""
    form = ResetRequestForm()
    status = 200
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        try:
            links.send_reset(services.find_by_email(email), email)
            db.session.commit()
        except MailError:
            current_app.logger.exception("reset mail failed")
            flash("We could not send the email just now. Please try again in a few minutes.", "error")
            status = 503
        else:
            return redirect(url_for("account_email.reset_sent"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/reset_request.html", form=form), status


@bp.get("/reset/sent")
def reset_sent():
    """Say that a link is on its way if the address has an account."""
    return render_template("accounts/reset_sent.html")


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a mailed link, which works once and for one hour."""
    try:
        user = links.check_reset_token(token)
    except links.LinkProblem as exc:
        return link_problem(exc)
    form = NewPasswordForm()
    form.context = (user.email, user.display_name)
    if form.validate_on_submit():
        try:
            links.reset_password(token, form.password.data)
            db.session.commit()
        except links.LinkProblem as exc:  # raised before anything changed
            return link_problem(exc)
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(
            "Your password is changed and every session of your account has ended. Log in with your new password.",
            "success",
        )
        return redirect(url_for("accounts.login"))
    status = 422 if form.is_submitted() else 200
    return private((render_template("accounts/reset_password.html", form=form), status))
