"""The publication folder: each run writes a new dated folder, then points `current.json` at it in one step.

OPEN_DATA_DIR/
  current.json              {"folder": "20261204-060000"}: the publication the site serves
  20261204-060000/          the files, and manifest.json listing them with size, SHA-256 and what they hold
  20261203-060000/          the one before, kept so that a download under way finishes

A run that fails leaves `current.json` alone (its half-written `.building-...` folder is removed), so the site
never serves a partial publication. No Flask here: the worker job and the command pass the folder in.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from provider_dir.opendata.hsds.export import clinic_count
from provider_dir.opendata.publish.exporters import EXPORTERS, Progress

CURRENT = "current.json"
MANIFEST = "manifest.json"
KEEP = 2
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class PublishedFile:
    """One file of a publication, as the open-data page lists it."""

    name: str
    title: str
    standard: str
    media_type: str
    bytes: int
    sha256: str


@dataclass
class Publication:
    """A complete set of open-data files made at one time."""

    folder: Path
    created: datetime
    clinics: int
    files: list[PublishedFile] = field(default_factory=list)

    def file(self, name: str) -> PublishedFile | None:
        """Return the published file of that name, or None."""
        return next((f for f in self.files if f.name == name), None)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: dict) -> None:
    """Write a small JSON file so that readers see the old one or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def publish(session: Session, root: Path, now: datetime, progress: Progress = None,
            exporters: dict | None = None) -> Publication:
    """Run every exporter into a new publication folder, then make it the current one; return it."""
    root.mkdir(parents=True, exist_ok=True)
    name = now.strftime(STAMP)
    building = root / f".building-{name}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        clinics = clinic_count(session)
        files = []
        for exporter in (exporters or EXPORTERS).values():
            for download in exporter(session, building, progress):
                path = building / download.name
                files.append(PublishedFile(**asdict(download), bytes=path.stat().st_size, sha256=_sha256(path)))
        publication = Publication(root / name, now, clinics, files)
        _write_json(building / MANIFEST, {"created": now.isoformat(), "clinics": clinics,
                                          "files": [asdict(f) for f in files]})
        shutil.rmtree(publication.folder, ignore_errors=True)  # a second run within the same second
        building.rename(publication.folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _write_json(root / CURRENT, {"folder": name})
    prune(root, keep=KEEP)
    return publication


def read_publication(folder: Path) -> Publication | None:
    """Return the publication a folder holds, or None when it has no readable manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return Publication(folder, datetime.fromisoformat(manifest["created"]), int(manifest["clinics"]),
                           [PublishedFile(**f) for f in manifest["files"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def current(root: Path) -> Publication | None:
    """Return the publication the site serves, or None before the first one."""
    try:
        name = json.loads((root / CURRENT).read_text(encoding="utf-8"))["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(name, str) or "/" in name or name.startswith("."):
        return None
    return read_publication(root / name)


def prune(root: Path, keep: int = KEEP) -> int:
    """Delete all but the newest `keep` publication folders (never the current one); return how many went."""
    serving = current(root)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    old = [p for p in folders[: max(len(folders) - keep, 0)] if serving is None or p != serving.folder]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return len(old)
