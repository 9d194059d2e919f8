"""The score: a pure function from a clinic's evidence (and today's date) to a total, explained point by point.

No Flask and no database. Points are counted in exact quarters so that the result is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from provider_dir.scoring.checklist.items import (
    CATEGORIES,
    CATEGORY_MAX,
    CHECKLIST_VERSION,
    FACTOR_PATIENTS_ONLY,
    FACTOR_SELF_REPORTED,
    FACTOR_SELF_REPORTED_CORROBORATED,
    FACTOR_VERIFIED,
    ITEMS,
    MAX_POINTS,
    SAFETY_CAP,
    ChecklistItem,
)
from provider_dir.scoring.checklist.labels import all_on_record, points_sentence
from provider_dir.scoring.credential_items import CREDENTIAL_FINDERS, CredentialUse, credential_changes_on
from provider_dir.scoring.evidence.rules import (
    CONTRADICTED,
    CORROBORATED,
    EXPIRED,
    PATIENT_CORROBORATED,
    REFUSED,
    SELF_REPORTED,
    STATUS_LABELS,
    UNKNOWN,
    VERIFIED,
    AnswerEvidence,
    PatientTally,
    StaffEvidence,
)

MEETS_SAFETY = frozenset({VERIFIED, SELF_REPORTED, PATIENT_CORROBORATED})
_STATUS_LETTERS = {VERIFIED: "V", SELF_REPORTED: "S", PATIENT_CORROBORATED: "P", UNKNOWN: "U", EXPIRED: "E",
                   CONTRADICTED: "C", REFUSED: "R"}
_LETTER_STATUSES = {letter: status for status, letter in _STATUS_LETTERS.items()}
NO_ANSWER = AnswerEvidence()


def _quarter(value: Fraction) -> int:
    """Return a factor in quarters; the score counts in exact quarter-points."""
    if (value * 4).denominator != 1:
        raise ValueError("score factors must be whole quarters")
    return int(value * 4)


_QUARTERS = {
    "verified": _quarter(FACTOR_VERIFIED),
    "corroborated": _quarter(FACTOR_SELF_REPORTED_CORROBORATED),
    "self_reported": _quarter(FACTOR_SELF_REPORTED),
    "patients_only": _quarter(FACTOR_PATIENTS_ONLY),
}


# Results are plain (not frozen) slotted dataclasses: a bulk recompute builds millions of them.
@dataclass(slots=True)
class ItemResult:
    """One item's outcome: its status, its points and what they rest on."""

    item: ChecklistItem
    status: str
    clinic_status: str
    quarters: int
    answer: AnswerEvidence | None = None
    credentials: tuple[CredentialUse, ...] = ()
    patients: PatientTally | None = None
    note: str = ""

    @property
    def code(self) -> str:
        """The item's code."""
        return self.item.code

    @property
    def points(self) -> float:
        """Points earned."""
        return self.quarters / 4

    @property
    def max_points(self) -> int:
        """Points the item can earn."""
        return self.item.weight

    @property
    def status_label(self) -> str:
        """The status in words."""
        return STATUS_LABELS[self.status]

    @property
    def meets_safety(self) -> bool:
        """True when the item is at least self-reported and not contradicted."""
        return self.status in MEETS_SAFETY

    @property
    def reason(self) -> str:
        """Why the item earns its points, in one or two plain sentences."""
        return explain(self)


@dataclass(slots=True)
class CategoryResult:
    """Points earned in one category."""

    name: str
    quarters: int
    max_points: int

    @property
    def points(self) -> float:
        """Points earned in the category."""
        return self.quarters / 4

    @property
    def percent(self) -> int:
        """Share of the category's points earned, rounded to the nearest 5 (for the bar graphic)."""
        return 5 * ((self.quarters * 20 + self.max_points * 2) // (self.max_points * 4)) if self.max_points else 0


@dataclass(frozen=True, slots=True)
class SafetyStatus:
    """Whether every safety-critical item is at least self-reported and none is contradicted."""

    ok: bool
    unknown: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()
    contradicted: tuple[str, ...] = ()

    @property
    def problem_codes(self) -> tuple[str, ...]:
        """Every safety-critical item that fails, in table order."""
        return tuple(sorted(self.unknown + self.expired + self.contradicted))


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A clinic's score as of one day, under one checklist version."""

    version: str
    computed_on: date
    total: int
    uncapped_total: int
    safety: SafetyStatus
    items: tuple[ItemResult, ...]
    category_quarters: tuple[int, ...]
    changes_on: date | None

    @property
    def categories(self) -> tuple[CategoryResult, ...]:
        """Points per category, in the checklist's order."""
        pairs = zip(CATEGORIES, self.category_quarters, strict=True)
        return tuple(CategoryResult(c, q, CATEGORY_MAX[c]) for c, q in pairs)

    @property
    def capped(self) -> bool:
        """True when the safety cap lowered the total."""
        return self.total < self.uncapped_total

    @property
    def max_total(self) -> int:
        """The highest total possible."""
        return MAX_POINTS

    def item(self, code: str) -> ItemResult:
        """Return one item's result by its code."""
        return next(r for r in self.items if r.item.code == code)

    def digest(self) -> str:
        """Return each item's status and quarter-points compactly, as a snapshot stores them: "C01=V32,C02=S8,..."."""
        return ",".join(f"{r.item.code}={_STATUS_LETTERS[r.status]}{r.quarters}" for r in self.items)


# Per item, the quarter-points each grade earns, worked out once: the loop below runs millions of times.
_GRADES = tuple(
    (
        item,
        item.weight * _QUARTERS["verified"],
        item.weight * _QUARTERS["corroborated"] if item.self_report_counts else 0,
        item.weight * _QUARTERS["self_reported"] if item.self_report_counts else 0,
        item.weight * _QUARTERS["patients_only"],
        CATEGORIES.index(item.category),
    )
    for item in ITEMS
)
NOTE_NO_DATE = "Marked as confirmed, but no expiry date is on record, so it counts as self-reported."
NOTE_MODERATOR_ONLY = "For this item only a look by this site's own team counts; the clinic's word earns no points."


def parse_digest(digest: str) -> dict[str, tuple[str, float]]:
    """Return {code: (status, points)} from a stored digest."""
    outcomes = {}
    for part in digest.split(","):
        code, graded = part.split("=")
        outcomes[code] = (_LETTER_STATUSES[graded[0]], int(graded[1:]) / 4)
    return outcomes


def _answer_status(item: ChecklistItem, answer: AnswerEvidence, today: date) -> tuple[str, str]:
    """Return the answer's status as of today under the item's rules, with a note when a rule changed it."""
    status = answer.status
    if status in (UNKNOWN, REFUSED):
        return status, ""
    if answer.expires_on is not None and answer.expires_on < today:
        return EXPIRED, ""
    if status == VERIFIED and item.expires and answer.expires_on is None:
        return SELF_REPORTED, NOTE_NO_DATE
    if status == SELF_REPORTED and not item.self_report_counts:
        return SELF_REPORTED, NOTE_MODERATOR_ONLY
    return status, ""


def score_clinic(
    answers: Mapping[str, AnswerEvidence],
    staff: Sequence[StaffEvidence],
    patients: Mapping[str, PatientTally],
    today: date,
) -> ScoreResult:
    """Score one clinic as of today from its answers, its staff's credentials and patients' answers.

    Each item's status: patients contradicting it overrides everything; then verified, self-reported (raised when
    patients confirm it), confirmed by patients alone, or the clinic's unknown / expired status with no points.
    """
    results = []
    unknown, expired, contradicted = [], [], []
    by_category = [0] * len(CATEGORIES)
    changes = credential_changes_on(staff, today)
    for item, verified_q, corroborated_q, reported_q, patients_q, category in _GRADES:
        code = item.code
        tally = patients.get(code) if item.review_field else None
        verdict = tally.verdict if tally is not None else None
        if item.from_credentials:
            finding = CREDENTIAL_FINDERS[code](staff, today)
            answer, uses, clinic_status, note = None, finding.uses, finding.status, finding.note
        else:
            answer, uses = answers.get(code, NO_ANSWER), ()
            clinic_status, note = (UNKNOWN, "") if answer is NO_ANSWER else _answer_status(item, answer, today)
            if clinic_status not in (UNKNOWN, REFUSED) and answer.expires_on is not None and answer.expires_on >= today:
                changes = answer.expires_on if changes is None or answer.expires_on < changes else changes
        if verdict == CONTRADICTED:
            status, quarters = CONTRADICTED, 0
        elif clinic_status == VERIFIED:
            status, quarters = VERIFIED, verified_q
        elif clinic_status == SELF_REPORTED:
            status, quarters = SELF_REPORTED, corroborated_q if verdict == CORROBORATED else reported_q
            if not quarters and verdict == CORROBORATED:
                status, quarters = PATIENT_CORROBORATED, patients_q
        elif verdict == CORROBORATED and clinic_status != REFUSED:
            status, quarters = PATIENT_CORROBORATED, patients_q
        else:
            status, quarters = clinic_status, 0
        results.append(ItemResult(item, status, clinic_status, quarters, answer, uses, tally, note))
        by_category[category] += quarters
        if item.safety_critical and status not in MEETS_SAFETY:
            (contradicted if status == CONTRADICTED else expired if status == EXPIRED else unknown).append(code)
    uncapped = (sum(by_category) + 2) // 4  # whole points, halves rounded up
    safety = SafetyStatus(not (unknown or expired or contradicted), tuple(unknown), tuple(expired), tuple(contradicted))
    return ScoreResult(
        version=CHECKLIST_VERSION,
        computed_on=today,
        total=uncapped if safety.ok else min(uncapped, SAFETY_CAP),
        uncapped_total=uncapped,
        safety=safety,
        items=tuple(results),
        category_quarters=tuple(by_category),
        changes_on=None if changes is None else changes + timedelta(days=1),
    )


def _points(value: float) -> str:
    return f"{value:g}"


def has_evidence(result: ItemResult) -> bool:
    """Return True when the item rests on a piece of evidence (a credential, or an answer that is not unknown);
    without any, its badge and reason follow from its outcome alone."""
    if result.item.from_credentials:
        return bool(result.credentials)
    return result.answer is not None and result.answer.status != UNKNOWN


def evidence_pieces(result: ItemResult) -> list[tuple]:
    """Return (state, who, when) of each piece of evidence the item rests on."""
    if not has_evidence(result):
        return []
    if result.item.from_credentials:
        return [(u.credential.status, u.credential.verified_by, u.credential.verified_at) for u in result.credentials]
    return [(result.answer.status, result.answer.verified_by, result.answer.verified_at)]


def verified_on_record(result: ItemResult) -> bool:
    """Return True when every piece of evidence a verified item rests on names its moderator and date."""
    return all_on_record(evidence_pieces(result))


def explain(result: ItemResult) -> str:
    """Say in plain words why an item earns what it earns."""
    w, earned = result.item.weight, _points(result.points)
    patients = result.patients
    if result.status == CONTRADICTED and patients is not None:
        return (
            f"{patients.no} of {patients.answers} patients who answered said no, so this counts as contradicted "
            f"whatever the clinic says: 0 of {w} points."
        )
    parts = [points_sentence(result.status, earned, w, verified_on_record(result), bool(result.note))]
    if result.note:
        parts.append(result.note)
    if patients is not None and result.status in (VERIFIED, SELF_REPORTED) and patients.verdict == CORROBORATED:
        parts.append(f"{patients.yes} of {patients.answers} patients who answered confirm it.")
    return " ".join(parts)
