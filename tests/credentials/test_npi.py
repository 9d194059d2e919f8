"""The NPI check digit."""

import pytest

from provider_dir.credentials.npi import is_valid_npi, make_npi, npi_check_digit, npi_problem


def test_the_cms_example_npi_is_valid():
    assert is_valid_npi("1234567893")


def test_a_wrong_check_digit_is_refused_with_a_reason():
    assert not is_valid_npi("1234567890")
    assert "check digit" in npi_problem("1234567890")


@pytest.mark.parametrize("value", ["123456789", "12345678931", "12345a7893", "", "3234567893"])
def test_malformed_values_are_refused(value):
    assert not is_valid_npi(value)


def test_made_npis_are_valid_and_differ_from_their_neighbours():
    npi = make_npi("198765432")
    assert is_valid_npi(npi)
    wrong = npi[:9] + str((int(npi[9]) + 1) % 10)
    assert not is_valid_npi(wrong)


def test_check_digit_needs_nine_digits():
    with pytest.raises(ValueError):
        npi_check_digit("12345")
