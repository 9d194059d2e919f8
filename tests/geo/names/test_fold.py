"""How typed words are scored against a name's words: 2 x their longest common subsequence over both lengths."""

import pytest

from provider_dir.geo.names.fold import WORD_MATCH, name_score, word_score

NAME_WORDS = ["boise", "mood", "pain", "clinic", "x"]


def similarity(a: str, b: str) -> float:
    """2 x the longest common subsequence of a and b over their lengths, worked out by dynamic programming."""
    row = [0] * (len(b) + 1)
    for ch in a:
        diagonal = 0
        for j, other in enumerate(b, 1):
            diagonal, row[j] = row[j], diagonal + 1 if ch == other else max(row[j], row[j - 1])
    return 2 * row[-1] / (len(a) + len(b))


# "boeie" and "clinciuc": difflib's SequenceMatcher found less in common (0.6 and 0.71) than their subsequences hold.
TYPED = ["a", "b", "m", "x", "z", "bosie", "boeie", "modo", "clinc", "clinciuc", "pian", "klinik", "zzz"]


@pytest.mark.parametrize("typed", TYPED)
@pytest.mark.parametrize("last", [True, False])
def test_a_word_scores_its_best_similarity_to_a_word_of_the_name(typed, last):
    words = [w for w in NAME_WORDS if not (w == typed or (last and w.startswith(typed)))]
    expected = max(similarity(typed, w[: len(typed) + 2] if last else w) for w in words)
    assert word_score(typed, words, last) == pytest.approx(expected)


def test_a_typo_matches_and_another_word_does_not():
    assert word_score("ascnd", ["ascend", "infusion"], last=False) >= WORD_MATCH  # 10/11
    assert word_score("garsia", ["maria", "garcia"], last=False) >= WORD_MATCH  # 10/12
    assert word_score("clinic", ["ascend", "infusion"], last=False) < WORD_MATCH
    assert name_score(["ascnd", "infusion"], "Ascend Infusion Center") is not None
    assert name_score(["summit", "infusion"], "Ascend Infusion Center") is None


def test_a_letter_that_starts_a_word_of_the_name_matches_it_typed_last():
    assert word_score("p", NAME_WORDS, last=True) == 1.0
    assert name_score(["boise", "mood", "p"], "Boise Mood & Pain Clinic") == 1.0
    # A name's "&" reads as "and": typed "a" or "and" starts a word of it.
    assert name_score(["boise", "mood", "a"], "Boise Mood & Pain Clinic") == 1.0
    assert name_score(["boise", "mood", "and"], "Boise Mood & Pain Clinic") == 1.0
    assert name_score(["boise", "mood", "x"], "Boise Mood & Pain Clinic") < 1.0  # kept by fuzzy look-ups only
