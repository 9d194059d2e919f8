"""The emailed links of accounts: confirming an address, resetting a password and moving to a new address.

Each is signed and single-use. A confirmation link names the account and the address it was sent to and dies once
the address is confirmed. A reset link carries a digest of the account's password hash, so it dies as soon as it is
used (a new hash) or the password changes some other way. A link to a new address carries a digest of the current
address and the password hash, so it dies once used (a new address) or when the password changes. The link that
undoes a change, mailed to the old address, names both addresses and dies once the account leaves the new one.
"""

from __future__ import annotations

from flask import current_app

from provider_dir.accounts import tokens
from provider_dir.accounts.models import User, new_session_token
from provider_dir.accounts.passwords import hash_password
from provider_dir.extensions import db
from provider_dir.mail.links import absolute_url
from provider_dir.mail.services import queue_mail
from provider_dir.models.base import utcnow
from provider_dir.moderation import log as audit

SIGN_OFF = "\n-- provider_dir, the ketamine clinic directory\n"

TAMPERED = "This link is not valid: it may have been cut short or changed. Ask for a new one below."
EXPIRED = {
    tokens.CONFIRM_EMAIL: "This confirmation link has expired (links last 48 hours). Ask for a new one below.",
    tokens.RESET_PASSWORD: "This password reset link has expired (links last one hour). Ask for a new one below.",
    tokens.CHANGE_EMAIL: (
        "This link to change your email address has expired (links last 24 hours). Ask for a new one from your "
        "account page."
    ),
    tokens.UNDO_EMAIL_CHANGE: (
        "This link to move your account back to this address has expired (links last 7 days). If someone else "
        "changed your address, please ask the site's administrators for help."
    ),
}
USED = {
    tokens.CONFIRM_EMAIL: "This confirmation link was already used: your address is confirmed. You can log in.",
    tokens.RESET_PASSWORD: (
        "This password reset link was already used, or the password changed since it was sent. "
        "Ask for a new one below if you still need it."
    ),
    tokens.CHANGE_EMAIL: (
        "This link to change your email address was already used, or your address or password changed since it "
        "was sent. Ask for a new one from your account page if you still need it."
    ),
    tokens.UNDO_EMAIL_CHANGE: (
        "This link was already used, or the account's address changed again since it was sent, so nothing was "
        "changed. Log in or reset your password with the address the account uses now."
    ),
}


class LinkProblem(ValueError):
    """An emailed link that cannot be used; str() says why in words a person can act on."""

    def __init__(self, purpose: str, message: str) -> None:
        super().__init__(message)
        self.purpose = purpose


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _read(purpose: str, token: str) -> dict:
    try:
        return tokens.read_token(_secret(), purpose, token)
    except tokens.TokenExpired as exc:
        raise LinkProblem(purpose, EXPIRED[purpose]) from exc
    except tokens.TokenInvalid as exc:
        raise LinkProblem(purpose, TAMPERED) from exc


def _account(payload: dict, purpose: str) -> User:
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise LinkProblem(purpose, TAMPERED)
    return user


# -- confirming an address ------------------------------------------------------------------------------------


def confirmation_token(user: User) -> str:
    """Return a signed link token confirming this account's current address."""
    return tokens.make_token(_secret(), tokens.CONFIRM_EMAIL, {"u": user.id, "e": user.email})


def send_confirmation(user: User) -> None:
    """Mail the account a link that confirms its address (queued: the caller commits)."""
    url = absolute_url("account_email.confirm", token=confirmation_token(user))
    queue_mail(
        user.email,
        "Confirm your email address",
        f"Hello {user.display_name},\n\n"
        "Please confirm that this is your email address by opening this link within 48 hours:\n\n"
        f"{url}\n\n"
        "If you did not sign up, ignore this message: nothing happens without the link.\n" + SIGN_OFF,
    )


def send_registration_attempt(email: str) -> None:
    """Tell an address that already has an account that someone tried to sign up with it (the caller commits)."""
    queue_mail(
        email,
        "Someone tried to sign up with your email address",
        "Hello,\n\nSomeone tried to create a new account with this email address, which already has one.\n\n"
        f"If it was you, log in instead: {absolute_url('accounts.login')}\n"
        f"Forgotten your password? Reset it here: {absolute_url('account_email.reset_request')}\n\n"
        "If it was not you, you can ignore this message: your account has not changed.\n" + SIGN_OFF,
    )


def check_confirmation(token: str) -> User:
    """Return the account a confirmation link is for; raise LinkProblem for a bad, old or used link."""
    purpose = tokens.CONFIRM_EMAIL
    payload = _read(purpose, token)
    user = _account(payload, purpose)
    if payload.get("e") != user.email:  # the account's address changed since the link was sent
        raise LinkProblem(purpose, TAMPERED)
    if user.email_confirmed:
        raise LinkProblem(purpose, USED[purpose])
    return user


def confirm_email(token: str) -> User:
    """Mark the address in the token as confirmed, with its audit row; raise LinkProblem for an unusable link."""
    user = check_confirmation(token)
    user.email_confirmed_at = utcnow()
    audit.record(user, "email_confirmed", user.id, target_type="user", changes={"email_confirmed": [False, True]})
    return user


# -- resetting a password -------------------------------------------------------------------------------------


def reset_token(user: User) -> str:
    """Return a signed link token that resets this account's password once."""
    return tokens.make_token(
        _secret(), tokens.RESET_PASSWORD, {"u": user.id, "p": tokens.fingerprint(user.password_hash)}
    )


def send_reset(user: User | None, email: str) -> None:
    """Mail a reset link to an active account, or a note saying why not; the same work either way.

    Every address typed gets one email, so the page and its timing say nothing about which addresses have
    accounts (queued: the caller commits).
    """
    if user is not None and user.active:
        url = absolute_url("account_email.reset_password", token=reset_token(user))
        body = (
            f"Hello {user.display_name},\n\nSomeone (we hope you) asked to reset the password of your account.\n"
            f"Choose a new password within one hour with this link, which works once:\n\n{url}\n\n"
            "If you did not ask, ignore this message: your password stays as it is.\n"
        )
    else:
        # A token is still made so both branches do the same work.
        tokens.make_token(_secret(), tokens.RESET_PASSWORD, {"u": 0, "p": tokens.fingerprint(email)})
        if user is not None:
            body = (
                "Hello,\n\nSomeone asked to reset the password of the account with this address, but that "
                "account is deactivated, so its password cannot be reset. Please contact the site's "
                "administrators if you think this is a mistake.\n"
            )
        else:
            body = (
                "Hello,\n\nSomeone asked to reset the password of an account with this email address, but no "
                f"account uses it. If you meant to sign up, you can do so here: {absolute_url('accounts.register')}"
                "\n\nIf it was not you, ignore this message.\n"
            )
    queue_mail(email, "Resetting your password", body + SIGN_OFF)


def check_reset_token(token: str) -> User:
    """Return the account a reset link is for; raise LinkProblem when the link is bad, old or used."""
    purpose = tokens.RESET_PASSWORD
    payload = _read(purpose, token)
    user = _account(payload, purpose)
    if not user.active or payload.get("p") != tokens.fingerprint(user.password_hash):
        raise LinkProblem(purpose, USED[purpose])
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link, end every session of the account and log it in the audit log."""
    user = check_reset_token(token)
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    changes = None
    if not user.email_confirmed:  # following the link proved the address is theirs
        user.email_confirmed_at = utcnow()
        changes = {"email_confirmed": [False, True]}
    audit.record(user, "password_reset", user.id, note="by emailed link", target_type="user", changes=changes)
    return user


# -- moving to a new address ----------------------------------------------------------------------------------


def _address_fingerprint(user: User) -> str:
    return tokens.fingerprint(f"{user.email}\n{user.password_hash}")


def email_change_token(user: User, new_email: str) -> str:
    """Return a signed link token that moves this account to new_email once."""
    return tokens.make_token(
        _secret(), tokens.CHANGE_EMAIL, {"u": user.id, "e": new_email, "f": _address_fingerprint(user)}
    )


def send_email_change(user: User, new_email: str, taken: bool) -> None:
    """Mail new_email its link (or, when another account uses it, a note saying so) and tell the old address.

    Both branches make a token and send the same two emails, so the requester's page and its timing say nothing
    about whether another account uses the address (queued: the caller commits).
    """
    # The link is made in both branches, so both do the same work; only a free address receives it.
    url = absolute_url("account_settings.confirm_email_change", token=email_change_token(user, new_email))
    if taken:
        body = (
            "Hello,\n\nSomeone signed in to an account on this site asked to move that account to this email "
            "address. This address already belongs to an account here, so nothing changed, and your account is as "
            f"it was.\n\nIf it was you, log in with this address instead: {absolute_url('accounts.login')}\n"
            "If it was not you, ignore this message.\n"
        )
    else:
        body = (
            f"Hello {user.display_name},\n\nYou asked to use this email address for your account. Open this link "
            f"within 24 hours and press its button to make the change:\n\n{url}\n\n"
            "If you did not ask, ignore this message: nothing changes without the link.\n"
        )
    queue_mail(new_email, "Confirm your new email address", body + SIGN_OFF)
    queue_mail(
        user.email,
        "A change of your email address was asked for",
        f"Hello {user.display_name},\n\nSomeone signed in to your account asked to change its email address to "
        f"{new_email}. Nothing changes until the link we sent to that address is opened and its button pressed, "
        "within 24 hours.\n\nIf it was you, there is nothing more to do. If it was not you, someone knows your "
        f"password: change it now, which also cancels the link: {absolute_url('account_settings.password')}\n"
        f"(or reset it: {absolute_url('account_email.reset_request')})\n" + SIGN_OFF,
    )


def _address_link(purpose: str, token: str, key: str) -> tuple[dict, User, str]:
    """Return an address link's payload, its account and the address under key; raise LinkProblem when unusable."""
    payload = _read(purpose, token)
    user = _account(payload, purpose)
    address = payload.get(key)
    if not isinstance(address, str):
        raise LinkProblem(purpose, TAMPERED)
    return payload, user, address


def check_email_change(token: str) -> tuple[User, str]:
    """Return the account a link to a new address is for and that address; raise LinkProblem when unusable."""
    purpose = tokens.CHANGE_EMAIL
    payload, user, new_email = _address_link(purpose, token, "e")
    if not user.active or payload.get("f") != _address_fingerprint(user):
        raise LinkProblem(purpose, USED[purpose])
    return user, new_email


def email_undo_token(user: User, old_email: str) -> str:
    """Return a signed link token, for the old address, that moves the account back from its new address once."""
    return tokens.make_token(_secret(), tokens.UNDO_EMAIL_CHANGE, {"u": user.id, "o": old_email, "n": user.email})


def check_email_undo(token: str) -> tuple[User, str]:
    """Return the account an undo link is for and the address to move it back to; raise LinkProblem when unusable."""
    purpose = tokens.UNDO_EMAIL_CHANGE
    payload, user, old_email = _address_link(purpose, token, "o")
    if user.email != payload.get("n"):
        raise LinkProblem(purpose, USED[purpose])
    return user, old_email
