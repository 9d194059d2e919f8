"""From a published UUID back to the clinic it names.

The ids are name-based UUIDs (`provider_dir.opendata.ids`): stable, but not reversible. Each process keeps a
table from UUID to clinic id per kind, filled from the clinic ids on first use and topped up with the clinics
added since (ids only grow) when a UUID is not in it, so an unknown UUID costs one indexed query.
"""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_dir.listings.models import Clinic
from provider_dir.opendata.ids import NAMESPACE

# HSDS object -> the kind its UUID is derived from (hsds.mapping's organization_id, service_id, ...).
KINDS = ("clinic", "service", "service_at_location")


class ClinicIds:
    """UUID -> clinic id for each kind, for the clinics seen so far."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_kind: dict[str, dict[bytes, int]] = {kind: {} for kind in KINDS}
        self._highest = 0

    def _top_up(self, session: Session) -> None:
        ids = session.scalars(select(Clinic.id).where(Clinic.id > self._highest).order_by(Clinic.id)).all()
        for kind, table in self._by_kind.items():
            for clinic_id in ids:
                table[uuid.uuid5(NAMESPACE, f"{kind}:{clinic_id}").bytes] = clinic_id
        if ids:
            self._highest = ids[-1]

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
                self._top_up(session)
                found = table.get(key)
        return found


clinic_ids = ClinicIds()
