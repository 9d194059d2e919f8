"""The one place that words evidence: what it is, and how far it was checked. No Flask, no database.

Every sentence here follows one rule: the words "checked", "verified" and "moderator" appear only when a
moderator's verification is on record with who and when, and then the sentence names both. A status stored as
verified without a name or a date is said to be unconfirmed; evidence that was only supplied is described as
supplied. The clinic page, the credential tables and the JSON all word evidence through these functions.
"""

from __future__ import annotations

from datetime import date, datetime

# Evidence kinds (scoring.vocab.EvidenceKind values).
SR, DOC, REG, MOD, PR = "SR", "DOC", "REG", "MOD", "PR"
KINDS = (SR, DOC, REG, MOD, PR)
# Verification states (scoring.vocab.AnswerStatus and credentials.vocab.CredentialStatus values). "refused" means a
# moderator looked at the evidence and refused it; it is handled as a string so it works before and after the enum
# value exists.
UNKNOWN, SELF_REPORTED, VERIFIED, REFUSED, EXPIRED = "unknown", "self_reported", "verified", "refused", "expired"
STATES = (SELF_REPORTED, VERIFIED, REFUSED, EXPIRED, UNKNOWN)
# Outcomes of an item that only patients' answers produce.
PATIENT_CORROBORATED, CONTRADICTED = "patient_corroborated", "contradicted"

# What the evidence is, never how far anyone looked at it.
KIND_NOUNS = {
    SR: "The clinic's own statement",
    DOC: "A document the clinic supplied",
    REG: "A registry number the clinic supplied",
    MOD: "A review of the listing by this site's team",
    PR: "Patients' answers in published reviews",
    None: "Evidence",
}
# Short forms for legends and the JSON.
KIND_SHORT = {
    SR: "Clinic's own statement",
    DOC: "Document from the clinic",
    REG: "Registry number from the clinic",
    MOD: "Review of the listing by this site",
    PR: "Patients' answers in reviews",
}

BADGES = {
    VERIFIED: "Verified",
    SELF_REPORTED: "Self-reported",
    REFUSED: "Refused",
    EXPIRED: "Expired",
    UNKNOWN: "Unknown",
    PATIENT_CORROBORATED: "Confirmed by patients",
    CONTRADICTED: "Contradicted by patients",
}
UNCONFIRMED_BADGE = "Unconfirmed"


def _value(value) -> str | None:
    """Return an enum's value, or the string itself (templates pass either)."""
    return getattr(value, "value", value)


def _day(when: date | datetime | None) -> str:
    return f"{when:%B} {when.day}, {when.year}" if when else ""


def _short_day(when: date | datetime | None) -> str:
    return f"{when:%b} {when.day}, {when.year}" if when else ""


def on_record(state, who: str | None, when: date | datetime | None) -> bool:
    """Return True when a moderator's verification is on record: the state is verified, with who and when."""
    return _value(state) == VERIFIED and bool(who) and when is not None


def kind_noun(kind) -> str:
    """Return what a piece of evidence is, with no claim about whether anyone looked at it."""
    return KIND_NOUNS.get(_value(kind), KIND_NOUNS[None])


def badge(state, who: str | None = None, when: date | datetime | None = None) -> str:
    """Return the one- or two-word status a badge shows; "Verified" only with who and when on record."""
    state = _value(state)
    if state == VERIFIED and not on_record(state, who, when):
        return UNCONFIRMED_BADGE
    return BADGES.get(state, BADGES[UNKNOWN])


def _checked(kind, who: str, when) -> str:
    kind = _value(kind)
    by = f"by moderator {who} on {_day(when)}"
    if kind == DOC:
        return f"Document checked {by}."
    if kind == REG:
        return f"Registry number checked against the registry {by}."
    if kind == SR:
        return f"The clinic's statement, checked {by}."
    if kind == PR:
        return f"Patients' answers in published reviews; the item was checked {by}."
    return f"Checked {by}."


def evidence_sentence(
    kind,
    state,
    who: str | None = None,
    when: date | datetime | None = None,
    expires_on: date | None = None,
) -> str:
    """Say what the evidence is and how far it was checked, naming who and when wherever a check is claimed.

    :param who: the moderator's name on record (the verifier, or for a refusal the person who refused it).
    :param when: when they did it.
    """
    kind, state = _value(kind), _value(state)
    noun = kind_noun(kind)
    if state == VERIFIED:
        if on_record(state, who, when):
            return _checked(kind, who, when)
        return (
            f"{noun}. It is marked as confirmed, but no record says who confirmed it or when, so treat it as the "
            "clinic's word."
        )
    if state == SELF_REPORTED:
        if kind == MOD:
            return "This site's team has not yet looked at the listing for this; until then it is the clinic's word."
        return f"{noun}. The clinic says so; nobody from this site has looked at the evidence yet."
    if state == REFUSED:
        by = f" by {who}" if who else ""
        on = f" on {_day(when)}" if when else ""
        return (
            f"{noun}, looked at{by}{on} and refused: it does not show what the clinic claims, so it counts for nothing."
        )
    if state == EXPIRED:
        until = f" expired on {_day(expires_on)}" if expires_on else " has expired"
        sentence = f"{noun}; it{until} and no longer counts."
        if who and when:
            sentence += f" Before that it had been checked by moderator {who} on {_day(when)}."
        return sentence
    return "Nothing is on record for this yet."


def credential_sentence(
    state,
    who: str | None = None,
    when: date | datetime | None = None,
    expires_on: date | None = None,
    today: date | None = None,
) -> str:
    """Say how far a staff member's credential was checked, as of today (a passed expiry date makes it expired)."""
    stored = state = _value(state)
    if expires_on is not None and today is not None and expires_on < today and state != UNKNOWN:
        state = EXPIRED
    if state == VERIFIED:
        if on_record(state, who, when):
            return f"Checked against the issuer's records by moderator {who} on {_day(when)}."
        return "Marked as confirmed, but no record says who confirmed it or when, so treat it as self-reported."
    if state == REFUSED:
        by = f" by {who}" if who else ""
        on = f" on {_day(when)}" if when else ""
        return f"Looked at{by}{on} and refused: the issuer's records do not match what the clinic listed."
    if state == EXPIRED:
        sentence = f"Expired on {_day(expires_on)}; it no longer counts." if expires_on else "Expired."
        if stored in (VERIFIED, EXPIRED) and who and when:
            sentence += f" It had been checked by moderator {who} on {_day(when)}."
        return sentence
    return "Self-reported by the clinic; nobody from this site has looked at it yet."


def credential_note(state, who: str | None = None, when: date | datetime | None = None,
                    expires_on: date | None = None, today: date | None = None) -> str:
    """Return the few words under a credential's badge: who checked it and when, or why it is unconfirmed."""
    state = _value(state)
    shown = credential_badge(state, who, when, expires_on, today)
    if shown == BADGES[VERIFIED] or (shown == BADGES[EXPIRED] and state in (VERIFIED, EXPIRED) and who and when):
        return f"{'checked ' if shown == BADGES[EXPIRED] else ''}by {who}, {_short_day(when)}"
    if shown == UNCONFIRMED_BADGE:
        return "no record of who confirmed it or when"
    if shown == BADGES[REFUSED]:
        return ", ".join(part for part in (f"by {who}" if who else "", _short_day(when)) if part)
    return ""


def credential_badge(state, who: str | None = None, when: date | datetime | None = None,
                     expires_on: date | None = None, today: date | None = None) -> str:
    """Return a credential's badge as of today; "Verified" only with who and when on record."""
    state = _value(state)
    if expires_on is not None and today is not None and expires_on < today and state != UNKNOWN:
        return BADGES[EXPIRED]
    return badge(state, who, when)


def item_badge(status, clinic_status, evidence: list[tuple] | None = None) -> str:
    """Return an item's badge; a verified outcome needs every piece of evidence it rests on to be on record.

    :param evidence: (state, who, when) of each piece the outcome rests on.
    """
    status = _value(status)
    if status == VERIFIED and not all_on_record(evidence or []):
        return UNCONFIRMED_BADGE
    return BADGES.get(status, BADGES.get(_value(clinic_status), BADGES[UNKNOWN]))


def all_on_record(evidence: list[tuple]) -> bool:
    """Return True when there is evidence and every (state, who, when) in it is a verification on record."""
    return bool(evidence) and all(on_record(state, who, when) for state, who, when in evidence)


def points_sentence(status, earned: str, weight: int, verified_on_record: bool, has_note: bool = False) -> str:
    """Say in one sentence what an item's status earns."""
    status = _value(status)
    if status == VERIFIED and verified_on_record:
        return f"Checked by a moderator (named below): {earned} of {weight} points."
    if status == VERIFIED:
        return f"Marked as confirmed: {earned} of {weight} points."
    if status == SELF_REPORTED and has_note:
        return f"Counts as self-reported: {earned} of {weight} points."
    if status == SELF_REPORTED:
        return f"The clinic says so; nobody from this site has looked at the evidence yet: {earned} of {weight} points."
    if status == PATIENT_CORROBORATED:
        return f"The clinic has not said, but patients confirm it: {earned} of {weight} points."
    if status == EXPIRED:
        return f"The evidence has expired and no longer counts: 0 of {weight} points."
    if status == REFUSED:
        return f"The evidence given was refused: 0 of {weight} points."
    return f"Not known: 0 of {weight} points."


# Registry checks (registry.checks results). A registry check is on record with its source and its date, so its
# sentence may say "checked": it names the registry and the day, the way a moderator's check names who and when.
_REGISTRY_NPI = {
    "match": "Active in the NPPES registry",
    "deactivated": "Deactivated in the NPPES registry{since}",
    "replaced": "Deactivated in the NPPES registry{since} and replaced by another NPI",
    "not_found": "Not found in the NPPES registry",
    "organisation": "Listed in the NPPES registry for an organisation, not for a person",
    "name_mismatch": "Listed in the NPPES registry under a name that differs from this one",
}
_REGISTRY_LICENCE = {
    "match": "Listed in the NPPES registry for this clinician's NPI",
    "deactivated": "Listed in the NPPES registry, but the clinician's NPI was deactivated{since}",
    "other_state": "Listed in the NPPES registry for another state",
    "not_listed": "Not listed in the NPPES registry for this clinician's NPI",
    "not_found": "Not checked: the clinician's NPI is not in the NPPES registry",
    "no_npi": "Not checked: no NPI is listed for this clinician",
}
# What OIG exclusion types mean (the section of the Social Security Act); others are shown by their code.
EXCLUSION_TYPES = {
    "1128a1": "conviction of a crime related to Medicare or Medicaid",
    "1128a2": "conviction relating to patient abuse or neglect",
    "1128a3": "felony conviction relating to health care fraud",
    "1128a4": "felony conviction relating to controlled substances",
    "1128b1": "misdemeanour conviction relating to health care fraud",
    "1128b2": "conviction relating to obstruction of an investigation",
    "1128b3": "misdemeanour conviction relating to controlled substances",
    "1128b4": "licence revocation, suspension or surrender",
    "1128b5": "exclusion or suspension under a federal or state health care programme",
    "1128b7": "fraud, kickbacks and other prohibited activities",
    "1128b8": "entities controlled by a sanctioned individual",
    "1128b14": "default on a health education loan or scholarship obligation",
    "1128Aa": "civil monetary penalty",
}
OIG_SEARCH_URL = "https://exclusions.oig.hhs.gov/"


def registry_sentence(what: str, result: str, checked: date | datetime | None, deactivated_on: str | None = None,
                      via: str = "file") -> str:
    """Word a registry check for patients: what the registry says, and the day it was checked."""
    since = ""
    if deactivated_on:
        try:
            since = f" since {_day(date.fromisoformat(deactivated_on))}"
        except ValueError:
            since = ""
    words = (_REGISTRY_NPI if what == "npi" else _REGISTRY_LICENCE).get(result)
    if words is None:
        return ""
    words = words.format(since=since)
    if words.startswith("Not checked"):
        return f"{words}."
    online = " (online look-up)" if via == "api" else ""
    return f"{words}, checked on {_day(checked)}{online}." if checked else f"{words}."


def exclusion_type_label(code: str) -> str:
    """Return what an OIG exclusion type means, with its code."""
    meaning = EXCLUSION_TYPES.get(code) or EXCLUSION_TYPES.get(code.lower())
    return f"{meaning} (section {code})" if meaning else f"section {code}"


def exclusion_sentence(code: str, excluded_on: date | None) -> str:
    """Word a confirmed OIG exclusion for patients: what, since when, and what it covers."""
    since = f" since {_day(excluded_on)}" if excluded_on else ""
    return (f"Excluded by the HHS Office of Inspector General from Medicare, Medicaid and other federal health "
            f"care programmes{since}: {exclusion_type_label(code)}.")
