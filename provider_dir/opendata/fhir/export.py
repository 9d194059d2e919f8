"""Write the directory as FHIR R4 bulk data (NDJSON, one file per resource type) with a bulk-data manifest."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
from sqlalchemy.orm import Session

from provider_dir.opendata.fhir.clinic_resources import healthcare_service, location, organization
from provider_dir.opendata.fhir.common import closed_for_now
from provider_dir.opendata.fhir.records import BATCH, ClinicRow, clinic_batches, count_published
from provider_dir.opendata.fhir.staff_resources import practitioner, practitioner_role, verification

# In the order a reader resolves references: organisations before what points at them.
RESOURCE_TYPES = ("Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole",
                  "VerificationResult")
MANIFEST = "manifest.json"


class ExportError(Exception):
    """The export could not be written (the message says why); nothing already published was replaced."""


@dataclass
class ExportResult:
    """What an export wrote: the folder, the manifest and the count per resource type."""

    directory: Path
    manifest: dict
    counts: dict[str, int] = field(default_factory=dict)


def resources_of(clinic: ClinicRow, today: date) -> dict[str, list[dict]]:
    """Return every resource one clinic gives, by resource type."""
    accepting = clinic.accepting_new_patients and not closed_for_now(clinic, today)
    out: dict[str, list[dict]] = {
        "Organization": [organization(clinic)],
        "Location": [location(clinic, today)],
        "HealthcareService": [healthcare_service(clinic, today)],
        "Practitioner": [],
        "PractitionerRole": [],
        "VerificationResult": [],
    }
    for member in clinic.staff:
        out["Practitioner"].append(practitioner(member, today))
        out["PractitionerRole"].append(practitioner_role(member, clinic, accepting))
        for credential in member.credentials:
            if (evidence := verification(member, credential, today)) is not None:
                out["VerificationResult"].append(evidence)
    return out


def write_fhir(session: Session, directory: str | os.PathLike, progress: Callable[[int], None] | None = None, *,
               base_url: str = "", today: date | None = None, batch: int = BATCH) -> ExportResult:
    """Write the published clinics as FHIR NDJSON files and manifest.json into `directory`.

    Streams: clinics are read `batch` at a time and each resource is written as it is made. The files are
    written under temporary names and renamed at the end, so a failed export leaves the previous one whole.
    `progress(n)` is called with the number of clinics done after each batch. `base_url` prefixes the file
    names in the manifest (the public URL of the folder); without it the manifest names the files alone.
    """
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Cannot create the folder {folder}: {exc.strerror}") from exc
    today = today or date.today()
    started = datetime.now(UTC).replace(microsecond=0)
    counts = dict.fromkeys(RESOURCE_TYPES, 0)
    temporary = {kind: folder / f".{kind}.ndjson.part" for kind in RESOURCE_TYPES}
    handles = {}
    try:
        for kind, path in temporary.items():
            handles[kind] = path.open("wb")
        for clinics in clinic_batches(session, batch):
            for clinic in clinics:
                for kind, resources in resources_of(clinic, today).items():
                    if resources:
                        handles[kind].write(b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE)
                                                     for r in resources))
                        counts[kind] += len(resources)
            if progress is not None:
                progress(len(clinics))
    except OSError as exc:
        _discard(handles, temporary)
        raise ExportError(f"Cannot write the export into {folder}: {exc.strerror}") from exc
    except BaseException:
        _discard(handles, temporary)
        raise
    for handle in handles.values():
        handle.close()
    for kind, path in temporary.items():
        path.replace(folder / f"{kind}.ndjson")
    manifest = bulk_manifest(started, counts, base_url)
    part = folder / f".{MANIFEST}.part"
    part.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    part.replace(folder / MANIFEST)  # last: a reader who follows the manifest finds the files it names
    return ExportResult(folder, manifest, counts)


def bulk_manifest(started: datetime, counts: dict[str, int], base_url: str = "") -> dict:
    """Return the manifest in the shape of a bulk-data $export completion response (Bulk Data IG 2.0)."""
    prefix = base_url.rstrip("/") + "/" if base_url else ""
    return {
        "transactionTime": started.isoformat().replace("+00:00", "Z"),
        # No kick-off request made these files (they are static): the manifest's own address stands in for it.
        "request": f"{prefix}{MANIFEST}" if prefix else MANIFEST,
        "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{prefix}{kind}.ndjson", "count": counts[kind]} for kind in RESOURCE_TYPES],
        "error": [],
    }


def clinics_to_export(session: Session) -> int:
    """Return how many clinics an export would publish (for a progress bar's length)."""
    return count_published(session)


def _discard(handles: dict, temporary: dict[str, Path]) -> None:
    for handle in handles.values():
        handle.close()
    for path in temporary.values():
        path.unlink(missing_ok=True)
