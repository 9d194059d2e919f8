"""The inputs of the score as plain values, and the rules that grade one piece of evidence.

No Flask and no database: services turn rows into these values, tests build them directly. The classes are plain
slotted dataclasses, not frozen ones: a bulk recompute builds millions and frozen ones cost twice as much to make.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from provider_dir.scoring.checklist.items import PATIENT_MAJORITY, PATIENT_MIN_ANSWERS

# Evidence statuses (the values of scoring.vocab.AnswerStatus and credentials.vocab.CredentialStatus).
UNKNOWN = "unknown"
SELF_REPORTED = "self_reported"
VERIFIED = "verified"
EXPIRED = "expired"
# A moderator looked at the evidence and refused it: counts nothing until the clinic gives new evidence.
REFUSED = "refused"
# Outcomes that only patients' answers produce.
PATIENT_CORROBORATED = "patient_corroborated"
CONTRADICTED = "contradicted"

STATUS_LABELS = {
    VERIFIED: "Verified",
    SELF_REPORTED: "Self-reported",
    PATIENT_CORROBORATED: "Confirmed by patients",
    UNKNOWN: "Unknown",
    EXPIRED: "Expired",
    REFUSED: "Refused by a moderator",
    CONTRADICTED: "Contradicted by patients",
}

_MAJORITY_NUM, _MAJORITY_DEN = PATIENT_MAJORITY.numerator, PATIENT_MAJORITY.denominator

# Patients' verdict on an item.
CORROBORATED = "corroborated"
TOO_FEW = "too_few"
MIXED = "mixed"


@dataclass(slots=True)
class AnswerEvidence:
    """A clinic's answer to one checklist item, as stored."""

    status: str = UNKNOWN
    expires_on: date | None = None
    evidence_kind: str | None = None
    evidence_text: str = ""
    evidence_url: str = ""
    verified_by: str | None = None
    verified_at: datetime | None = None

    def effective_status(self, today: date) -> str:
        """Return the status as of today: a passed expiry date makes it expired by itself."""
        if self.expires_on is not None and self.expires_on < today and self.status != UNKNOWN:
            return EXPIRED
        return self.status


@dataclass(slots=True)
class CredentialEvidence:
    """One credential of a staff member, as stored."""

    kind: str
    status: str = SELF_REPORTED
    expires_on: date | None = None
    identifier: str = ""
    issuer: str = ""
    verified_by: str | None = None
    verified_at: datetime | None = None

    def level(self, today: date, needs_date: bool) -> str:
        """Return verified, self_reported or expired as of today.

        A verified credential of a kind that always expires counts as self-reported when no expiry date is on
        record: without the date nobody can tell it is still current.
        """
        if self.status == EXPIRED or (self.expires_on is not None and self.expires_on < today):
            return EXPIRED
        if self.status == VERIFIED and (self.expires_on is not None or not needs_date):
            return VERIFIED
        return SELF_REPORTED


@dataclass(slots=True)
class StaffEvidence:
    """A staff member with a role and credentials."""

    name: str
    role: str
    credentials: tuple[CredentialEvidence, ...] = ()


@dataclass(slots=True)
class PatientTally:
    """How patients answered one structured question in approved reviews."""

    yes: int = 0
    no: int = 0
    not_sure: int = 0
    verdict: str = field(init=False)

    def __post_init__(self) -> None:
        self.verdict = patient_verdict(self.yes, self.no, self.not_sure)

    @property
    def answers(self) -> int:
        """Every answer, not sure included."""
        return self.yes + self.no + self.not_sure


def patient_verdict(yes: int, no: int, not_sure: int) -> str:
    """Return corroborated or contradicted on a clear majority of enough answers, else too_few or mixed.

    "Not sure" counts as an answer, so it makes a clear majority harder to reach either way.
    """
    total = yes + no + not_sure
    if total < PATIENT_MIN_ANSWERS:
        return TOO_FEW
    if no * _MAJORITY_DEN >= total * _MAJORITY_NUM:
        return CONTRADICTED
    if yes * _MAJORITY_DEN >= total * _MAJORITY_NUM:
        return CORROBORATED
    return MIXED


RANK = {VERIFIED: 2, SELF_REPORTED: 1, EXPIRED: 0, UNKNOWN: 0, REFUSED: 0}
