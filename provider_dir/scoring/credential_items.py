"""Items C01-C03 read from the staff's credentials by themselves, as of a given day."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from provider_dir.scoring.evidence.rules import (
    EXPIRED,
    RANK,
    SELF_REPORTED,
    UNKNOWN,
    VERIFIED,
    CredentialEvidence,
    StaffEvidence,
)

# Roles that can hold prescribing authority (credentials.vocab.StaffRole values).
PRESCRIBER_ROLES = frozenset(
    {"medical_director", "anesthesiologist", "psychiatrist", "crna", "nurse_practitioner", "physician_assistant"}
)
# Everyone who may sit with a patient during an infusion.
CLINICAL_ROLES = PRESCRIBER_ROLES | {"registered_nurse"}
# The credential kinds items C01-C03 read (credentials.vocab.CredentialKind values).
SCORED_KINDS = frozenset({"state_license", "dea", "board_certification", "acls"})
# The four specialties the guidance names, by the boards' own names and their usual abbreviations.
NAMED_SPECIALTY = re.compile(
    r"anesthesiolog|anaesthesiolog|psychiatr|emergency medicine|pain medicine|\bABA\b|\bABPN\b|\bABEM\b",
    re.IGNORECASE,
)


NOTE_UNDATED = "Marked as confirmed, but no expiry date is on record, so it counts as self-reported."
# A moderator checked the credential and it did not match (credentials.vocab.CredentialStatus.REFUSED): like an
# expired one it counts nothing, and it is shown as refused. Items never take this status, only credentials do.
REFUSED = "refused"
_RANK = {**RANK, REFUSED: 0}
LAPSED = frozenset({EXPIRED, REFUSED})


def credential_level(credential: CredentialEvidence, today: date, needs_date: bool) -> str:
    """Return verified, self_reported, expired or refused as of today (a passed expiry date shows expired)."""
    level = credential.level(today, needs_date)
    if level != EXPIRED and credential.status == REFUSED:
        return REFUSED
    return level


def _lapsed_finding(uses: Sequence[CredentialUse], expired_note: str, refused_note: str) -> CredentialFinding:
    """Expired credentials make the item expired; refused ones alone leave it unknown, shown with the credential."""
    if any(u.level == EXPIRED for u in uses):
        return CredentialFinding(EXPIRED, tuple(uses), expired_note)
    return CredentialFinding(UNKNOWN, tuple(uses), refused_note)


@dataclass(slots=True)
class CredentialUse:
    """A credential that an item rests on, with whose it is and its level as of the day."""

    staff_name: str
    credential: CredentialEvidence
    level: str


@dataclass(slots=True)
class CredentialFinding:
    """What the credentials say about one item."""

    status: str
    uses: tuple[CredentialUse, ...] = ()
    note: str = ""


def _best(member: StaffEvidence, kind: str, today: date, needs_date: bool, accept=None) -> CredentialUse | None:
    best: CredentialUse | None = None
    for credential in member.credentials:
        if credential.kind != kind or (accept is not None and not accept(credential)):
            continue
        use = CredentialUse(member.name, credential, credential_level(credential, today, needs_date))
        if best is None or _RANK[use.level] > _RANK[best.level]:
            best = use
    return best


def _status_of(uses: Sequence[CredentialUse]) -> str:
    """Return the weakest level among the credentials a person needs together."""
    return min((u.level for u in uses), key=_RANK.__getitem__)


def prescriber_finding(staff: Sequence[StaffEvidence], today: date) -> CredentialFinding:
    """C01: one prescriber holding both a current state licence and a current DEA registration."""
    best: CredentialFinding | None = None
    lapsed: list[CredentialUse] = []
    for member in staff:
        if member.role not in PRESCRIBER_ROLES:
            continue
        licence = _best(member, "state_license", today, True)
        dea = _best(member, "dea", today, True)
        held = [u for u in (licence, dea) if u is not None]
        lapsed.extend(u for u in held if u.level in LAPSED)
        if licence is None or dea is None or licence.level in LAPSED or dea.level in LAPSED:
            continue
        finding = CredentialFinding(_status_of(held), tuple(held))
        if best is None or _RANK[finding.status] > _RANK[best.status]:
            best = finding
    if best is not None:
        if best.status == SELF_REPORTED and any(u.credential.status == VERIFIED for u in best.uses):
            best.note = NOTE_UNDATED
        return best
    if lapsed:
        return _lapsed_finding(
            lapsed,
            "The prescriber's licence or DEA registration has expired.",
            "A moderator refused the prescriber's licence or DEA registration.",
        )
    return CredentialFinding(UNKNOWN, note="No prescriber with both a state licence and a DEA registration is listed.")


def _specialty_board(credential: CredentialEvidence) -> bool:
    return bool(NAMED_SPECIALTY.search(f"{credential.issuer} {credential.identifier}"))


def director_finding(staff: Sequence[StaffEvidence], today: date) -> CredentialFinding:
    """C02: a medical director board-certified in one of the four named specialties."""
    directors = [m for m in staff if m.role == "medical_director"]
    uses = [u for m in directors if (u := _best(m, "board_certification", today, False, _specialty_board))]
    current = [u for u in uses if u.level not in LAPSED]
    if current:
        top = max(current, key=lambda u: _RANK[u.level])
        return CredentialFinding(top.level, (top,))
    if uses:
        return _lapsed_finding(
            uses,
            "The medical director's board certification has expired.",
            "A moderator refused the medical director's board certification.",
        )
    if not directors:
        return CredentialFinding(UNKNOWN, note="No medical director is listed.")
    if any(c.kind == "board_certification" for m in directors for c in m.credentials):
        return CredentialFinding(
            UNKNOWN,
            note="The board certification on record is not in anesthesiology, psychiatry, emergency medicine "
            "or pain medicine.",
        )
    return CredentialFinding(UNKNOWN, note="No board certification is listed for the medical director.")


def acls_finding(staff: Sequence[StaffEvidence], today: date) -> CredentialFinding:
    """C03: a clinician with an ACLS card that has not expired (a verified card needs its expiry date)."""
    uses = [u for m in staff if m.role in CLINICAL_ROLES if (u := _best(m, "acls", today, True))]
    current = [u for u in uses if u.level not in LAPSED]
    if current:
        top = max(current, key=lambda u: _RANK[u.level])
        note = NOTE_UNDATED if top.level == SELF_REPORTED and top.credential.status == VERIFIED else ""
        return CredentialFinding(top.level, (top,), note)
    if uses:
        return _lapsed_finding(
            uses, "Every ACLS card on record has expired.", "A moderator refused every ACLS card on record."
        )
    return CredentialFinding(UNKNOWN, note="No clinician with an ACLS card is listed.")


CREDENTIAL_FINDERS = {"C01": prescriber_finding, "C02": director_finding, "C03": acls_finding}


def credential_changes_on(staff: Sequence[StaffEvidence], today: date) -> date | None:
    """Return the first day after today on which a credential's expiry could change the result."""
    days = [
        c.expires_on
        for m in staff
        for c in m.credentials
        if c.kind in SCORED_KINDS and c.expires_on is not None and c.expires_on >= today
    ]
    return min(days) if days else None

