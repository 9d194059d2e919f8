"""Read the score's inputs for many clinics at once, with a few set-based queries and no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import String, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session

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


def _raw(column):
    """Read an enum column as its stored string: no enum objects for millions of rows."""
    return type_coerce(column, String())


def load_answers(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the checklist answers; with detail, also the evidence text and who verified it."""
    a = ChecklistAnswer.__table__.c
    if not detail:
        rows = session.connection().execute(
            select(a.clinic_id, a.item_code, _raw(a.status), a.expires_on).where(clinics.where(a.clinic_id))
        ).all()
        for clinic_id, code, status, expires_on in rows:
            into[clinic_id].answers[code] = AnswerEvidence(status, expires_on)
        return
    verifier = User.__table__.alias("verifier")
    rows = session.execute(
        select(
            a.clinic_id, a.item_code, _raw(a.status), a.expires_on, _raw(a.evidence_kind), a.evidence_text,
            a.evidence_url, verifier.c.display_name, ChecklistAnswer.verified_at,
        )
        .select_from(ChecklistAnswer.__table__.outerjoin(verifier, verifier.c.id == a.verified_by_id))
        .where(clinics.where(a.clinic_id))
    )
    for clinic_id, code, status, expires_on, kind, text, url, who, when in rows:
        into[clinic_id].answers[code] = AnswerEvidence(status, expires_on, kind, text or "", url or "", who, when)


def load_staff(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the staff and the credentials that items C01-C03 rest on."""
    s, c = StaffMember.__table__.c, Credential.__table__.c
    columns = [s.clinic_id, s.id, s.full_name, s.degree, _raw(s.role), _raw(c.kind), _raw(c.status), c.expires_on,
               c.issuer]
    joined = StaffMember.__table__.join(Credential.__table__, c.staff_member_id == s.id)
    if detail:
        verifier = User.__table__.alias("verifier")
        columns += [c.identifier, verifier.c.display_name, Credential.verified_at]
        joined = joined.outerjoin(verifier, verifier.c.id == c.verified_by_id)
    query = (
        select(*columns)
        .select_from(joined)
        .where(clinics.where(s.clinic_id), c.kind.in_(sorted(SCORED_KINDS)))
        .order_by(s.clinic_id, s.sort_order, s.id, c.id)
    )
    members: dict[int, tuple[int, str, str, list]] = {}
    for row in session.connection().execute(query).all():
        clinic_id, staff_id, name, degree, role, kind, status, expires_on, issuer = row[:9]
        identifier, who, when = row[9:] if detail else ("", None, None)
        if staff_id not in members:
            members[staff_id] = (clinic_id, f"{name}, {degree}" if degree else name, role, [])
        members[staff_id][3].append(CredentialEvidence(kind, status, expires_on, identifier, issuer or "", who, when))
    for clinic_id, name, role, credentials in members.values():
        into[clinic_id].staff.append(StaffEvidence(name, role, tuple(credentials)))


def load_patients(session: Session, clinics: ClinicSet, into: dict[int, ClinicEvidence]) -> None:
    """Count yes / no / not sure per structured question in approved reviews."""
    fields = list(REVIEW_FIELDS)
    # The status test sits inside each sum, not in WHERE: given both, SQLite's planner picks the status index and
    # reads every approved review of the site for each batch instead of this batch's clinics.
    approved = Review.status == ReviewStatus.APPROVED
    sums = []
    for name in fields:
        column = getattr(Review, name)
        for answer in (Answer.YES, Answer.NO, Answer.NOT_SURE):
            sums.append(func.sum(case((and_(approved, column == answer), 1), else_=0)))
    rows = session.connection().execute(
        select(Review.clinic_id, *sums).where(clinics.where(Review.clinic_id)).group_by(Review.clinic_id)
    ).all()
    for clinic_id, *counts in rows:
        patients = into[clinic_id].patients
        for i, name in enumerate(fields):
            yes, no, not_sure = (int(n or 0) for n in counts[3 * i : 3 * i + 3])
            if yes or no or not_sure:
                patients[REVIEW_FIELDS[name]] = PatientTally(yes, no, not_sure)


def load_evidence(session: Session, clinics: ClinicSet, detail: bool = False) -> dict[int, ClinicEvidence]:
    """Return each clinic's evidence; clinics with none at all are absent (they score on empty evidence)."""
    session.flush()  # the queries below run on the connection, which does not autoflush
    found: dict[int, ClinicEvidence] = defaultdict(ClinicEvidence)
    load_answers(session, clinics, detail, found)
    load_staff(session, clinics, detail, found)
    load_patients(session, clinics, found)
    return found
