"""From a published UUID back to the clinic it names.

The ids are name-based UUIDs (`provider_dir.opendata.ids`): stable, but not reversible. Each process keeps a
table from UUID to clinic id per kind, for every id up to the highest clinic id, topped up when a UUID is not in
it, so an unknown UUID costs one indexed query (the highest id).
"""

from __future__ import annotations

import hashlib
import threading
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_dir.listings.models import Clinic
from provider_dir.opendata.ids import NAMESPACE

# HSDS object -> the kind its UUID is derived from (hsds.mapping's organization_id, service_id, ...).
KINDS = ("clinic", "service", "service_at_location")


def uuid5_bytes(prefix, clinic_id: int) -> bytes:
    """Return the 16 bytes of uuid5(NAMESPACE, f"{kind}:{clinic_id}") from a SHA-1 already fed NAMESPACE and kind."""
    digest = prefix.copy()
    digest.update(str(clinic_id).encode())
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return bytes(raw)


class ClinicIds:
    """UUID -> clinic id for each kind, for the clinics seen so far (each kind filled when first asked for)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_kind: dict[str, dict[bytes, int]] = {kind: {} for kind in KINDS}
        self._highest = dict.fromkeys(KINDS, 0)

    def _top_up(self, session: Session, kind: str) -> None:
        # Every id up to the highest, whether or not a clinic has it now: the UUID of an id is pure arithmetic, so
        # the table never goes stale (deleted clinics, ids reused after a rollback, another database in the same
        # process); whether the clinic exists and is published is the caller's query.
        top = session.scalar(select(func.max(Clinic.id))) or 0
        prefix = hashlib.sha1(NAMESPACE.bytes + f"{kind}:".encode(), usedforsecurity=False)
        table = self._by_kind[kind]
        for clinic_id in range(self._highest[kind] + 1, top + 1):
            table[uuid5_bytes(prefix, clinic_id)] = clinic_id
        self._highest[kind] = max(self._highest[kind], top)

    def clinic_id(self, session: Session, kind: str, public_id: str) -> int | None:
        """Return the id of the clinic whose `kind` UUID is public_id, or None when no clinic has it."""
        try:
            key = uuid.UUID(public_id).bytes
        except ValueError:
            return None
        table = self._by_kind[kind]
        found = table.get(key)
        if found is None:
            with self._lock:
                self._top_up(session, kind)
                found = table.get(key)
        return found


clinic_ids = ClinicIds()
