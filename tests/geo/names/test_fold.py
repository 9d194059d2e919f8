"""How typed words are scored against a name's words: the one-letter shortcut gives difflib's own ratio."""

from difflib import SequenceMatcher

import pytest

from provider_dir.geo.names.fold import name_score, word_score

NAME_WORDS = ["boise", "mood", "pain", "clinic", "x"]


@pytest.mark.parametrize("letter", list("abcmpxz"))
@pytest.mark.parametrize("last", [True, False])
def test_a_single_letter_scores_as_difflib_would(letter, last):
    words = [w for w in NAME_WORDS if not (w == letter or (last and w.startswith(letter)))]
    expected = max(SequenceMatcher(None, letter, w[:3] if last else w).ratio() for w in words)
    assert word_score(letter, words, last) == pytest.approx(expected)


def test_a_letter_that_starts_a_word_of_the_name_matches_it_typed_last():
    assert word_score("p", NAME_WORDS, last=True) == 1.0
    assert name_score(["boise", "mood", "p"], "Boise Mood & Pain Clinic") == 1.0
    # A name's "&" reads as "and": typed "a" or "and" starts a word of it.
    assert name_score(["boise", "mood", "a"], "Boise Mood & Pain Clinic") == 1.0
    assert name_score(["boise", "mood", "and"], "Boise Mood & Pain Clinic") == 1.0
    assert name_score(["boise", "mood", "x"], "Boise Mood & Pain Clinic") < 1.0  # kept by fuzzy look-ups only
