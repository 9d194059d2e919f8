"""Near-duplicate text detection: word shingles and Jaccard similarity. Plain functions."""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SHINGLE_SIZE = 3
NEAR_DUPLICATE = 0.8
# Below this many shingles a text is too short to call a copy (two "great clinic" reviews are not spam).
MIN_SHINGLES = 6


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[tuple[str, ...]]:
    """Return the set of word n-grams of a text, case and punctuation ignored."""
    words = WORD.findall(text.lower())
    if len(words) < size:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    """Return |a & b| / |a | b| (0 for two empty sets)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def most_similar(
    text: str,
    candidates: Iterable[tuple[int, str]],
    threshold: float = NEAR_DUPLICATE,
    min_shingles: int = MIN_SHINGLES,
) -> tuple[int, float] | None:
    """Return (id, similarity) of the candidate most like text when it reaches threshold, else None."""
    own = shingles(text)
    if len(own) < min_shingles:
        return None
    best: tuple[int, float] | None = None
    for candidate_id, candidate_text in candidates:
        score = jaccard(own, shingles(candidate_text))
        if score >= threshold and (best is None or score > best[1]):
            best = (candidate_id, score)
    return best
