"""Setting up, checking, turning off and resetting an account's second factor."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select, update

from provider_dir.accounts.models import User, new_session_token
from provider_dir.accounts.settings.changes import check_current_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import log as audit
from provider_dir.twofactor import codes
from provider_dir.twofactor.models import RecoveryCode, SecondFactor

# The roles that must have a second factor before they reach a queue or an admin page.
REQUIRED_ROLES = (UserRole.MODERATOR, UserRole.ADMIN)
WRONG_CODE = (
    "That code is not right. Type the six digits your authenticator app shows now, or one of your recovery codes."
)
USED_CODE = "That code has been used already. Wait for the next code in your app (a new one comes every 30 seconds)."
USED_RECOVERY_CODE = "That recovery code has been used already. Each one works once; use another."
TARGET = "user"


class CodeRefused(ValueError):
    """The code typed is wrong or used already; the message says which and what to do."""


class AlreadyOn(ValueError):
    """The account has a confirmed second factor already."""


def key_materials() -> list[str]:
    """Return the secrets stored keys are encrypted with: SECOND_FACTOR_KEYS, else SECRET_KEY."""
    return current_app.config.get("SECOND_FACTOR_KEYS") or [current_app.config["SECRET_KEY"]]


def factor_of(user: User) -> SecondFactor | None:
    """Return the account's second factor, confirmed or still being set up, or None."""
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def is_on(user: User) -> bool:
    """Return True when log-in asks this account for a code."""
    factor = factor_of(user)
    return factor is not None and factor.confirmed


def required_for(user: User) -> bool:
    """Return True when the account's role needs a second factor before it reaches its pages."""
    return user.has_role(*REQUIRED_ROLES)


def start_setup(user: User) -> SecondFactor:
    """Give the account a new, unconfirmed key (replacing an unfinished setup); raise AlreadyOn if it has one."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed:
        raise AlreadyOn("Two-factor sign-in is on already.")
    if factor is not None:
        db.session.delete(factor)
        db.session.flush()
    factor = SecondFactor(user_id=user.id, secret_encrypted=codes.encrypt(key_materials(), codes.new_secret()))
    db.session.add(factor)
    db.session.flush()
    return factor


def setup_secret(user: User) -> str | None:
    """Return the key of a setup not yet confirmed (shown only until then), or None."""
    factor = factor_of(user)
    if factor is None or factor.confirmed:
        return None
    try:
        return codes.decrypt(key_materials(), factor.secret_encrypted)
    except codes.SecretUnreadable:  # the configured keys changed mid-setup: "Set up" starts afresh
        return None


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    fresh = codes.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=codes.hash_recovery_code(c)) for c in fresh)
    db.session.flush()
    return fresh


def _accept_step(factor: SecondFactor, step: int) -> bool:
    """Record the step as used unless it (or a later one) was used already; one UPDATE, so two requests can't both."""
    used = (SecondFactor.last_used_step.is_(None)) | (SecondFactor.last_used_step < step)
    result = db.session.execute(
        update(SecondFactor).where(SecondFactor.id == factor.id, used).values(last_used_step=step),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount == 1:
        factor.last_used_step = step
        return True
    return False


def _check_totp(factor: SecondFactor, code: str, now: datetime) -> None:
    try:
        secret = codes.decrypt(key_materials(), factor.secret_encrypted)
    except codes.SecretUnreadable as exc:  # the configured keys changed; recovery codes still work
        raise CodeRefused(f"{exc} Until then, log in with a recovery code.") from None
    step = codes.matching_step(secret, code, now)
    if step is None:
        raise CodeRefused(WRONG_CODE)
    if not _accept_step(factor, step):
        raise CodeRefused(USED_CODE)


def confirm_setup(user: User, code: str, now: datetime | None = None) -> list[str]:
    """Turn the second factor on once a code from the app matches; return the ten recovery codes (shown once)."""
    factor = factor_of(user)
    if factor is None or factor.confirmed:
        raise AlreadyOn("Two-factor sign-in is on already.") if factor else CodeRefused("Start the setup again.")
    typed = codes.normalise(code)
    if not codes.is_totp_shaped(typed):
        raise CodeRefused("Type the six digits your authenticator app shows for this site.")
    _check_totp(factor, typed, now or utcnow())
    factor.confirmed_at = utcnow()
    audit.record(user, "second_factor_on", user.id, target_type=TARGET, note="authenticator app set up")
    return _replace_recovery_codes(user)


def check_code(user: User, code: str, now: datetime | None = None) -> str:
    """Accept a TOTP code or an unused recovery code once; return "totp" or "recovery", else raise CodeRefused."""
    factor = factor_of(user)
    if factor is None or not factor.confirmed:
        raise CodeRefused(WRONG_CODE)
    typed = codes.normalise(code)
    if codes.is_totp_shaped(typed):
        _check_totp(factor, typed, now or utcnow())
        return "totp"
    digest = codes.hash_recovery_code(typed)
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == digest, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount == 1:
        return "recovery"
    used = db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                           RecoveryCode.code_hash == digest))  # fmt: skip
    raise CodeRefused(USED_RECOVERY_CODE if used is not None else WRONG_CODE)


def recovery_codes_left(user: User) -> int:
    """Return how many recovery codes the account has not used."""
    return db.session.scalar(
        select(func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ) or 0  # fmt: skip


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """Replace every recovery code once a code is given; return the new ones (shown once)."""
    check_code(user, code)
    audit.record(user, "recovery_codes_regenerated", user.id, target_type=TARGET)
    return _replace_recovery_codes(user)


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))


def turn_off(user: User, password: str, code: str) -> None:
    """Remove the second factor once the password and a code are given (raise WrongPassword or CodeRefused)."""
    check_current_password(user, password)
    check_code(user, code)
    _remove(user)
    audit.record(user, "second_factor_off", user.id, target_type=TARGET, note="with the password and a code")


def reset(admin: User, user: User, note: str = "") -> bool:
    """Remove another account's second factor and end its sessions, logged; return False when it had none."""
    if factor_of(user) is None:
        return False
    _remove(user)
    user.session_token = new_session_token()
    audit.record(admin, "second_factor_reset", user.id, target_type=TARGET, note=note)
    return True


def seed(user_id: int, secret: str, when: datetime) -> SecondFactor:
    """Add a confirmed second factor with a known key (demo accounts, tests); the caller commits."""
    factor = SecondFactor(user_id=user_id, secret_encrypted=codes.encrypt(key_materials(), secret),
                          created_at=when, confirmed_at=when)  # fmt: skip
    db.session.add(factor)
    return factor
