"""On/off and number settings as the environment spells them. No Flask."""

from __future__ import annotations

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def parse_switch(name: str, raw: str) -> bool:
    """Return the on/off value of the variable `name`; raise ValueError saying so when raw is neither."""
    word = raw.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise ValueError(f"{name}={word!r} is neither on nor off: use true or false.")
    return word in TRUE_WORDS


def parse_number(name: str, raw: str, example: str, *, more_than_zero: bool, hint: str = "") -> float:
    """Return the number the variable `name` holds; raise ValueError saying what is wrong with it, with the hint."""
    try:
        number = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number, such as {example}.") from None
    if number < 0 or (more_than_zero and number == 0):
        least = "more than 0" if more_than_zero else "0 or more"
        raise ValueError(f"{name}={raw!r} must be {least}{f' ({hint})' if hint else ''}.")
    return number
