"""Fill the clinic columns that search sorts on, after a bulk load (one place, replaced by the real aggregates)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus


def refresh_denormalised(session: Session, *, first_clinic_id: int = 1, today: date | None = None) -> None:
    """Set rating_avg, rating_count (approved reviews only) and has_verified_credentials in bulk SQL.

    Only clinics with an id of at least first_clinic_id are touched, so adding synthetic clinics to a large
    database does not rework the clinics already there.
    """
    today = today or date.today()
    clinic = Clinic.__table__
    review, staff, credential = Review.__table__, StaffMember.__table__, Credential.__table__
    approved = and_(review.c.clinic_id == clinic.c.id, review.c.status == ReviewStatus.APPROVED.value)
    verified = exists(
        select(1)
        .select_from(credential.join(staff, credential.c.staff_member_id == staff.c.id))
        .where(
            staff.c.clinic_id == clinic.c.id,
            credential.c.status == CredentialStatus.VERIFIED.value,
            or_(credential.c.expires_on.is_(None), credential.c.expires_on >= today),
        )
    )
    session.execute(
        update(clinic)
        .where(clinic.c.id >= first_clinic_id)
        .values(
            rating_count=select(func.count()).select_from(review).where(approved).scalar_subquery(),
            rating_avg=select(func.avg(review.c.rating_overall)).where(approved).scalar_subquery(),
            has_verified_credentials=verified,
            updated_at=clinic.c.updated_at,  # a refresh is not an edit of the listing
        )
    )
