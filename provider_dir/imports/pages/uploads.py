"""Files uploaded on the admin page, kept between the dry run and the admin's confirm or cancel.

Each file is stored under a generated name (never the uploader's) in UPLOAD_FOLDER/imports/, beside a small JSON
note of who uploaded it, when, its original name and the source name given. Confirming or cancelling deletes both.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from werkzeug.datastructures import FileStorage

from provider_dir.models.base import utcnow

ALLOWED_SUFFIXES = (".csv", ".json", ".zip")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")
NAME_MAX = 200


class UploadRefused(ValueError):
    """The upload is not a file the import reads."""


@dataclass
class PendingUpload:
    """An uploaded file waiting for the admin's decision."""

    token: str
    suffix: str
    original_name: str
    source: str
    uploader_id: int
    uploaded_at: str

    def path(self, folder: Path) -> Path:
        """Return where the file is kept."""
        return folder / f"{self.token}{self.suffix}"


def pending_folder(upload_folder: str | Path) -> Path:
    """Return (and create) the folder of pending import files."""
    folder = Path(upload_folder) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(folder: Path, upload: FileStorage, source: str, uploader_id: int,
         now: datetime | None = None) -> PendingUpload:
    """Store an uploaded file under a generated name; raise UploadRefused for a kind the import cannot read."""
    original = Path(upload.filename or "").name[:NAME_MAX]
    suffix = Path(original).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadRefused("Choose a .csv file, a .json file of HSDS services, or a .zip HSDS data package.")
    pending = PendingUpload(secrets.token_urlsafe(16), suffix, original, source, uploader_id,
                            (now or utcnow()).isoformat())
    upload.save(pending.path(folder))
    (folder / f"{pending.token}.note.json").write_text(json.dumps(asdict(pending)), encoding="utf-8")
    return pending


def find(folder: Path, token: str) -> PendingUpload | None:
    """Return the pending upload with this token, or None (bad, used or cancelled tokens alike)."""
    if not TOKEN.match(token or ""):
        return None
    note = folder / f"{token}.note.json"
    if not note.is_file():
        return None
    pending = PendingUpload(**json.loads(note.read_text(encoding="utf-8")))
    return pending if pending.path(folder).is_file() else None


def discard(folder: Path, pending: PendingUpload) -> None:
    """Delete the file and its note."""
    pending.path(folder).unlink(missing_ok=True)
    (folder / f"{pending.token}.note.json").unlink(missing_ok=True)
