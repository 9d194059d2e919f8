"""The checks themselves: plain functions from what the registry holds to a stored result (no Flask, no SQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from provider_dir.registry.checks.names import MATCH, compare_names, registry_name
from provider_dir.registry.files.taxonomy import describe

# Results of an NPI check.
NPI_MATCH = "match"
NOT_FOUND = "not_found"
DEACTIVATED = "deactivated"
REPLACED = "replaced"
ORGANISATION = "organisation"
NAME_MISMATCH = "name_mismatch"
# Results of a licence check (NOT_FOUND: the staff member's NPI is not in the registry).
LICENCE_MATCH = "match"
NO_NPI = "no_npi"
OTHER_STATE = "other_state"
NOT_LISTED = "not_listed"
# Results of the LEIE check.
CLEAR = "clear"
POSSIBLE = "possible"
# Every result an NPPES check can store.
REGISTRY_RESULTS = frozenset({NPI_MATCH, NOT_FOUND, DEACTIVATED, REPLACED, ORGANISATION, NAME_MISMATCH, NO_NPI,
                              OTHER_STATE, NOT_LISTED})
# The results a moderator may verify with one click.
ALL_MATCH = frozenset({NPI_MATCH, LICENCE_MATCH})


@dataclass(frozen=True, slots=True)
class Registration:
    """What NPPES holds about one NPI, from the loaded file or the API."""

    npi: str
    entity_type: int | None = None
    replacement_npi: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    name_suffix: str = ""
    credential_text: str = ""
    organization_name: str = ""
    city: str = ""
    state: str = ""
    deactivated_on: date | None = None
    reactivated_on: date | None = None
    last_update: date | None = None
    # (taxonomy code, licence number, licence state, primary "Y"/"N"/"")
    taxonomies: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def deactivated(self) -> bool:
        """True while a deactivation is not undone by a later reactivation."""
        if self.deactivated_on is None:
            return False
        return self.reactivated_on is None or self.reactivated_on < self.deactivated_on

    @property
    def name(self) -> str:
        """The registry's name for the NPI (a person's or an organisation's)."""
        if self.entity_type == 2:
            return self.organization_name
        return registry_name(self.first_name, self.middle_name, self.last_name, self.name_suffix,
                             self.credential_text)

    def summary(self) -> dict:
        """Return what moderators are shown of the record (stored with each check)."""
        return {
            "npi": self.npi,
            "name": self.name,
            "entity": {1: "individual", 2: "organisation"}.get(self.entity_type or 0, "unknown"),
            "city": self.city,
            "state": self.state,
            "deactivated_on": self.deactivated_on.isoformat() if self.deactivated_on else None,
            "reactivated_on": self.reactivated_on.isoformat() if self.reactivated_on else None,
            "replacement_npi": self.replacement_npi or None,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "taxonomies": [
                {"code": code, "description": describe(code), "license": lic, "state": st, "primary": primary == "Y"}
                for code, lic, st, primary in self.taxonomies
            ],
        }


@dataclass(slots=True)
class Outcome:
    """One check's result and what lies behind it."""

    result: str
    reason: str = ""
    detail: dict = field(default_factory=dict)


def check_npi(staff_name: str, record: Registration | None) -> Outcome:
    """Check an NPI credential against its registration: found, active, an individual's, the same person."""
    if record is None:
        return Outcome(NOT_FOUND, "This NPI is not in the NPPES registry.")
    detail: dict = {}
    if record.deactivated:
        if record.replacement_npi:
            return Outcome(REPLACED, f"This NPI was deactivated on {record.deactivated_on.isoformat()} and "
                                     f"replaced by NPI {record.replacement_npi}.", detail)
        return Outcome(DEACTIVATED, f"This NPI was deactivated on {record.deactivated_on.isoformat()}.", detail)
    if record.entity_type == 2:
        return Outcome(ORGANISATION, f"This NPI belongs to an organisation ({record.organization_name}), "
                                     "not to a person.", detail)
    verdict, why = compare_names(staff_name, record.first_name, record.middle_name, record.last_name)
    if verdict != MATCH:
        return Outcome(NAME_MISMATCH, f"{why} The registry has {record.name}.", detail)
    return Outcome(NPI_MATCH, "", detail)


_LICENCE_NOISE = re.compile(r"[^A-Z0-9]")
_LETTERS = re.compile(r"[A-Z]*")


def licence_key(number: str) -> str:
    """Return a licence number in capitals without spaces, punctuation or zeros leading its digits."""
    key = _LICENCE_NOISE.sub("", number.upper())
    prefix = _LETTERS.match(key).group(0)
    digits = key[len(prefix):].lstrip("0")
    return prefix + digits if digits else key


def _same_licence(ours: str, theirs: str) -> bool:
    a, b = licence_key(ours), licence_key(theirs)
    if not a or not b:
        return False
    if a == b:
        return True
    # A board's letter prefix is written by some and left out by others ("MD12345" and "12345").
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer.endswith(shorter) and longer[: len(longer) - len(shorter)].isalpha() and len(shorter) >= 4


def check_licence(number: str, state: str, npi: str | None, record: Registration | None) -> Outcome:
    """Check a state licence: does NPPES list this number in this state for the staff member's NPI?"""
    state = state.strip().upper()
    if not npi:
        return Outcome(NO_NPI, "No NPI is listed for this clinician, so the licence cannot be looked up.")
    if record is None:
        return Outcome(NOT_FOUND, f"The clinician's NPI {npi} is not in the NPPES registry.")
    detail: dict = {}
    listed = [(lic, st) for _, lic, st, _ in record.taxonomies if lic]
    here = [(lic, st) for lic, st in listed if _same_licence(number, lic)]
    if any(st == state for _, st in here):
        if record.deactivated:
            return Outcome(DEACTIVATED, f"NPPES lists this licence, but the NPI {npi} was deactivated on "
                                        f"{record.deactivated_on.isoformat()}.", detail)
        return Outcome(LICENCE_MATCH, "", detail)
    if here:
        states = ", ".join(sorted({st for _, st in here}))
        return Outcome(OTHER_STATE, f"NPPES lists licence {number} in {states}, not in {state}.", detail)
    return Outcome(NOT_LISTED, f"NPPES does not list licence {number} in {state} for NPI {npi}.", detail)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """One LEIE row."""

    last_name: str
    first_name: str
    middle_name: str
    npi: str
    state: str
    city: str = ""
    specialty: str = ""
    general: str = ""
    exclusion_type: str = ""
    excluded_on: date | None = None

    @property
    def name(self) -> str:
        """The name as the LEIE gives it."""
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


def exclusion_matches(staff_name: str, npis: set[str], state: str,
                      rows: list[Exclusion]) -> list[tuple[str, Exclusion]]:
    """Return the LEIE rows that may be this clinician, each with how it matched: "npi" or "name_state".

    A name match needs the same last name, the same first name and the clinic's state; a different middle name
    rules a row out (a middle name missing on either side does not). A row whose NPI is present and differs
    from the clinician's NPI is not matched by name: the OIG has identified that person by another NPI.
    """
    found: list[tuple[str, Exclusion]] = []
    state = state.strip().upper()
    for row in rows:
        if row.npi and row.npi in npis:
            found.append(("npi", row))
            continue
        if row.npi and npis:
            continue
        if row.state.upper() != state:
            continue
        verdict, _ = compare_names(staff_name, row.first_name, row.middle_name, row.last_name)
        if verdict == MATCH:
            found.append(("name_state", row))
    return found
