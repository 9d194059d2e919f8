"""The DEA number check, worked by hand on published examples."""

import pytest

from provider_dir.credentials.dea import dea_check_digit, dea_problem, is_valid_dea, make_dea, normalise_dea


def test_the_check_digit_follows_the_published_rule():
    # AB123456?: (1 + 3 + 5) + 2 x (2 + 4 + 6) = 9 + 24 = 33, so the check digit is 3.
    assert dea_check_digit("123456") == 3
    assert is_valid_dea("AB1234563")
    # 0, 0, 0 and 2 x (9 + 9 + 9) = 54: check digit 4.
    assert dea_check_digit("090909") == 4


@pytest.mark.parametrize("number", ["AB1234563", "ab1234563", "AB 123 4563", "A91234563", "MZ7164798"])
def test_valid_numbers_pass(number):
    assert dea_problem(number) is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("AB1234564", "does not match its check digit"),
        ("AB123456", "two letters followed by seven digits"),
        ("1B1234563", "two letters followed by seven digits"),
        ("AB12345630", "two letters followed by seven digits"),
        ("", "two letters followed by seven digits"),
        ("ZB1234563", "cannot start with Z"),
    ],
)
def test_bad_numbers_say_what_is_wrong(number, message):
    assert message in dea_problem(number)


def test_every_wrong_last_digit_is_caught():
    for wrong in "013456789":
        assert not is_valid_dea(f"FC131564{wrong}")
    assert is_valid_dea("FC1315642")


def test_make_dea_and_normalise():
    assert make_dea("bh", "181272") == "BH1812723"
    assert normalise_dea(" bh-181 2723 ") == "BH1812723"
    with pytest.raises(ValueError):
        dea_check_digit("12345")
