"""TOTP codes, recovery codes and the encryption of stored keys: plain functions, no Flask."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

ISSUER = "Lantern Clinic Guide"
RECOVERY_CODE_COUNT = 10
# 16 characters of base32 (80 bits): too many to guess, so a fast hash is enough to store them (see README).
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 16
# Codes of the step before and after the current one pass too: phones and servers rarely agree to the second.
STEP_WINDOW = 1


class SecretUnreadable(ValueError):
    """A stored key cannot be decrypted with any configured key (the key changed); the factor must be reset."""


def new_secret() -> str:
    """Return a fresh base32 TOTP key (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def grouped(text: str, size: int = 4) -> str:
    """Split a key or code into groups of four for reading aloud or typing."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def normalise(code: str) -> str:
    """Return what was typed without spaces or dashes, upper-cased (recovery codes) or as digits (TOTP)."""
    return "".join(ch for ch in code if ch not in " -\t").upper()


def is_totp_shaped(code: str) -> bool:
    """Return True when the normalised code is six digits (an authenticator code, not a recovery code)."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """Return the time step whose code this is (within STEP_WINDOW of now), or None when it matches none."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for step in range(current - STEP_WINDOW, current + STEP_WINDOW + 1):
        # Compare every candidate, so the time taken does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def code_at(secret: str, when: datetime) -> str:
    """Return the TOTP code of the step that holds the moment `when` (what the authenticator app shows)."""
    return pyotp.TOTP(secret).at(when)


def provisioning_uri(secret: str, account_name: str) -> str:
    """Return the otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_svg(uri: str, label: str) -> str:
    """Return an inline SVG QR code of the address; it holds only drawing, no text from the address."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff", svgclass="qr-code")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Return fresh recovery codes, each 16 characters from an alphabet without look-alike letters."""
    return ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(count)]


def hash_recovery_code(code: str) -> str:
    """Return the stored form of a (normalised) recovery code."""
    return hashlib.sha256(code.encode()).hexdigest()


def fernet_key(material: str) -> bytes:
    """Derive a Fernet key from a configured secret (SECOND_FACTOR_KEYS entry or SECRET_KEY)."""
    digest = hashlib.sha256(b"provider_dir second factor key\x00" + material.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def cipher(materials: Sequence[str]) -> MultiFernet:
    """Return the cipher of stored keys: the first secret encrypts, every one of them decrypts."""
    if not materials:
        raise ValueError("At least one key is needed to encrypt second-factor keys.")
    return MultiFernet([Fernet(fernet_key(m)) for m in materials])


def encrypt(materials: Sequence[str], secret: str) -> str:
    """Return the TOTP key encrypted for storage."""
    return cipher(materials).encrypt(secret.encode()).decode()


def decrypt(materials: Sequence[str], stored: str) -> str:
    """Return the TOTP key from its stored form; raise SecretUnreadable when no configured key opens it."""
    try:
        return cipher(materials).decrypt(stored.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "This account's second-factor key cannot be read with the configured keys. An admin must reset it."
        ) from None
