"""Queries about listings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus


def published_clinics() -> Select:
    """Return published clinics ordered by state, city and name."""
    return (
        select(Clinic)
        .where(Clinic.status == ClinicStatus.PUBLISHED)
        .order_by(Clinic.state, Clinic.city, Clinic.name, Clinic.id)
    )


SLUG_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,119}")


# Built once (the slug goes in as a parameter): building the statement and its loader options on every
# page cost about as much as running it. The staff come in one more query, their credentials and verifiers
# joined to it.
@cache
def _published_clinic():
    return (
        select(Clinic)
        .where(Clinic.slug == bindparam("slug"), Clinic.status == ClinicStatus.PUBLISHED)
        .options(selectinload(Clinic.staff).joinedload(StaffMember.credentials).joinedload(Credential.verified_by))
    )


@cache
def _published_clinic_alone():
    return select(Clinic).where(Clinic.slug == bindparam("slug"), Clinic.status == ClinicStatus.PUBLISHED)


@dataclass(frozen=True)
class Verifier:
    """Who verified a credential, as the clinic page names them."""

    display_name: str


@dataclass
class PageCredential:
    """A credential as the clinic page shows it (read-only: the fields the page and its badge read)."""

    id: int
    kind: CredentialKind
    identifier: str
    issuer: str
    expires_on: date | None
    status: CredentialStatus
    verified_by: Verifier | None
    verified_at: datetime | None


@dataclass
class PageStaffMember:
    """A staff member as the clinic page shows it, with their credentials in id order."""

    id: int
    full_name: str
    degree: str
    role: StaffRole
    bio: str
    credentials: list[PageCredential] = field(default_factory=list)

    display_name = StaffMember.display_name


@cache
def _page_staff():
    s, c = StaffMember.__table__.c, Credential.__table__.c
    verifier = User.__table__.alias("verifier")
    return (
        select(s.id, s.full_name, s.degree, s.role, s.bio, c.id, c.kind, c.identifier, c.issuer, c.expires_on,
               c.status, verifier.c.id, verifier.c.display_name, c.verified_at)
        .select_from(StaffMember.__table__.outerjoin(Credential.__table__, c.staff_member_id == s.id)
                     .outerjoin(verifier, verifier.c.id == c.verified_by_id))
        .where(s.clinic_id == bindparam("clinic_id"))
        .order_by(s.sort_order, s.id, c.id)
    )


def get_published_clinic(slug: str) -> Clinic | None:
    """Return a published clinic with its staff and their credentials, or None."""
    if not SLUG_PATTERN.fullmatch(slug):  # never send what can't be a slug (e.g. a NUL byte) to the database
        return None
    return db.session.scalar(_published_clinic(), {"slug": slug})


def get_published_clinic_alone(slug: str) -> Clinic | None:
    """Return a published clinic without its staff (its page reads them with page_staff), or None."""
    if not SLUG_PATTERN.fullmatch(slug):
        return None
    return db.session.scalar(_published_clinic_alone(), {"slug": slug})


def page_staff_read(clinic_id: int) -> Read:
    """Return page_staff's read (for models.prefetch)."""
    return Read(_page_staff(), {"clinic_id": clinic_id})


def page_staff(clinic_id: int) -> list[PageStaffMember]:
    """Return a clinic's staff with their credentials and verifiers for its page, in one statement.

    Plain rows instead of ORM objects: loading the staff, credentials and verifiers as objects cost about
    1 ms of a clinic page, four times the clinic itself.
    """
    members: dict[int, PageStaffMember] = {}
    for (staff_id, name, degree, role, bio, credential_id, kind, identifier, issuer, expires_on, status, verifier_id,
         who, verified_at) in driver_rows(db.session, *page_staff_read(clinic_id)):
        member = members.get(staff_id)
        if member is None:
            member = members[staff_id] = PageStaffMember(staff_id, name, degree, role, bio)
        if credential_id is not None:
            member.credentials.append(PageCredential(
                credential_id, kind, identifier, issuer, expires_on, status,
                Verifier(who) if verifier_id is not None else None, verified_at))
    return list(members.values())


def approved_reviews(clinic_id: int) -> Select:
    """Return a clinic's published reviews, newest first."""
    return (
        select(Review)
        .where(Review.clinic_id == clinic_id, Review.status == ReviewStatus.APPROVED)
        .options(joinedload(Review.author))
        .order_by(Review.published_at.desc().nulls_last(), Review.id.desc())
    )


def busiest_cities(limit: int = 8) -> Select:
    """Return (city, state, clinic count) for the cities with the most published clinics."""
    count = func.count().label("clinics")
    return (
        select(Clinic.city, Clinic.state, count)
        .where(Clinic.status == ClinicStatus.PUBLISHED)
        .group_by(Clinic.state, Clinic.city)
        .order_by(count.desc(), Clinic.state, Clinic.city)
        .limit(limit)
    )
