"""Read the score's inputs for many clinics at once, with a few set-based queries and no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, ReviewStatus
from provider_dir.scoring.checklist import REVIEW_FIELDS
from provider_dir.scoring.credential_items import SCORED_KINDS
from provider_dir.scoring.evidence import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence
from provider_dir.scoring.models import ChecklistAnswer


@dataclass
class ClinicEvidence:
    """Everything the score reads about one clinic."""

    answers: dict[str, AnswerEvidence] = field(default_factory=dict)
    staff: list[StaffEvidence] = field(default_factory=list)
    patients: dict[str, PatientTally] = field(default_factory=dict)


@dataclass(frozen=True)
class ClinicSet:
    """Which clinics to read: an id range (for batches over the whole table) or a list of ids."""

    ids: Sequence[int] | None = None
    low: int | None = None
    high: int | None = None

    def where(self, column):
        """Return the SQL condition selecting these clinics on a clinic_id column."""
        if self.ids is not None:
            return column.in_(list(self.ids))
        return and_(column >= self.low, column <= self.high)


def _value(enum_or_str) -> str:
    return getattr(enum_or_str, "value", enum_or_str)


def load_answers(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the checklist answers; with detail, also the evidence text and who verified it."""
    A = ChecklistAnswer  # noqa: N806 - a short alias keeps the queries readable
    if not detail:
        rows = session.execute(
            select(A.clinic_id, A.item_code, A.status, A.expires_on).where(clinics.where(A.clinic_id))
        )
        for clinic_id, code, status, expires_on in rows:
            into[clinic_id].answers[code] = AnswerEvidence(_value(status), expires_on)
        return
    verifier = aliased(User)
    rows = session.execute(
        select(
            A.clinic_id, A.item_code, A.status, A.expires_on, A.evidence_kind, A.evidence_text, A.evidence_url,
            verifier.display_name, A.verified_at,
        )
        .outerjoin(verifier, verifier.id == A.verified_by_id)
        .where(clinics.where(A.clinic_id))
    )
    for clinic_id, code, status, expires_on, kind, text, url, who, when in rows:
        into[clinic_id].answers[code] = AnswerEvidence(
            _value(status), expires_on, kind and _value(kind), text or "", url or "", who, when
        )


def load_staff(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the staff and the credentials that items C01-C03 rest on."""
    S, C = StaffMember, Credential  # noqa: N806
    verifier = aliased(User)
    columns = [S.clinic_id, S.id, S.full_name, S.degree, S.role, C.kind, C.status, C.expires_on, C.issuer]
    if detail:
        columns += [C.identifier, verifier.display_name, C.verified_at]
    query = (
        select(*columns)
        .join(C, C.staff_member_id == S.id)
        .where(clinics.where(S.clinic_id), C.kind.in_(sorted(SCORED_KINDS)))
        .order_by(S.clinic_id, S.sort_order, S.id, C.id)
    )
    if detail:
        query = query.outerjoin(verifier, verifier.id == C.verified_by_id)
    members: dict[int, tuple[int, str, str, list]] = {}
    for row in session.execute(query):
        clinic_id, staff_id, name, degree, role, kind, status, expires_on, issuer = row[:9]
        identifier, who, when = row[9:] if detail else ("", None, None)
        if staff_id not in members:
            members[staff_id] = (clinic_id, f"{name}, {degree}" if degree else name, _value(role), [])
        members[staff_id][3].append(
            CredentialEvidence(_value(kind), _value(status), expires_on, identifier, issuer or "", who, when)
        )
    for clinic_id, name, role, credentials in members.values():
        into[clinic_id].staff.append(StaffEvidence(name, role, tuple(credentials)))


def load_patients(session: Session, clinics: ClinicSet, into: dict[int, ClinicEvidence]) -> None:
    """Count yes / no / not sure per structured question in approved reviews."""
    fields = list(REVIEW_FIELDS)
    sums = []
    for name in fields:
        column = getattr(Review, name)
        for answer in (Answer.YES, Answer.NO, Answer.NOT_SURE):
            sums.append(func.sum(case((column == answer, 1), else_=0)))
    rows = session.execute(
        select(Review.clinic_id, *sums)
        .where(clinics.where(Review.clinic_id), Review.status == ReviewStatus.APPROVED)
        .group_by(Review.clinic_id)
    )
    for clinic_id, *counts in rows:
        patients = into[clinic_id].patients
        for i, name in enumerate(fields):
            yes, no, not_sure = (int(n or 0) for n in counts[3 * i : 3 * i + 3])
            if yes or no or not_sure:
                patients[REVIEW_FIELDS[name]] = PatientTally(yes, no, not_sure)


def load_evidence(session: Session, clinics: ClinicSet, detail: bool = False) -> dict[int, ClinicEvidence]:
    """Return each clinic's evidence; clinics with none at all are absent (they score on empty evidence)."""
    found: dict[int, ClinicEvidence] = defaultdict(ClinicEvidence)
    load_answers(session, clinics, detail, found)
    load_staff(session, clinics, detail, found)
    load_patients(session, clinics, found)
    return found
