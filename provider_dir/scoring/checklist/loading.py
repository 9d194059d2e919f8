"""Read the score's inputs for many clinics at once, with a few set-based queries and no ORM objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, String, and_, bindparam, case, func, select, type_coerce
from sqlalchemy.orm import Session

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.registry.models import ExclusionMatch
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, ReviewStatus
from provider_dir.scoring.checklist.items import REVIEW_FIELDS
from provider_dir.scoring.credential_items import SCORED_KINDS
from provider_dir.scoring.evidence.rules import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence
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

    @property
    def kind(self) -> str:
        """Return which statement shape serves this set: one clinic, a list of ids, or a range."""
        if self.ids is None:
            return "range"
        return "one" if len(self.ids) == 1 else "ids"

    def bound(self, column):
        """Return the same condition with its values left to `params`, so one statement serves every set."""
        kind = self.kind
        if kind == "one":  # a clinic's page: an expanding IN is rendered anew on every execution
            return column == bindparam("clinic_id")
        if kind == "ids":
            return column.in_(bindparam("clinic_ids", expanding=True))
        return and_(column >= bindparam("low"), column <= bindparam("high"))

    @property
    def params(self) -> dict:
        """Return the values for the condition `bound` made."""
        kind = self.kind
        if kind == "one":
            return {"clinic_id": self.ids[0]}
        return {"clinic_ids": list(self.ids)} if kind == "ids" else {"low": self.low, "high": self.high}


# Statements by (name, kind of clinic set), built on first use: building a select with its columns and joins
# cost more Python time on a clinic page than running it (the values go in as parameters, see ClinicSet.bound).
_STATEMENTS: dict[tuple[str, str], Select] = {}


def _statement(name: str, clinics: ClinicSet, build: Callable[[Callable], Select]) -> Select:
    """Return build(clinics.bound) for this kind of clinic set, built once per process."""
    key = (name, clinics.kind)
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build(clinics.bound)
    return statement


def _raw(column):
    """Read a column as the driver gives it: no enum objects or date parsing for millions of rows."""
    return type_coerce(column, String())


def _to_date(value) -> date | None:
    """Return a date from what the driver gave (SQLite gives ISO text, PostgreSQL a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _answers_in_detail(clinics: ClinicSet) -> Select:
    return _statement("answers in detail", clinics, _select_answers_in_detail)


def _select_answers_in_detail(where: Callable) -> Select:
    a = ChecklistAnswer.__table__.c
    verifier = User.__table__.alias("verifier")
    return (
        select(
            a.clinic_id, a.item_code, _raw(a.status), a.expires_on, _raw(a.evidence_kind), a.evidence_text,
            a.evidence_url, verifier.c.display_name, ChecklistAnswer.verified_at,
        )
        .select_from(ChecklistAnswer.__table__.outerjoin(verifier, verifier.c.id == a.verified_by_id))
        .where(where(a.clinic_id))
    )


def answers_read(clinic_id: int) -> Read:
    """Return the read of a clinic's answers in detail that its page's score makes (for models.prefetch)."""
    clinics = ClinicSet(ids=[clinic_id])
    return Read(_answers_in_detail(clinics), clinics.params)


def load_answers(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the checklist answers; with detail, also the evidence text and who verified it."""
    a = ChecklistAnswer.__table__.c
    if not detail:
        rows = session.connection().execute(_statement("answers", clinics, lambda where: select(
            a.clinic_id, a.item_code, _raw(a.status), _raw(a.expires_on)).where(where(a.clinic_id))), clinics.params
        ).all()
        # Identical (status, expiry) pairs share one value object (inputs are read, never changed), so each
        # distinct pair is built, and its date parsed, once.
        shared: dict[tuple, AnswerEvidence] = {}
        for clinic_id, code, status, expires_on in rows:
            evidence = shared.get((status, expires_on))
            if evidence is None:
                evidence = shared[status, expires_on] = AnswerEvidence(status, _to_date(expires_on))
            into[clinic_id].answers[code] = evidence
        return
    statement = _answers_in_detail(clinics)
    # A clinic's page: on the driver's cursor (models/reads.py), as its other reads are.
    rows = (driver_rows(session, statement, clinics.params) if clinics.kind == "one"
            else session.connection().execute(statement, clinics.params))
    for clinic_id, code, status, expires_on, kind, text, url, who, when in rows:
        into[clinic_id].answers[code] = AnswerEvidence(status, expires_on, kind, text or "", url or "", who, when)


# Asked per staff member through the (staff_member_id, state) index: an uncorrelated NOT IN read every possible
# exclusion on the site once per batch.
EXCLUDED_STAFF = (
    select(ExclusionMatch.id)
    .where(ExclusionMatch.staff_member_id == StaffMember.id, ExclusionMatch.state == "confirmed")
    .exists()
)


def load_staff(session: Session, clinics: ClinicSet, detail: bool, into: dict[int, ClinicEvidence]) -> None:
    """Read the staff and the credentials that items C01-C03 rest on; names and verifiers only with detail."""
    s, c = StaffMember.__table__.c, Credential.__table__.c
    joined = StaffMember.__table__.join(Credential.__table__, c.staff_member_id == s.id)
    # A clinician whose OIG exclusion a moderator confirmed counts for nothing (registry.models.ExclusionMatch).
    def scored(where):
        return and_(where(s.clinic_id), c.kind.in_(sorted(SCORED_KINDS)), ~EXCLUDED_STAFF)

    members: dict[int, tuple[int, str, str, list]] = {}
    if not detail:
        rows = session.connection().execute(_statement("staff", clinics, lambda where: (
            select(s.clinic_id, s.id, _raw(s.role), _raw(c.kind), _raw(c.status), _raw(c.expires_on), c.issuer)
            .select_from(joined)
            .where(scored(where))
        )), clinics.params).all()
        shared: dict[tuple, CredentialEvidence] = {}
        for clinic_id, staff_id, role, kind, status, expires_on, issuer in rows:
            key = (kind, status, expires_on, issuer)
            evidence = shared.get(key)
            if evidence is None:
                evidence = shared[key] = CredentialEvidence(kind, status, _to_date(expires_on), "", issuer or "")
            member = members.get(staff_id)
            if member is None:
                member = members[staff_id] = (clinic_id, "", role, [])
            member[3].append(evidence)
    else:
        verifier = User.__table__.alias("verifier")
        rows = session.connection().execute(_statement("staff in detail", clinics, lambda where: (
            select(s.clinic_id, s.id, s.full_name, s.degree, _raw(s.role), _raw(c.kind), _raw(c.status),
                   c.expires_on, c.issuer, c.identifier, verifier.c.display_name, Credential.verified_at)
            .select_from(joined.outerjoin(verifier, verifier.c.id == c.verified_by_id))
            .where(scored(where))
            .order_by(s.sort_order, s.id, c.id)
        )), clinics.params).all()
        for clinic_id, staff_id, name, degree, role, kind, status, expires_on, issuer, identifier, who, when in rows:
            if staff_id not in members:
                members[staff_id] = (clinic_id, f"{name}, {degree}" if degree else name, role, [])
            members[staff_id][3].append(
                CredentialEvidence(kind, status, expires_on, identifier, issuer or "", who, when)
            )
    for clinic_id, name, role, credentials in members.values():
        into[clinic_id].staff.append(StaffEvidence(name, role, tuple(credentials)))


def _tally_sums() -> list:
    """Return one SUM per structured question and answer, over approved reviews only."""
    # The status test sits inside each sum, not in WHERE: given both, SQLite's planner picks the status index and
    # reads every approved review of the site for each batch instead of this batch's clinics.
    approved = Review.status == ReviewStatus.APPROVED
    return [
        func.sum(case((and_(approved, getattr(Review, name) == answer), 1), else_=0))
        for name in REVIEW_FIELDS
        for answer in (Answer.YES, Answer.NO, Answer.NOT_SURE)
    ]


# Built once: building these 21 expressions (and their cache key) on every call cost about 3 ms of a clinic
# page, three times what running the query costs.
TALLY_SUMS = _tally_sums()


def load_patients(session: Session, clinics: ClinicSet, into: dict[int, ClinicEvidence]) -> None:
    """Count yes / no / not sure per structured question in approved reviews."""
    fields = list(REVIEW_FIELDS)
    rows = session.connection().execute(_statement("patients", clinics, lambda where: (
        select(Review.clinic_id, *TALLY_SUMS).where(where(Review.clinic_id)).group_by(Review.clinic_id)
    )), clinics.params).all()
    for clinic_id, *counts in rows:
        patients = into[clinic_id].patients
        for i, name in enumerate(fields):
            yes, no, not_sure = (int(n or 0) for n in counts[3 * i : 3 * i + 3])
            if yes or no or not_sure:
                patients[REVIEW_FIELDS[name]] = PatientTally(yes, no, not_sure)


def staff_evidence(members, excluded: Collection[int]) -> list[StaffEvidence]:
    """Return the staff evidence load_staff gives in detail, from staff already read with their credentials.

    `members` are the clinic page's (listings.services.PageStaffMember: id, display_name, role and
    credentials with kind, status, expires_on, identifier, issuer, verified_by and verified_at), in the page's
    order; `excluded` holds the ids of clinicians whose OIG exclusion a moderator confirmed (they count for nothing).
    """
    staff = []
    for member in members:
        if member.id in excluded:
            continue
        credentials = tuple(
            CredentialEvidence(c.kind.value, c.status.value, c.expires_on, c.identifier, c.issuer or "",
                               c.verified_by.display_name if c.verified_by else None, c.verified_at)
            for c in member.credentials if c.kind.value in SCORED_KINDS
        )
        if credentials:  # as load_staff's join: a member with no scored credential is not evidence
            staff.append(StaffEvidence(member.display_name, member.role.value, credentials))
    return staff


def tallies_from_counts(counts: Mapping[str, tuple[int, int, int]]) -> dict[str, PatientTally]:
    """Return load_patients' tallies (by item code) from (yes, no, not sure) counts by review field."""
    tallies = {}
    for name, code in REVIEW_FIELDS.items():
        yes, no, not_sure = counts.get(name, (0, 0, 0))
        if yes or no or not_sure:
            tallies[code] = PatientTally(yes, no, not_sure)
    return tallies


def load_evidence(session: Session, clinics: ClinicSet, detail: bool = False,
                  staff: dict[int, list[StaffEvidence]] | None = None,
                  patients: dict[int, dict[str, PatientTally]] | None = None) -> dict[int, ClinicEvidence]:
    """Return each clinic's evidence; clinics with none at all are absent (they score on empty evidence).

    `staff` and `patients` give the staff evidence and the patients' tallies of every clinic in the set when the
    caller has them already (staff_evidence, tallies_from_counts); they are then not read again.
    """
    session.flush()  # the queries below run on the connection, which does not autoflush
    found: dict[int, ClinicEvidence] = defaultdict(ClinicEvidence)
    load_answers(session, clinics, detail, found)
    if staff is None:
        load_staff(session, clinics, detail, found)
    else:
        for clinic_id, members in staff.items():
            if members:
                found[clinic_id].staff.extend(members)
    if patients is None:
        load_patients(session, clinics, found)
    else:
        for clinic_id, tallies in patients.items():
            if tallies:
                found[clinic_id].patients.update(tallies)
    return found
