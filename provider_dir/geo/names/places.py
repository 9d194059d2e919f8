"""Places that start with what was typed: cities (most populous first) and ZIP codes, from the gazetteer.

Sorted lists built once per process are searched by bisection, so a look-up reads only the names that share
the prefix (at most PREFIX_SCAN of them), never the whole gazetteer.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from provider_dir.geo.places.gazetteer import gazetteer, normalise

PREFIX_SCAN = 400  # most names sharing a longer prefix that are read to pick the most populous ones
SHORT_PREFIX = 4  # the most populous places for every prefix up to this long are found ahead
KEEP = 8


@dataclass(frozen=True, slots=True)
class PlaceSuggestion:
    """A place a search can start from: its label (what goes in the place box) and its kind of place."""

    label: str
    detail: str


@lru_cache(maxsize=1)
def _indexes() -> tuple[list[tuple[str, int, str, str]], list[str], dict[str, list[tuple[str, int, str, str]]]]:
    g = gazetteer()
    names = []
    seen = set()
    for key in g._by_name:  # noqa: SLF001 - the gazetteer's own index, read once
        for place in g.places(key):
            if (key, place.state) not in seen:
                seen.add((key, place.state))
                names.append((key, -place.population, place.name, place.state))
    names.sort()
    short: dict[str, list[tuple[str, int, str, str]]] = {}
    for entry in sorted(names, key=lambda e: (e[1], e[0])):
        for n in range(2, SHORT_PREFIX + 1):
            best = short.setdefault(entry[0][:n], [])
            if len(entry[0]) >= n and len(best) < KEEP:
                best.append(entry)
    return names, sorted(g.zips), short


def places_starting(typed: str, limit: int) -> list[PlaceSuggestion]:
    """Return up to limit places whose name (or ZIP code) starts with what was typed."""
    text = typed.strip()
    if text.isdigit():
        zips = _indexes()[1]
        at = bisect_left(zips, text)
        found = [code for code in zips[at : at + limit] if code.startswith(text)]
        g = gazetteer()
        return [PlaceSuggestion(code, f"ZIP code · {g.zips[code].city.title()}, {g.zips[code].state}")
                for code in found]  # fmt: skip
    name, _, state_text = text.partition(",")
    prefix = normalise(name)
    if len(prefix) < 2:
        return []
    names, _, short = _indexes()
    state = gazetteer().state_code(normalise(state_text)) if state_text.strip() else None
    if len(prefix) <= SHORT_PREFIX and state is None:
        sharing = list(short.get(prefix, []))
    else:
        at = bisect_left(names, (prefix,))
        sharing = []
        for entry in names[at : at + PREFIX_SCAN]:
            if not entry[0].startswith(prefix):
                break
            if state is None or entry[3] == state:
                sharing.append(entry)
    # Exact names first, then the most populous.
    sharing.sort(key=lambda e: (e[0] != prefix, e[1]))
    labels = dict.fromkeys(f"{name}, {st}" for _, _, name, st in sharing)  # aliases repeat a place
    return [PlaceSuggestion(label, "City or town") for label in list(labels)[:limit]]
