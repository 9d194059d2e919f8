"""Stable public identifiers: the same record gets the same UUID in every export, API answer and standard."""

from __future__ import annotations

import hashlib
import uuid

# Fixed for the life of the site: changing it would give every published record a new id.
NAMESPACE = uuid.UUID("6f1c3a52-9d4e-5b8a-a0c7-3e2f41d8b9a6")
_NAMESPACE_BYTES = NAMESPACE.bytes


# The RFC 4122 variant puts 10 in the top bits of the 17th hex digit.
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def public_id(kind: str, key: int | str) -> str:
    """Return the UUID (as text) of one record, e.g. public_id("clinic", 42), derived from its kind and key."""
    # uuid.uuid5(NAMESPACE, f"{kind}:{key}") computed on the hex digest, without UUID objects: an export of
    # 100,000 clinics makes two million of these, and building the objects cost three times the hash.
    digest = hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode(), usedforsecurity=False).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{_VARIANT[digest[16]]}{digest[17:20]}-{digest[20:32]}"
