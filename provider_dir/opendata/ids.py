"""Stable public identifiers: the same record gets the same UUID in every export, API answer and standard."""

from __future__ import annotations

import uuid
from functools import lru_cache

# Fixed for the life of the site: changing it would give every published record a new id.
NAMESPACE = uuid.UUID("6f1c3a52-9d4e-5b8a-a0c7-3e2f41d8b9a6")


# One clinic's objects name each other (a service names its organization, a location too): kept, not recomputed.
@lru_cache(maxsize=8192)
def public_id(kind: str, key: int | str) -> str:
    """Return the UUID (as text) of one record, e.g. public_id("clinic", 42), derived from its kind and key."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))
