"""Where a check reads NPPES: the loaded file, or the API (NPI_REGISTRY=api) falling back to the file."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_dir.registry.checks.npi_api import ApiUnavailable, client_for
from provider_dir.registry.checks.rules import Exclusion, Registration
from provider_dir.registry.models import LeieRecord, NppesRecord

log = logging.getLogger(__name__)
IN_BATCH = 900
# After this many failures in a row, a run stops asking the API and reads the file for the rest.
GIVE_UP_AFTER = 3
FILE, API = "file", "api"


def registration_from_row(row: NppesRecord) -> Registration:
    """Turn a loaded NPPES row into a Registration."""
    return Registration(
        npi=row.npi, entity_type=row.entity_type, replacement_npi=row.replacement_npi, last_name=row.last_name,
        first_name=row.first_name, middle_name=row.middle_name, name_suffix=row.name_suffix,
        credential_text=row.credential_text, organization_name=row.organization_name, city=row.city,
        state=row.state, deactivated_on=row.deactivated_on, reactivated_on=row.reactivated_on,
        last_update=row.last_update, taxonomies=tuple(tuple(t) for t in row.taxonomies or ()),
    )


_FIELDS = ("npi", "entity_type", "replacement_npi", "last_name", "first_name", "middle_name", "name_suffix",
           "credential_text", "organization_name", "city", "state", "deactivated_on", "reactivated_on",
           "last_update", "taxonomies")


def from_file(session: Session, load_id: int | None, npis: Iterable[str]) -> dict[str, Registration]:
    """Return the loaded file's registrations of these NPIs (absent NPIs are left out)."""
    wanted = sorted(set(npis))
    found: dict[str, Registration] = {}
    if load_id is None:
        return found
    columns = [getattr(NppesRecord, name) for name in _FIELDS]
    for start in range(0, len(wanted), IN_BATCH):
        rows = session.execute(select(*columns).where(
            NppesRecord.load_id == load_id, NppesRecord.npi.in_(wanted[start : start + IN_BATCH])))
        for row in rows:
            values = dict(zip(_FIELDS, row, strict=True))
            values["taxonomies"] = tuple(tuple(t) for t in values["taxonomies"] or ())
            found[row[0]] = Registration(**values)
    return found


@dataclass(slots=True)
class Answers:
    """Registrations by NPI, and where each answer came from ("file" or "api")."""

    records: dict[str, Registration | None] = field(default_factory=dict)
    via: dict[str, str] = field(default_factory=dict)
    api_failures: int = 0


def registrations(session: Session, config: Mapping, load_id: int | None, npis: Iterable[str]) -> Answers:
    """Look NPIs up where the configuration says; with NPI_REGISTRY=api, fall back to the file per NPI."""
    wanted = sorted(set(npis))
    answers = Answers()
    left = wanted
    if config.get("NPI_REGISTRY", FILE) == API:
        client = client_for(config.get("NPI_REGISTRY_URL") or "https://npiregistry.cms.hhs.gov/api/",
                            float(config.get("NPI_REGISTRY_TIMEOUT", 5)),
                            float(config.get("NPI_REGISTRY_MIN_INTERVAL", 0.2)))
        left = []
        streak = 0
        for npi in wanted:
            if streak >= GIVE_UP_AFTER:
                left.append(npi)
                continue
            try:
                answers.records[npi] = client.lookup(npi)
                answers.via[npi] = API
                streak = 0
            except ApiUnavailable as exc:
                answers.api_failures += 1
                streak += 1
                log.warning("NPI %s: %s; reading the loaded file instead", npi, exc)
                left.append(npi)
    if left:
        found = from_file(session, load_id, left) if load_id is not None else {}
        for npi in left:
            if load_id is None:
                continue  # no file and no API answer: no check can be made
            answers.records[npi] = found.get(npi)
            answers.via[npi] = FILE
    return answers


def exclusion_from_row(row: LeieRecord) -> Exclusion:
    """Turn a loaded LEIE row into an Exclusion."""
    return Exclusion(row.last_name, row.first_name, row.middle_name, row.npi, row.state, row.city, row.specialty,
                     row.general, row.exclusion_type, row.excluded_on)
