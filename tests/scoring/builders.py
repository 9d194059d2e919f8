"""Build clinics with checklist evidence on any session (the rolled-back test one or the live e2e one)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from tests.conftest import test_password_hash

NEXT_YEAR = date.today() + timedelta(days=365)
CHECKED_AT = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)


def unique(prefix: str) -> str:
    """Return a name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_moderator(session: Session, name: str | None = None) -> User:
    """Add a moderator account."""
    name = name or unique("mod")
    user = User(email=f"{name}@example.test", display_name=name, role=UserRole.MODERATOR,
                password_hash=test_password_hash())
    session.add(user)
    session.flush()
    return user


def make_clinic(session: Session, **fields) -> Clinic:
    """Add a published clinic in Manhattan."""
    slug = fields.pop("slug", None) or unique("score-clinic")
    fields.setdefault("name", slug.replace("-", " ").title())
    clinic = Clinic(slug=slug, street="1 Test Street", city="New York", state="NY", zip_code="10001",
                    latitude=40.75, longitude=-73.99, status=ClinicStatus.PUBLISHED, **fields)
    clinic.routes = [Route.IV]
    clinic.conditions = [Condition.DEPRESSION]
    session.add(clinic)
    session.flush()
    return clinic


def credential(kind: CredentialKind, verified_by: User | None = None, expires_on: date | None = NEXT_YEAR,
               **fields) -> Credential:
    """Return a credential, verified when a verifier is given."""
    if verified_by is not None:
        fields.update(status=CredentialStatus.VERIFIED, verified_by=verified_by, verified_at=CHECKED_AT)
    fields.setdefault("identifier", unique(kind.value.upper())[:20])
    return Credential(kind=kind, expires_on=expires_on, **fields)


def add_staff(session: Session, clinic: Clinic, role: StaffRole, credentials: list[Credential],
              name: str | None = None) -> StaffMember:
    """Add a staff member with credentials."""
    member = StaffMember(clinic=clinic, role=role, full_name=name or unique("Dr Test"), degree="MD",
                         credentials=credentials)
    session.add(member)
    session.flush()
    return member


def add_verified_medical_director(session: Session, clinic: Clinic, moderator: User, name: str = "Dana Reyes"):
    """Add a medical director whose licence, DEA registration, board certification and ACLS card are verified."""
    return add_staff(session, clinic, StaffRole.MEDICAL_DIRECTOR, [
        credential(CredentialKind.STATE_LICENSE, moderator, issuer="NY"),
        credential(CredentialKind.DEA, moderator),
        credential(CredentialKind.BOARD_CERTIFICATION, moderator, issuer="American Board of Anesthesiology"),
        credential(CredentialKind.ACLS, moderator, issuer="American Heart Association"),
    ], name=name)


def answer(session: Session, clinic: Clinic, code: str, status: AnswerStatus, verified_by: User | None = None,
           **fields) -> ChecklistAnswer:
    """Add or replace a clinic's answer to one item."""
    if status == AnswerStatus.VERIFIED:
        fields.setdefault("evidence_kind", EvidenceKind.DOC)
        fields.setdefault("verified_by", verified_by)
        fields.setdefault("verified_at", CHECKED_AT)
    row = ChecklistAnswer(clinic=clinic, item_code=code, status=status, **fields)
    session.add(row)
    session.flush()
    return row


def answer_everything(session: Session, clinic: Clinic, status: AnswerStatus, moderator: User | None = None,
                      skip: tuple[str, ...] = ()) -> None:
    """Answer every item not read from credentials (pledge evidence gets an expiry date)."""
    for item in ITEMS:
        if item.from_credentials or item.code in skip:
            continue
        extra = {"expires_on": NEXT_YEAR} if item.expires else {}
        if item.code == "C20" and status == AnswerStatus.VERIFIED:
            extra["evidence_kind"] = EvidenceKind.MOD
        answer(session, clinic, item.code, status, moderator, evidence_text=f"Policy document for {item.code}",
               **extra)


def exemplary_clinic(session: Session, moderator: User | None = None, **fields) -> Clinic:
    """A clinic with every item verified: scores 100 with no safety warning."""
    moderator = moderator or make_moderator(session)
    clinic = make_clinic(session, **fields)
    add_verified_medical_director(session, clinic, moderator)
    answer_everything(session, clinic, AnswerStatus.VERIFIED, moderator)
    return clinic
