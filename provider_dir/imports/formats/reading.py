"""Read an import file row by row: a CSV (UTF-8 with or without BOM, or Windows-1252), or HSDS 3.0 data.

Every reader yields (label, row) where label names the place in the file ("line 7", "item 3") and row maps our
CSV column names to text, so one checking path serves every format. A file that cannot be read at all raises
Unreadable with a message for the person who chose it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from provider_dir.imports.errors import Unreadable
from provider_dir.imports.formats import hsds
from provider_dir.imports.formats.rows import KNOWN, REQUIRED

CHUNK = 1 << 16
BINARY_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive", b"PK\x03\x04": "a ZIP archive",
                b"\xd0\xcf\x11\xe0": "an old Excel or Word file"}  # fmt: skip
csv.field_size_limit(1 << 20)


@dataclass
class Source:
    """An opened import file: its format, the columns it has and ignores, and a way to walk its rows."""

    path: Path
    file_format: str
    columns: list[str]
    unknown_columns: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    def rows(self) -> Iterator[tuple[str, dict]]:
        """Yield (label, row) for every row, streaming."""
        if self.file_format == "csv":
            return _csv_rows(self.path, self.encoding)
        if self.file_format == "hsds_json":
            return hsds.json_rows(self.path)
        return hsds.package_rows(self.path)

    def size_hint(self) -> int:
        """Return the file's size in bytes, for a progress bar."""
        return self.path.stat().st_size if self.path.is_file() else 0


def open_source(path: str | Path) -> Source:
    """Work out what a file is and check it can be read; raise Unreadable with the reason when not."""
    path = Path(path)
    if not path.exists():
        raise Unreadable(f"There is no file or folder at {path}.")
    if path.is_dir() or path.suffix.lower() == ".zip":
        return Source(path, "hsds_package", list(hsds.open_package(path).service_columns))
    head = _head(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        hsds.check_json_start(path)
        return Source(path, "hsds_json", [])
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            raise Unreadable(f"This is {kind}, not a CSV file. Save the spreadsheet as CSV (comma-separated) first.")
    if head.count(b"\x00") > len(head) // 100 + 2:
        raise Unreadable("This is a binary file, not a CSV file. Save the spreadsheet as CSV (comma-separated) first.")
    encoding = detect_encoding(path)
    columns = _header(path, encoding)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise Unreadable(
            "This is not a CSV of clinics: its first line should name the columns, and it lacks "
            f"{', '.join(missing)} (required: {', '.join(REQUIRED)})."
        )
    unknown = [name for name in columns if name and name not in KNOWN]
    return Source(path, "csv", columns, unknown, encoding)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4096)


def detect_encoding(path: Path) -> str:
    """Return utf-8-sig (BOM), utf-8, or cp1252 when the bytes are not UTF-8; read in chunks, never whole."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise Unreadable(
                "The file is neither UTF-8 nor Windows-1252 text (byte "
                f"0x{exc.object[exc.start]:02x} cannot be read). Save it as CSV UTF-8."
            ) from exc
    return "cp1252"


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    return path.open("r", encoding=encoding, newline="")


def _header(path: Path, encoding: str) -> list[str]:
    with _open_text(path, encoding) as handle:
        try:
            first = next(csv.reader(handle), None)
        except csv.Error as exc:
            raise Unreadable(f"The first line cannot be read as CSV: {exc}.") from exc
    if not first:
        raise Unreadable("The file is empty: the first line should name the columns.")
    return [name.strip().lower() for name in first]


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[str, dict]]:
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle)
        header = [name.strip().lower() for name in next(reader)]
        columns = [(i, name) for i, name in enumerate(header) if name in KNOWN]
        last_line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield f"line {last_line + 1}", {"__error__": f"cannot be read as CSV ({exc})"}
                last_line = reader.line_num
                continue
            start, last_line = last_line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            width = len(values)
            yield f"line {start}", {name: (values[i] if i < width else "") for i, name in columns}


def count_rows(source: Source) -> int:
    """Return about how many rows the source has (lines of a CSV, items of HSDS), for a progress bar."""
    if source.file_format == "csv":
        with source.path.open("rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(CHUNK), b""))
        return max(lines, 1)
    return hsds.count_services(source.path, source.file_format == "hsds_json") or 1
