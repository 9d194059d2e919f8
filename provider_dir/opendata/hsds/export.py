"""Write the listed clinics as HSDS 3.0 files: a JSON array of services and a Tabular Data Package.

Clinics are read in ranges of ids (from the primary key, their staff from its index), each turned into HSDS
objects by `mapping` and written at once, so memory stays flat however many clinics there are. Only published
listings are exported; closed clinics are kept, with their status, so a consumer learns of the closure.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_dir.credentials.models import StaffMember
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import utcnow
from provider_dir.opendata.hsds import mapping
from provider_dir.opendata.hsds.cells import TRIGGERS, guard
from provider_dir.opendata.hsds.schemas import DATAPACKAGE

JSON_NAME = "services.json"
PACKAGE_DIR = "datapackage"
BATCH = 2000
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0 International"}
# The attributes mapping reads from a clinic: selected as plain columns, not whole objects, for speed.
CLINIC_COLUMNS = (
    Clinic.id, Clinic.name, Clinic.description, Clinic.street, Clinic.city, Clinic.state, Clinic.zip_code,
    Clinic.latitude, Clinic.longitude, Clinic.phone, Clinic.website, Clinic.hours, Clinic.opening_hours,
    Clinic.routes_mask, Clinic.conditions_mask, Clinic.price_per_infusion_usd, Clinic.price_series_usd,
    Clinic.series_infusions, Clinic.insurance, Clinic.languages, Clinic.accessibility,
    Clinic.accepting_new_patients, Clinic.telehealth_intake, Clinic.closure, Clinic.reopens_on,
    Clinic.last_verified_on, Clinic.updated_at,
)
STAFF_COLUMNS = (StaffMember.clinic_id, StaffMember.id, StaffMember.full_name, StaffMember.degree, StaffMember.role)


@dataclass
class Export:
    """What one export wrote: counts by HSDS table, the files, and when it was made."""

    created: datetime
    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def services(self) -> int:
        """How many services (clinics) were written."""
        return self.counts.get("service", 0)


def standard_descriptor() -> dict:
    """Return the standard's published datapackage.json (shipped unchanged)."""
    return json.loads(DATAPACKAGE.read_text(encoding="utf-8"))


def package_descriptor(created: datetime, site_name: str) -> dict:
    """Return our package's descriptor: the standard's resources as published, our data's name and licence."""
    standard = standard_descriptor()
    return {
        "name": "lantern-clinic-guide-hsds",
        "title": f"{site_name}: US ketamine clinics (HSDS 3.0)",
        "description": "The directory's published listings as Open Referral HSDS 3.0 tables. Review texts, "
                       "accounts and documents are not included.",
        "profile": standard["profile"],
        "version": standard["version"],
        "created": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "sources": [{"title": "Human Services Data Specification 3.0 (table schemas), Open Referral, CC BY-SA 4.0",
                     "path": "https://github.com/openreferral/specification/tree/3.0"}],
        "resources": standard["resources"],
    }


def clinic_count(session: Session) -> int:
    """Return how many clinics an export will write (for a progress bar)."""
    return session.scalar(select(func.count()).select_from(Clinic).where(Clinic.status == ClinicStatus.PUBLISHED))


_RISKY_STARTS = (*TRIGGERS, "'")


def _cells(row: dict, columns: list[str]) -> list:
    """Return a row's cells in column order (the csv module writes None and missing as ""), formulas guarded."""
    for value in row.values():
        if value.__class__ is str and value.startswith(_RISKY_STARTS):
            row = {k: guard(v) if v.__class__ is str else v for k, v in row.items()}
            break
    get = row.get
    return [get(column) for column in columns]


class _Tables:
    """One CSV writer per resource of the standard's descriptor, columns in the descriptor's order."""

    def __init__(self, folder: Path, descriptor: dict):
        self.handles, self.writers, self.columns, self.counts = {}, {}, {}, {}
        for resource in descriptor["resources"]:
            name = resource["name"]
            handle = (folder / resource["path"]).open("w", encoding="utf-8", newline="")
            self.handles[name] = handle
            self.columns[name] = [f["name"] for f in resource["schema"]["fields"]]
            self.writers[name] = csv.writer(handle)
            self.writers[name].writerow(self.columns[name])
            self.counts[name] = 0

    def write(self, name: str, rows: list[dict]) -> None:
        columns = self.columns[name]
        self.writers[name].writerows([_cells(row, columns) for row in rows])
        self.counts[name] += len(rows)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _batches(session: Session):
    """Yield (clinic rows, staff by clinic id) for published clinics, one range of ids at a time."""
    highest = session.scalar(select(func.max(Clinic.id))) or 0
    for low in range(1, highest + 1, BATCH):
        high = low + BATCH - 1
        # The status is checked here, not in SQL, so that the range is read from the primary key alone.
        rows = [row for row in session.execute(select(Clinic.status, *CLINIC_COLUMNS)
                                               .where(Clinic.id.between(low, high)).order_by(Clinic.id))
                if row.status == ClinicStatus.PUBLISHED]
        if not rows:
            continue
        staff: dict[int, list] = {}
        for member in session.execute(select(*STAFF_COLUMNS).where(StaffMember.clinic_id.between(low, high))
                                      .order_by(StaffMember.clinic_id, StaffMember.sort_order, StaffMember.id)):
            staff.setdefault(member.clinic_id, []).append(member)
        yield rows, staff


def export_hsds(session: Session, folder: Path, progress: Callable[[int], None] | None = None,
                site_name: str = "Lantern Clinic Guide", now: datetime | None = None) -> Export:
    """Write services.json and datapackage/ (descriptor and one CSV per HSDS object) into folder."""
    created = now or utcnow()
    folder.mkdir(parents=True, exist_ok=True)
    package = folder / PACKAGE_DIR
    package.mkdir(exist_ok=True)
    descriptor = package_descriptor(created, site_name)
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")
    tables = _Tables(package, descriptor)
    json_path = folder / JSON_NAME
    try:
        tables.write("taxonomy", mapping.taxonomies())
        tables.write("taxonomy_term", mapping.taxonomy_terms())
        with json_path.open("w", encoding="utf-8") as out:
            out.write("[")
            first = True
            for rows, staff in _batches(session):
                chunks, pending = [], defaultdict(list)
                for clinic in rows:
                    flat = mapping.tables(clinic, staff.get(clinic.id, ()))
                    for name, objects in flat.items():
                        pending[name].extend(objects)
                    chunks.append(json.dumps(mapping.embed(flat), ensure_ascii=False, separators=(",", ":")))
                for name, objects in pending.items():
                    tables.write(name, objects)
                out.write(("\n" if first else ",\n") + ",\n".join(chunks))
                first = False
                if progress:
                    progress(len(rows))
            out.write("\n]\n")
    finally:
        tables.close()
    files = [json_path, package / "datapackage.json", *(package / r["path"] for r in descriptor["resources"])]
    return Export(created=created, counts=dict(tables.counts), files=files)
