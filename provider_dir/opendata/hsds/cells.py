"""CSV cells guarded against formula injection, in a way the importer undoes exactly.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a formula; OWASP's
advice is a leading apostrophe, which spreadsheets show as text and hide. So a text cell starting with one of
those characters gets an apostrophe in front. To make the round trip exact, a text that itself starts with an
apostrophe followed by one of them (or by another apostrophe) gets one more; `unguard` removes exactly one
apostrophe from a cell that starts with an apostrophe followed by one of those characters or an apostrophe.
Numbers are written as numbers and never guarded (a longitude of -71.05 stays a number).
"""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r")
_AFTER_APOSTROPHE = TRIGGERS | {"'"}


def guard(text: str) -> str:
    """Return a text cell safe to open in a spreadsheet."""
    if not text:
        return text
    first = text[0]
    if first in TRIGGERS or (first == "'" and text[1:2] in _AFTER_APOSTROPHE and len(text) > 1):
        return "'" + text
    return text


def unguard(text: str) -> str:
    """Return the text a guarded cell stood for (a cell that was never guarded comes back unchanged)."""
    if len(text) > 1 and text[0] == "'" and text[1] in _AFTER_APOSTROPHE:
        return text[1:]
    return text
