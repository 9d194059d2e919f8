"""What a typed name becomes before it is looked up: accents, case and punctuation folded, titles dropped."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

MAX_QUERY_LENGTH = 100
# Titles and degrees people type around a clinician's name ("Dr. García, MD"); the names are found without them.
TITLES = frozenset({"dr", "doctor", "md", "do", "np", "pa", "rn", "crna", "phd", "aprn", "pmhnp", "mr", "mrs", "ms"})
# A typed word matches a word of a name this similar: rapidfuzz's ratio, 2 x the longest common subsequence over both
# lengths ("ascnd" ~ "ascend" 0.91), as the misspelling path (lookup.py) finds its candidates by.
WORD_MATCH = 0.75


def fold(text: str) -> str:
    """Return the text in lower case without accents, with every run of other characters one space."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.replace("'", "")).split())


def query_words(text: str) -> list[str]:
    """Return the words of a typed name worth looking up (titles dropped unless nothing else is left)."""
    words = fold(text).split()
    kept = [word for word in words if word not in TITLES]
    return kept or words


def word_score(word: str, name_words: Sequence[str], last: bool) -> float:
    """How well one typed word matches a name: 1 for a word (or, typed last, a prefix of one), else the best ratio."""
    best = 0.0
    for candidate in name_words:
        if candidate == word or (last and candidate.startswith(word)):
            return 1.0
        compared = candidate[: len(word) + 2] if last else candidate
        # In C: difflib's SequenceMatcher gave the same verdicts at 45 times the cost (a sixth of a suggestion).
        best = max(best, fuzz.ratio(word, compared) / 100)
    return best


# Typed words that the name indexes do not look up: a name's "&" reads as "and" (name_score judges them).
CONNECTIVES = frozenset({"and"})


# A name's folded words, kept: as a name is typed letter by letter, each suggestion scores the same names again.
@lru_cache(maxsize=16_384)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(fold(name.replace("&", " and ")).split())


def name_score(words: list[str], name: str) -> float | None:
    """Return how well the typed words match a name (0 to 1), or None when too few of them match.

    Words match exactly, as a prefix (the last one, still being typed) or with a typo; up to a third of the
    words may be missing from the name ("ascend ketamine infusion" finds "Ascend Infusion Center").
    """
    if not words:
        return None
    name_words = _name_words(name)
    scores = [word_score(word, name_words, i == len(words) - 1) for i, word in enumerate(words)]
    matched = sum(score >= WORD_MATCH for score in scores)
    if matched < max(1, len(words) - len(words) // 3):
        return None
    return sum(scores) / len(scores)
