"""The account page: change the password or the email address, each behind the current password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError

from provider_dir.accounts import links, tokens
from provider_dir.accounts.forms import ChangeEmailForm, ChangePasswordForm
from provider_dir.accounts.settings import changes
from provider_dir.accounts.settings.email_views import link_problem, private
from provider_dir.accounts.views import MAIL_DOWN, begin_session
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter
from provider_dir.mail.services import MailError
from provider_dir.reviews.limits import account_or_address, succeeded
from provider_dir.twofactor import services as second_factor

bp = Blueprint("account_settings", __name__, url_prefix="/account")

# Both forms check the current password, so they share one budget of guesses per account, as log-in has per address.
current_password_limit = limiter.shared_limit(
    configured("RATELIMIT_CURRENT_PASSWORD"), scope="current-password", key_func=account_or_address, methods=["POST"]
)


def notify(send, *args) -> None:
    """Queue a notice in the change's transaction; when no link can be built it is logged and told, never undoes it."""
    try:
        send(*args)
    except MailError:
        current_app.logger.exception("account notice mail failed")
        flash("We could not send the notice email just now; the change itself is saved.", "info")


@bp.get("/")
@login_required
def index():
    """Show the account's address and the ways to change the password or the address."""
    return render_template("accounts/settings.html", second_factor_on=second_factor.is_on(current_user))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@current_password_limit
def password():
    """Change the password; every other session of the account ends and this browser gets a fresh one."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.context = (user.email, user.display_name)
    if form.validate_on_submit():
        try:
            changes.change_password(user, form.current_password.data, form.password.data)
        except changes.WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        else:
            notify(changes.send_password_changed, user)
            db.session.commit()
            begin_session(user)
            flash("Your password is changed. You stay logged in here; every other session has ended.", "success")
            return redirect(url_for(".index"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/change_password.html", form=form), status


@bp.route("/email", methods=["GET", "POST"])
@login_required
@current_password_limit
@limiter.limit(configured("RATELIMIT_EMAIL_CHANGE"), methods=["POST"], key_func=account_or_address,
               deduct_when=succeeded)  # fmt: skip
def email():
    """Ask to move the account to a new address; a link mailed there makes the change."""
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    status = 200
    if form.validate_on_submit():
        try:
            new_email = changes.request_email_change(user, form.current_password.data, form.email.data)
            db.session.commit()
        except changes.WrongPassword as exc:
            form.current_password.errors.append(str(exc))
        except changes.SameEmail as exc:
            form.email.errors.append(str(exc))
        except MailError:
            current_app.logger.exception("address change mail failed")
            flash(MAIL_DOWN, "error")
            status = 503
        else:
            flash(f"A link is on its way to {new_email}. Open it within 24 hours to finish the change; until then you "
                  f"log in with {user.email}.", "success")  # fmt: skip
            return redirect(url_for(".index"))
    if status == 200 and form.is_submitted():
        status = 422
    return render_template("accounts/change_email.html", form=form), status


def _commit_address_link(change, token: str, purpose: str, taken_message: str, notice):
    """Make a link's address change, queue its notice and commit both; return (its result, None) or (None, 400 page)."""
    try:
        done = change(token)
        notice(done)
        db.session.commit()
    except links.LinkProblem as exc:  # raised before anything changed
        return None, link_problem(exc)
    except IntegrityError:  # another account took the address a moment ago
        db.session.rollback()
        return None, link_problem(links.LinkProblem(purpose, taken_message))
    return done, None


@bp.route("/email/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """Show the button for a link mailed to a new address; pressing it moves the account there."""
    form = FlaskForm()
    if form.validate_on_submit():
        done, refusal = _commit_address_link(changes.change_email, token, tokens.CHANGE_EMAIL, changes.TAKEN_SINCE,
                                             lambda done: notify(changes.send_email_changed, *done))
        if refusal:
            return refusal
        user, old_email = done
        flash(f"Your email address is now {user.email}. Log in with it from now on.", "success")
        signed_in_here = current_user.is_authenticated and current_user.id == user.id
        return redirect(url_for(".index" if signed_in_here else "accounts.login"))
    try:
        _, new_email = links.check_email_change(token)
    except links.LinkProblem as exc:
        return link_problem(exc)
    return private((render_template("accounts/confirm_email_change.html", form=form, new_email=new_email), 200))


@bp.route("/email/undo/<token>", methods=["GET", "POST"])
def undo_email_change(token: str):
    """Show the button for the link mailed to an old address; pressing it moves the account back and locks it."""
    form = FlaskForm()
    if form.validate_on_submit():
        done, refusal = _commit_address_link(
            changes.undo_email_change, token, tokens.UNDO_EMAIL_CHANGE, changes.OLD_ADDRESS_TAKEN,
            lambda done: notify(links.send_reset, done[0], done[0].email),
        )
        if refusal:
            return refusal
        user, _ = done
        if current_user.is_authenticated and current_user.id == user.id:
            logout_user()
        flash(f"Your account uses {user.email} again and every session has ended. We sent a link to that address to "
              "choose a new password.", "success")  # fmt: skip
        return redirect(url_for("accounts.login"))
    try:
        user, old_email = links.check_email_undo(token)
    except links.LinkProblem as exc:
        return link_problem(exc)
    return private((render_template("accounts/undo_email_change.html", form=form, old_email=old_email,
                                    new_email=user.email), 200))  # fmt: skip
