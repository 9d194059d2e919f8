"""Matching a staff member's name, as the clinic typed it, with a registry's name fields.

The approach (chosen from the cases in tests/registry/test_names.py): both sides are reduced to lower-case
ASCII words (accents dropped, hyphens and full stops split words, apostrophes joined: "O'Neil" is "oneil");
titles ("Dr") are dropped from the front and suffixes and degrees ("Jr", "III", "MD", "PMHNP-BC") from the end.
Then the first word must equal the registry's first name, and the surname must agree: every word of the
registry's last name appears in the staff name, or the staff name ends with one part of a compound surname
("Garcia" for "GARCIA-LOPEZ"). A middle name the staff name gives must agree with the registry's middle name
(a middle initial agrees with its name). No fuzzy distance is used: a typing slip is shown to the moderator
as a difference to look at, never silently accepted, because two real people can be one letter apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor"})
SUFFIXES = frozenset({
    "jr", "sr", "ii", "iii", "iv", "v", "md", "do", "phd", "psyd", "np", "rn", "bsn", "msn", "crna", "pa", "c",
    "pac", "dnp", "aprn", "fnp", "pmhnp", "bc", "mba", "mph", "ms", "ma", "lcsw", "lpc", "mft", "lmft", "facp",
    "faap", "fapa", "dabpm", "cnp", "anp", "pharmd", "esq", "dds", "dmd", "od", "dpm", "dc", "lpn", "cns",
})  # fmt: skip
MATCH, MISMATCH = "match", "mismatch"
_NOT_LETTER = re.compile(r"[^a-z ]+")


@lru_cache(maxsize=100_000)
def name_key(value: str) -> str:
    """Return a name as lower-case ASCII words separated by single spaces."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    value = value.replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_LETTER.sub(" ", value).split())


def staff_words(full_name: str) -> list[str]:
    """Return the words of a name as typed, without titles, suffixes or degrees, in given-name-first order."""
    if "," in full_name:
        head, _, tail = full_name.partition(",")
        tail_words = name_key(tail).split()
        # "Park, Ada M." is Ada M. Park; "Ada Park, Jr." is Ada Park.
        full_name = f"{tail} {head}" if tail_words and not all(w in SUFFIXES for w in tail_words) else head
    words = name_key(full_name).split()
    while len(words) > 2 and words[0] in TITLES:
        words.pop(0)
    while len(words) > 2 and words[-1] in SUFFIXES:
        words.pop()
    return words


def compare_names(staff_name: str, first: str, middle: str, last: str) -> tuple[str, str]:
    """Return (MATCH or MISMATCH, why) for a staff member's name against a registry's first, middle, last."""
    words = staff_words(staff_name)
    given, surname, middles = name_key(first).split(), name_key(last).split(), name_key(middle).split()
    if len(words) < 2 or not given or not surname:
        return MISMATCH, "The name is too short to compare."
    if words[0] != given[0]:
        return MISMATCH, "The first name differs."
    rest = words[1:]
    if all(part in rest for part in surname):
        used = set(surname)
    elif rest[-1] in surname:
        used = {rest[-1]}
    else:
        return MISMATCH, "The last name differs."
    extra = [w for w in rest if w not in used and w not in given[1:]]
    if extra and middles:
        for word in extra:
            if not any(m == word or (len(word) == 1 and m.startswith(word)) for m in middles):
                return MISMATCH, "The middle name differs."
    return MATCH, ""


def registry_name(first: str, middle: str, last: str, suffix: str = "", credential: str = "") -> str:
    """Return a registry's name parts as one readable name."""
    name = " ".join(part for part in (first, middle, last) if part)
    if suffix:
        name = f"{name} {suffix}"
    return f"{name}, {credential}" if credential else name


def first_word(value: str) -> str:
    """Return the first word of a first name, as the LEIE's name index holds it."""
    words = name_key(value).split()
    return words[0][:60] if words else ""
