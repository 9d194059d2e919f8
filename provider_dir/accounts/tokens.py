"""Signed, time-limited links for one purpose each (itsdangerous). No Flask: callers pass the secret."""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_EMAIL = "confirm-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 - a salt's name, not a secret
CHANGE_EMAIL = "change-email"
UNDO_EMAIL_CHANGE = "undo-email-change"

MAX_AGE = {CONFIRM_EMAIL: 48 * 3600, RESET_PASSWORD: 3600, CHANGE_EMAIL: 24 * 3600, UNDO_EMAIL_CHANGE: 7 * 24 * 3600}


class TokenExpired(ValueError):
    """The link was genuine but is too old."""


class TokenInvalid(ValueError):
    """The link was altered, cut short or made for another purpose."""


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    # One salt per purpose: a confirmation link can never serve as a reset link.
    return URLSafeTimedSerializer(secret_key, salt=f"provider_dir.{purpose}")


def make_token(secret_key: str, purpose: str, payload: dict) -> str:
    """Return a signed token carrying payload for one purpose."""
    return _serializer(secret_key, purpose).dumps(payload)


def read_token(secret_key: str, purpose: str, token: str, max_age: int | None = None) -> dict:
    """Return the payload of a token; raise TokenExpired or TokenInvalid."""
    try:
        payload = _serializer(secret_key, purpose).loads(token, max_age=max_age or MAX_AGE[purpose])
    except SignatureExpired as exc:
        raise TokenExpired(purpose) from exc
    except BadSignature as exc:
        raise TokenInvalid(purpose) from exc
    if not isinstance(payload, dict):
        raise TokenInvalid(purpose)
    return payload


def fingerprint(value: str) -> str:
    """Return a short digest of a secret-derived value (a password hash), so a token can be bound to it."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
