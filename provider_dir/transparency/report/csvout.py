"""CSV files of the report's tables, safe to open in a spreadsheet (no cell starts a formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value) -> str | int | float:
    """Return a cell value; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, (int, float)) or value is None:
        return "" if value is None else value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Return the table as CSV text (RFC 4180 line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard(cell) for cell in header])
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
    return out.getvalue()
