"""Creating accounts and checking logins."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from provider_dir.accounts import links
from provider_dir.accounts.models import User, new_session_token
from provider_dir.accounts.passwords import hash_password, needs_rehash, verify_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db

# Verifying against this hash when the email is unknown keeps the timing of both paths alike.
_DUMMY_HASH = hash_password("not-a-real-password-for-timing")


class AccountExists(ValueError):
    """The email or display name is taken."""


class EmailTaken(AccountExists):
    """An account already uses this email."""


class DisplayNameTaken(AccountExists):
    """An account already uses this display name."""


def normalise_email(email: str) -> str:
    """Return the email as stored: trimmed and lower-cased."""
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    """Return the account with this email, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def display_name_taken(display_name: str) -> bool:
    """Return True when another account shows this display name (compared case-insensitively)."""
    found = db.session.scalar(
        select(func.count()).select_from(User).where(func.lower(User.display_name) == display_name.strip().lower())
    )
    return bool(found)


def create_user(email: str, password: str, display_name: str, role: UserRole = UserRole.PATIENT) -> User:
    """Create an account; raise DisplayNameTaken or EmailTaken when either is in use."""
    email = normalise_email(email)
    display_name = display_name.strip()
    if display_name_taken(display_name):
        raise DisplayNameTaken("That display name is taken. Please choose another.")
    if find_by_email(email) is not None:
        raise EmailTaken("An account with this email already exists. Log in instead.")
    user = User(email=email, display_name=display_name, password_hash=hash_password(password), role=role)
    db.session.add(user)
    db.session.flush()
    return user


def register(email: str, password: str, display_name: str) -> User | None:
    """Sign up: create the account and mail its confirmation link, or mail the address's owner if it has one.

    Both branches hash a password and send one email, so neither the answer nor its timing tells whether the
    address has an account. Raise DisplayNameTaken (display names are public anyway) or MailError; the caller
    commits only after the mail has left.
    """
    if display_name_taken(display_name):
        raise DisplayNameTaken("That display name is taken. Please choose another.")
    existing = find_by_email(email)
    if existing is not None:
        hash_password(password)  # the work create_user would have done
        links.send_registration_attempt(existing.email)
        return None
    user = create_user(email, password, display_name)
    links.send_confirmation(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the account when the password matches, else None (same work either way); log nobody in."""
    user = find_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    """Note a finished log-in: a new session token (every older cookie stops working) and the time.

    Called only once every factor has passed, so a password alone cannot end the account's other sessions.
    """
    user.session_token = new_session_token()
    user.last_login_at = datetime.now(UTC)
