"""What a signed-in account changes about itself, each behind its current password: the password and the address."""

from __future__ import annotations

import secrets

from provider_dir.accounts import links, services, tokens
from provider_dir.accounts.links import SIGN_OFF, LinkProblem
from provider_dir.accounts.models import User, new_session_token
from provider_dir.accounts.passwords import hash_password, verify_password
from provider_dir.mail.links import absolute_url
from provider_dir.mail.services import queue_mail
from provider_dir.models.base import utcnow
from provider_dir.moderation import log as audit

WRONG_PASSWORD = "That is not your current password, so nothing was changed. Please try again."  # noqa: S105 - a message
OLD_ADDRESS_TAKEN = (
    "Another account uses this address now, so your account could not be moved back to it. Please ask the site's "
    "administrators for help."
)
TAKEN_SINCE = (
    "Another account started using this address after the link was sent, so your address was not changed. "
    "Choose another address from your account page."
)


class WrongPassword(ValueError):
    """The current password given does not match the account's."""


class SameEmail(ValueError):
    """The new address is the account's address already."""


def check_current_password(user: User, password: str) -> None:
    """Raise WrongPassword unless password is the account's current one."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword(WRONG_PASSWORD)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password once the current one is given, end every session of the account and log it.

    Rotating the session token ends every copy of every session cookie; the caller starts a fresh session for the
    browser that made the change.
    """
    check_current_password(user, current_password)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    audit.record(user, "password_changed", user.id, note="signed in, with the current password", target_type="user")


def send_password_changed(user: User) -> None:
    """Tell the account's address that its password was changed (queued: the caller commits)."""
    queue_mail(
        user.email,
        "Your password was changed",
        f"Hello {user.display_name},\n\nThe password of your account was just changed by someone signed in to it "
        "who knew the old password. Every other session of the account has ended.\n\n"
        "If it was you, there is nothing more to do. If it was not you, reset your password now with a link sent "
        f"to this address: {absolute_url('account_email.reset_request')}\n" + SIGN_OFF,
    )


def request_email_change(user: User, current_password: str, new_email: str) -> str:
    """Mail a link to a new address (or a note when another account uses it) once the password is given.

    Return the new address as stored. Nothing changes until the link is used. Raise WrongPassword, SameEmail or
    MailError.
    """
    check_current_password(user, current_password)
    new_email = services.normalise_email(new_email)
    if new_email == services.normalise_email(user.email):
        raise SameEmail("That is your email address already. Enter the new address you want to use.")
    links.send_email_change(user, new_email, taken=services.find_by_email(new_email) is not None)
    return new_email


def change_email(token: str) -> tuple[User, str]:
    """Move the account to the address in a link, which counts as confirmed, and log it; return it and the old one.

    Raise LinkProblem for an unusable link or an address another account took since it was sent.
    """
    user, new_email = links.check_email_change(token)
    if services.find_by_email(new_email) is not None:
        raise LinkProblem(tokens.CHANGE_EMAIL, TAKEN_SINCE)
    old_email, was_confirmed = user.email, user.email_confirmed
    user.email = new_email
    user.email_confirmed_at = utcnow()  # following the link proved the new address is theirs
    audit.record(
        user, "email_changed", user.id, note="by emailed link", target_type="user",
        changes={"email": [old_email, new_email], "email_confirmed": [was_confirmed, True]},
    )  # fmt: skip
    return user, old_email


def send_email_changed(user: User, old_email: str) -> None:
    """Tell the old address that the account now uses another one, with a link to move it back (the caller commits)."""
    undo = absolute_url("account_settings.undo_email_change", token=links.email_undo_token(user, old_email))
    queue_mail(
        old_email,
        "Your email address was changed",
        f"Hello {user.display_name},\n\nYour account now uses the email address {user.email}; this address no "
        "longer logs in to it.\n\nIf it was you, there is nothing more to do.\n\n"
        "If it was not you, someone knows your password. Within 7 days, open this link and press its button: "
        "the account moves back to this address, every session ends, and we send a link here to choose a new "
        f"password.\n\n{undo}\n" + SIGN_OFF,
    )


def undo_email_change(token: str) -> tuple[User, str]:
    """Move the account back to the address an undo link was mailed to; return it and the address it leaves.

    Whoever made the change knew the password, so the password is replaced by one nobody knows and every session
    ends: the owner chooses a new one through a reset link to the restored address. Raise LinkProblem for an
    unusable link, or when another account has taken the old address since.
    """
    user, old_email = links.check_email_undo(token)
    if services.find_by_email(old_email) is not None:
        raise LinkProblem(tokens.UNDO_EMAIL_CHANGE, OLD_ADDRESS_TAKEN)
    left = user.email
    user.email = old_email
    user.email_confirmed_at = utcnow()  # the link reached this address
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.session_token = new_session_token()
    audit.record(
        user, "email_change_undone", user.id, note="by the link mailed to the old address", target_type="user",
        changes={"email": [left, old_email]},
    )  # fmt: skip
    return user, left
