"""Suggestions as you type: clinics, clinicians (with their clinic) and places, at most MAX_SUGGESTIONS."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from provider_dir.geo.names.lookup import find_names
from provider_dir.geo.names.places import places_starting

MAX_SUGGESTIONS = 8
MIN_LETTERS = 2
FUZZY_LETTERS = 5  # misspellings are looked for only in what is at least this long (shorter: too many candidates)
KINDS = ("clinic", "clinician", "place")
PLACES_KEPT = 3  # places shown beside names (all eight when no name matches)


@dataclass(frozen=True)
class Suggestion:
    """One suggestion: what it is called, what kind it is, a line of context and where it leads."""

    label: str
    kind: str  # "clinic", "clinician" or "place"
    detail: str
    slug: str | None = None  # the clinic's, for clinics and clinicians
    place: str | None = None  # what a place suggestion puts in the place box


def suggestions(session: Session, typed: str) -> list[Suggestion]:
    """Return up to MAX_SUGGESTIONS for what was typed: names first (word and prefix matches from the index,
    misspelt ones only when none match), then places."""
    places = places_starting(typed, MAX_SUGGESTIONS)
    names = find_names(session, typed, MAX_SUGGESTIONS, fuzzy=False)
    if not names and len(typed.strip()) >= FUZZY_LETTERS:
        names = find_names(session, typed, MAX_SUGGESTIONS, respell=True)
    if typed.strip().isdigit():  # a ZIP code being typed: places first
        names = names[: max(0, MAX_SUGGESTIONS - len(places))]
    else:
        places = places[: max(PLACES_KEPT, MAX_SUGGESTIONS - len(names))]
        names = names[: MAX_SUGGESTIONS - len(places)]
    found = []
    for match in names:
        where = f"{match.city}, {match.state}"
        if match.staff_name:
            found.append(Suggestion(match.staff_name, "clinician", f"at {match.clinic_name}, {where}", match.slug))
        else:
            found.append(Suggestion(match.clinic_name, "clinic", where, match.slug))
    found += [Suggestion(p.label, "place", p.detail, place=p.label) for p in places]
    return found[:MAX_SUGGESTIONS]
