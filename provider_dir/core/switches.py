"""On/off settings as the environment spells them. No Flask."""

from __future__ import annotations

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def parse_switch(name: str, raw: str) -> bool:
    """Return the on/off value of the variable `name`; raise ValueError saying so when raw is neither."""
    word = raw.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise ValueError(f"{name}={word!r} is neither on nor off: use true or false.")
    return word in TRUE_WORDS
