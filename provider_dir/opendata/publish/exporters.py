"""The published exports, as a table: each writes its files into a folder and says what they are.

A new standard joins the publication with one entry in EXPORTERS (the FHIR bulk files, for example), and the
open-data page lists its files with no other change.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from provider_dir.opendata.hsds.export import JSON_NAME, PACKAGE_DIR, export_hsds

Progress = Callable[[int], None] | None


@dataclass(frozen=True)
class Download:
    """One published file: its name in the publication folder, what it holds, its standard and media type."""

    name: str
    title: str
    standard: str
    media_type: str


def zip_folder(folder: Path, target: Path) -> None:
    """Write a folder's files (not sub-folders) into a .zip, deflated, in name order."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            archive.write(path, path.name)


def publish_hsds(session: Session, folder: Path, progress: Progress = None) -> list[Download]:
    """Write the HSDS 3.0 files: the services as one JSON array, and the data package as a .zip."""
    work = folder / "hsds"
    export_hsds(session, work, progress)
    (work / JSON_NAME).rename(folder / "hsds-services.json")
    zip_folder(work / PACKAGE_DIR, folder / "hsds-datapackage.zip")
    for path in (work / PACKAGE_DIR).iterdir():
        path.unlink()
    (work / PACKAGE_DIR).rmdir()
    work.rmdir()
    standard = "Open Referral HSDS 3.0"
    return [
        Download("hsds-services.json", "Services, each with its organization, location, address, phones, hours, "
                 "languages, prices, staff contacts and taxonomy terms (one JSON array)", standard, "application/json"),
        Download("hsds-datapackage.zip", "The same data as a Tabular Data Package: datapackage.json and one CSV "
                 "per HSDS object, taxonomies included", standard, "application/zip"),
    ]


EXPORTERS: dict[str, Callable[[Session, Path, Progress], list[Download]]] = {
    "hsds": publish_hsds,
}
