"""Stable public identifiers: the same record gets the same UUID in every export, API answer and standard."""

from __future__ import annotations

import hashlib
import uuid

# Fixed for the life of the site: changing it would give every published record a new id.
NAMESPACE = uuid.UUID("6f1c3a52-9d4e-5b8a-a0c7-3e2f41d8b9a6")
_NAMESPACE_BYTES = NAMESPACE.bytes


def public_id(kind: str, key: int | str) -> str:
    """Return the UUID (as text) of one record, e.g. public_id("clinic", 42), derived from its kind and key."""
    # uuid.uuid5(NAMESPACE, f"{kind}:{key}"), computed without building UUID objects: an export of 100,000
    # clinics makes two million of these, and the object costs three times the hash.
    raw = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode(), usedforsecurity=False).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
