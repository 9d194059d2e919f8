"""The National Provider Identifier check digit (Luhn over the 80840 prefix)."""

NPI_PREFIX = "80840"


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn check digit for a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:  # every second digit from the right, starting with the rightmost payload digit
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def npi_check_digit(first_nine: str) -> int:
    """Return the NPI check digit for its first nine digits."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("an NPI check digit needs exactly nine digits")
    return luhn_check_digit(NPI_PREFIX + first_nine)


def npi_problem(value: str) -> str | None:
    """Return why a value is not a valid NPI, or None when it is one."""
    value = value.strip()
    if len(value) != 10 or not value.isdigit():
        return "An NPI has exactly 10 digits."
    if value[0] not in "12":
        return "An NPI starts with 1 or 2."
    if npi_check_digit(value[:9]) != int(value[9]):
        return "This NPI's last digit does not match its check digit; please re-check the number."
    return None


def is_valid_npi(value: str) -> bool:
    """Return True when value is a 10-digit NPI with a correct check digit."""
    return npi_problem(value) is None


def make_npi(first_nine: str) -> str:
    """Complete nine digits into a valid NPI."""
    return first_nine + str(npi_check_digit(first_nine))
