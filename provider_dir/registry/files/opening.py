"""Opening a registry CSV file safely: refuse what is empty, binary, not CSV or of another layout."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

# How often (in rows) the progress callback is told how many bytes were read.
PROGRESS_EVERY = 20_000


class BadFile(Exception):
    """The file cannot be loaded (the message says why); the loaded data stays as it was."""


def _sniff(path: Path) -> None:
    if not path.is_file():
        raise BadFile(f"{path.name}: no such file.")
    if path.stat().st_size == 0:
        raise BadFile(f"{path.name} is empty.")
    with path.open("rb") as raw:
        head = raw.read(4096)
    if b"\x00" in head:
        raise BadFile(f"{path.name} is not a CSV text file (it holds binary data).")


class CountingLines:
    """Iterate over a text file's lines, counting the characters read, for a progress bar."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.read += len(line)
            yield line


def open_table(path: Path, required: list[str], what: str) -> tuple[TextIO, CountingLines, Iterator[list[str]],
                                                                     dict[str, int], int]:
    """Open a CSV file and check its header; return the handle, the line counter, the row reader, the column
    indexes by name and the header's width. Raise BadFile when it is not such a file."""
    _sniff(path)
    handle = path.open(encoding="utf-8-sig", errors="strict", newline="")
    try:
        lines = CountingLines(handle)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise BadFile(f"{path.name} is empty.") from None
        header = [name.strip() for name in header]
        index = {name: i for i, name in enumerate(header)}
        missing = [name for name in required if name not in index]
        if missing:
            shown = ", ".join(f'"{m}"' for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
            raise BadFile(
                f"{path.name} is not {what}: its first line lacks the column(s) {shown} "
                f"(found {len(header)} columns)."
            )
        return handle, lines, reader, index, len(header)
    except (UnicodeDecodeError, csv.Error) as exc:
        handle.close()
        raise BadFile(f"{path.name} is not a readable CSV file ({exc}).") from None
    except BadFile:
        handle.close()
        raise


def rows_checked(path: Path, reader: Iterator[list[str]], width: int, lines: CountingLines,
                 progress: Callable[[int], None] | None) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, row) for every data row, refusing a row of the wrong width (a truncated file)."""
    told = 0
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            if len(row) != width:
                if not row:
                    continue
                raise BadFile(
                    f"{path.name}, row {number}: {len(row)} columns where the header has {width}; "
                    "the file looks truncated or damaged."
                )
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(lines.read - told)
                told = lines.read
            yield number, row
    except (UnicodeDecodeError, csv.Error) as exc:
        raise BadFile(f"{path.name}, near row {number + 1}: not readable as CSV ({exc}); "
                      "the file looks truncated or damaged.") from None
    if progress is not None:
        progress(lines.read - told)


_NAME_DATES = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?!.*\d{8})")
_NPPES_NAME = re.compile(r"npidata_pfile_\d{8}-(\d{4})(\d{2})(\d{2})", re.IGNORECASE)


def date_in_name(name: str) -> date | None:
    """Return the date a registry file's name carries (the period's end for NPPES files), if any."""
    for pattern in (_NPPES_NAME, _NAME_DATES):
        match = pattern.search(name)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def file_size(path: Path) -> int:
    """Return the file's size in bytes (the progress bar's length)."""
    return os.path.getsize(path)
