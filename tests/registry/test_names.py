"""The name-matching approach, decided from these cases (see provider_dir/registry/checks/names.py)."""

from __future__ import annotations

import pytest

from provider_dir.registry.checks.names import MATCH, MISMATCH, compare_names

# (name as the clinic typed it, registry first, middle, last, expected)
CASES = [
    ("Ada Park", "ADA", "", "PARK", MATCH),
    ("Dr. Ada Park", "ADA", "LOUISE", "PARK", MATCH),  # title dropped, middle name missing on our side
    ("Ada L. Park", "ADA", "LOUISE", "PARK", MATCH),  # a middle initial agrees with the middle name
    ("Ada Louise Park", "ADA", "LOUISE", "PARK", MATCH),
    ("Ada Q. Park", "ADA", "LOUISE", "PARK", MISMATCH),  # a different middle initial
    ("Robert Chen Jr.", "ROBERT", "", "CHEN", MATCH),  # suffix
    ("Robert Chen III, MD", "ROBERT", "", "CHEN", MATCH),
    ("Maria Garcia-Lopez", "MARIA", "", "GARCIA-LOPEZ", MATCH),  # hyphen on both sides
    ("Maria Garcia Lopez", "MARIA", "", "GARCIA-LOPEZ", MATCH),
    ("Maria Lopez", "MARIA", "", "GARCIA-LOPEZ", MATCH),  # one half of a compound surname
    ("maria GARCIA-lopez", "Maria", "", "Garcia-Lopez", MATCH),  # case
    ("Siobhán O'Neil", "SIOBHAN", "", "ONEIL", MATCH),  # accent, apostrophe
    ("Park, Ada", "ADA", "", "PARK", MATCH),  # last name first
    ("Ada Parker", "ADA", "", "PARK", MISMATCH),  # near miss on the surname
    ("Ana Park", "ADA", "", "PARK", MISMATCH),  # a typing slip is shown, never silently accepted
    ("Adam Park", "ADA", "", "PARK", MISMATCH),
    ("Park", "ADA", "", "PARK", MISMATCH),
]


@pytest.mark.parametrize(("typed", "first", "middle", "last", "expected"), CASES)
def test_names(typed, first, middle, last, expected):
    assert compare_names(typed, first, middle, last)[0] == expected
