"""Queries about listings."""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition
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
def _reviewed_conditions():
    return (
        select(Review.condition)
        .where(Review.clinic_id == bindparam("clinic_id"), Review.status == ReviewStatus.APPROVED,
               Review.condition.is_not(None))
        .distinct()
    )


def get_published_clinic(slug: str) -> Clinic | None:
    """Return a published clinic with its staff and their credentials, or None."""
    if not SLUG_PATTERN.fullmatch(slug):  # never send what can't be a slug (e.g. a NUL byte) to the database
        return None
    return db.session.scalar(_published_clinic(), {"slug": slug})


def approved_reviews(clinic_id: int) -> Select:
    """Return a clinic's published reviews, newest first."""
    return (
        select(Review)
        .where(Review.clinic_id == clinic_id, Review.status == ReviewStatus.APPROVED)
        .options(joinedload(Review.author))
        .order_by(Review.published_at.desc().nulls_last(), Review.id.desc())
    )


def reviewed_conditions(clinic_id: int) -> list:
    """Return the conditions named in a clinic's published reviews, in the vocabulary's order."""
    found = set(db.session.scalars(_reviewed_conditions(), {"clinic_id": clinic_id}))
    return [condition for condition in Condition if condition in found]


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
