"""Check an uploaded file by its content and keep it under a generated name. No Flask: callers pass the folder."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# The first bytes of each accepted type; the name and the browser's stated type are never trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
ACCEPTED_TYPES_TEXT = "a PDF, PNG or JPEG file of at most 5 MB"


class DocumentRejected(ValueError):
    """The file is empty, too large or not one of the accepted types; the message says which."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """Where a checked file was written and what it is."""

    storage_name: str
    content_type: str
    size_bytes: int
    sha256: str


def sniff_type(data: bytes) -> str | None:
    """Return the accepted content type the bytes begin with, or None."""
    for content_type, signatures in SIGNATURES.items():
        if any(data.startswith(signature) for signature in signatures):
            return content_type
    return None


def check(data: bytes) -> str:
    """Return the file's content type, or raise DocumentRejected with a message a person can act on."""
    if not data:
        raise DocumentRejected(f"The file is empty. Please choose {ACCEPTED_TYPES_TEXT}.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRejected(too_large_message(len(data)))
    content_type = sniff_type(data)
    if content_type is None:
        raise DocumentRejected(
            f"This file is not a PDF, PNG or JPEG (its content was checked, not its name). Please choose "
            f"{ACCEPTED_TYPES_TEXT}."
        )
    return content_type


def too_large_message(size_bytes: int) -> str:
    """Say how large the file is and what the limit is."""
    return f"The file is {size_bytes / (1024 * 1024):.1f} MB; the limit is 5 MB. Please upload a smaller copy."


def store(data: bytes, folder: Path) -> StoredFile:
    """Check the bytes and write them under a random name in folder; raise DocumentRejected when unfit."""
    content_type = check(data)
    folder.mkdir(parents=True, exist_ok=True)
    storage_name = f"{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"
    (folder / storage_name).write_bytes(data)
    return StoredFile(storage_name, content_type, len(data), hashlib.sha256(data).hexdigest())


def path_of(folder: Path, storage_name: str) -> Path:
    """Return the file's path, refusing any name that is not a plain generated file name."""
    if not storage_name or Path(storage_name).name != storage_name or storage_name.startswith("."):
        raise FileNotFoundError(storage_name)
    return folder / storage_name
