"""Read the published directory in batches of clinics, as plain rows (no ORM objects: 100,000 clinics fit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Closure
from provider_dir.registry.models import ExclusionMatch, RegistryCheck

BATCH = 1000  # clinics per batch: bounds memory (about 3.4 staff and 13 credentials per clinic)

CLINIC_COLUMNS = (
    Clinic.id, Clinic.slug, Clinic.name, Clinic.description, Clinic.street, Clinic.city, Clinic.state,
    Clinic.zip_code, Clinic.latitude, Clinic.longitude, Clinic.phone, Clinic.website, Clinic.hours,
    Clinic.opening_hours, Clinic.routes_mask, Clinic.conditions_mask, Clinic.accessibility,
    Clinic.accepting_new_patients, Clinic.closure, Clinic.reopens_on, Clinic.updated_at,
)


@dataclass(slots=True)
class CheckRow:
    """The latest NPPES check of one credential."""

    result: str
    checked_at: datetime
    source_date: date | None
    via: str


@dataclass(slots=True)
class CredentialRow:
    """One credential of a staff member, with its NPPES check if any."""

    id: int
    kind: CredentialKind
    identifier: str
    issuer: str
    expires_on: date | None
    status: CredentialStatus
    verified_at: datetime | None
    verification_method: VerificationMethod | None
    check: CheckRow | None = None

    def status_on(self, today: date) -> CredentialStatus:
        """Return the status as of today (a passed expiry date makes it expired), as Credential does."""
        if self.expires_on is not None and self.expires_on < today:
            return CredentialStatus.EXPIRED
        return self.status


@dataclass(slots=True)
class StaffRow:
    """A staff member and their credentials."""

    id: int
    full_name: str
    degree: str
    role: StaffRole
    credentials: list[CredentialRow] = field(default_factory=list)


@dataclass(slots=True)
class ClinicRow:
    """A published clinic with the staff that may be published."""

    id: int
    slug: str
    name: str
    description: str
    street: str
    city: str
    state: str
    zip_code: str
    latitude: float
    longitude: float
    phone: str
    website: str
    hours_note: str
    opening_hours: list[dict]
    routes_mask: int
    conditions_mask: int
    accessibility: str
    accepting_new_patients: bool
    closure: Closure
    reopens_on: date | None
    updated_at: datetime | None
    staff: list[StaffRow] = field(default_factory=list)


PUBLISHED = (Clinic.status == ClinicStatus.PUBLISHED, Clinic.closure != Closure.PERMANENT)


def count_published(session: Session) -> int:
    """Return how many clinics the export publishes: listed, and not closed for good."""
    return session.scalar(select(func.count(Clinic.id)).where(*PUBLISHED)) or 0


def clinic_batches(session: Session, batch: int = BATCH) -> Iterator[list[ClinicRow]]:
    """Yield the published clinics in id order, a batch at a time, with their staff, credentials and checks."""
    # The ids first (one statement per export), then each batch by primary key: a keyset walk over the status
    # index would read beyond the batch on some plans (see tests/queryplans.py).
    ids = session.scalars(select(Clinic.id).where(*PUBLISHED).order_by(Clinic.id)).all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        rows = session.execute(select(*CLINIC_COLUMNS).where(Clinic.id.in_(chunk)).order_by(Clinic.id)).all()
        clinics = [ClinicRow(*row) for row in rows]
        if clinics:
            _add_staff(session, clinics)
            yield clinics


def _text(column):
    """Select an enum column as its stored text: the export maps it itself, faster than the type's processor."""
    return type_coerce(column, String())


def _members(enum_cls) -> dict:
    return {member.value: member for member in enum_cls}


ROLES, KINDS, STATUSES = _members(StaffRole), _members(CredentialKind), _members(CredentialStatus)
METHODS = {None: None, **_members(VerificationMethod)}


def _add_staff(session: Session, clinics: list[ClinicRow]) -> None:
    connection = session.connection()  # Core rows: the ORM's result machinery costs more than the mapping
    low, high = clinics[0].id, clinics[-1].id
    by_clinic = {c.id: c for c in clinics}
    excluded = set(connection.scalars(
        select(ExclusionMatch.staff_member_id).join(StaffMember, StaffMember.id == ExclusionMatch.staff_member_id)
        .where(StaffMember.clinic_id.between(low, high), ExclusionMatch.state == "confirmed")
    ))
    staff: dict[int, StaffRow] = {}
    for sid, clinic_id, full_name, degree, role in connection.execute(
        select(StaffMember.id, StaffMember.clinic_id, StaffMember.full_name, StaffMember.degree,
               _text(StaffMember.role))
        .where(StaffMember.clinic_id.between(low, high))
        .order_by(StaffMember.clinic_id, StaffMember.sort_order, StaffMember.id)
    ):
        clinic = by_clinic.get(clinic_id)
        if clinic is None or sid in excluded:
            continue
        staff[sid] = member = StaffRow(sid, full_name, degree or "", ROLES[role])
        clinic.staff.append(member)
    checks: dict[int, CheckRow] = {}
    for credential_id, result, checked_at, source_date, via in connection.execute(
        select(RegistryCheck.credential_id, RegistryCheck.result, RegistryCheck.checked_at,
               RegistryCheck.source_date, RegistryCheck.via)
        .join(StaffMember, StaffMember.id == RegistryCheck.staff_member_id)
        .where(StaffMember.clinic_id.between(low, high), RegistryCheck.source == "NPPES",
               RegistryCheck.credential_id.is_not(None))
    ):
        checks[credential_id] = CheckRow(result, checked_at, source_date, via)
    credentials = defaultdict(list)
    for sid, cid, kind, identifier, issuer, expires_on, status, verified_at, method in connection.execute(
        select(Credential.staff_member_id, Credential.id, _text(Credential.kind), Credential.identifier,
               Credential.issuer, Credential.expires_on, _text(Credential.status), Credential.verified_at,
               _text(Credential.verification_method))
        .join(StaffMember, StaffMember.id == Credential.staff_member_id)
        .where(StaffMember.clinic_id.between(low, high))
        .order_by(Credential.staff_member_id, Credential.id)
    ):
        credentials[sid].append(CredentialRow(cid, KINDS[kind], identifier or "", issuer or "", expires_on,
                                              STATUSES[status], verified_at, METHODS[method], checks.get(cid)))
    for sid, member in staff.items():
        member.credentials = credentials.get(sid, [])
