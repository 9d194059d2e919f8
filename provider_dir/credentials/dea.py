"""The DEA registration number: two letters and seven digits, the last a check digit."""

from __future__ import annotations

import re

# The first letter names the kind of registrant (practitioner, mid-level practitioner, pharmacy, ...).
REGISTRANT_LETTERS = frozenset("ABCDEFGHJKLMPRSTUX")
DEA_SHAPE = re.compile(r"[A-Z][A-Z9][0-9]{7}")


def normalise_dea(value: str) -> str:
    """Return the number in capitals with spaces and dashes removed, as it is stored."""
    return re.sub(r"[\s-]", "", value or "").upper()


def dea_check_digit(six: str) -> int:
    """Return the check digit for the first six digits: (1st + 3rd + 5th) + 2 x (2nd + 4th + 6th), last digit."""
    if len(six) != 6 or not six.isdigit():
        raise ValueError("a DEA check digit needs exactly six digits")
    d = [int(ch) for ch in six]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10


def dea_problem(value: str) -> str | None:
    """Return why a value is not a valid DEA number, or None when it is one."""
    number = normalise_dea(value)
    if not DEA_SHAPE.fullmatch(number):
        return "A DEA number is two letters followed by seven digits, for example AB1234563."
    if number[0] not in REGISTRANT_LETTERS:
        return f"A DEA number cannot start with {number[0]}; the first letter names the kind of registrant."
    if dea_check_digit(number[2:8]) != int(number[8]):
        return "This DEA number's last digit does not match its check digit; please re-check the number."
    return None


def is_valid_dea(value: str) -> bool:
    """Return True when value is a DEA number with a correct check digit."""
    return dea_problem(value) is None


def make_dea(prefix: str, six: str) -> str:
    """Complete two letters and six digits into a valid DEA number."""
    return f"{prefix.upper()}{six}{dea_check_digit(six)}"
