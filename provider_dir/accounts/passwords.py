"""Password hashing (argon2id) and the password policy (ASVS 6.2)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from provider_dir.config import PROJECT_ROOT

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = PROJECT_ROOT / "seeds" / "common-passwords.txt"

_hasher = PasswordHasher()  # argon2-cffi defaults: argon2id, RFC 9106 low-memory profile


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


# Words tied to this site that make a password easy to guess (ASVS 6.2.11).
SITE_WORDS = ("provider_dir", "providerdir", "ketamine", "ketamineclinic")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the shipped list of the most common passwords, lower-cased (# lines are comments)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, context: tuple[str, ...] = ()) -> str | None:
    """Return why a new password is refused, or None when it is acceptable.

    :param context: the account's own words (email, display name); a password equal to one is refused.
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (15 or more is better)."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if lowered in common_passwords():
        return "This password is among the most common ones and easy to guess. Please choose another."
    own_words = {word.strip().lower() for word in context if word and word.strip()}
    own_words |= {word.split("@", 1)[0] for word in own_words if "@" in word}
    if lowered in own_words or lowered in SITE_WORDS:
        return "Your password must not be your email, your display name or the site's name."
    return None
