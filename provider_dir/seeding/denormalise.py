"""Fill the clinic columns that search sorts on after a bulk load, which bypasses the session events."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.listings.models import Clinic
from provider_dir.reviews.figures.ratings import recompute_all as recompute_ratings


def refresh_denormalised(session: Session, *, first_clinic_id: int = 1, today: date | None = None) -> None:
    """Set has_verified_credentials in bulk SQL, then the rating figures through the reviews feature.

    Only clinics with an id of at least first_clinic_id get their credential flag reworked, so adding synthetic
    clinics to a large database does not redo the clinics already there; the rating figures are recomputed for
    all, since the Bayesian prior (the site-wide mean) moves with every load.
    """
    today = today or date.today()
    clinic = Clinic.__table__
    staff, credential = StaffMember.__table__, Credential.__table__
    # An uncorrelated IN (one hashed set of clinic ids) rather than a per-clinic EXISTS: after a bulk load the
    # planner's row estimates can be stale, and a correlated subquery then degrades to a scan per clinic.
    verified_clinic_ids = (
        select(staff.c.clinic_id)
        .select_from(credential.join(staff, credential.c.staff_member_id == staff.c.id))
        .where(
            staff.c.clinic_id >= first_clinic_id,
            credential.c.status == CredentialStatus.VERIFIED.value,
            or_(credential.c.expires_on.is_(None), credential.c.expires_on >= today),
        )
    )
    verified = clinic.c.id.in_(verified_clinic_ids)
    session.execute(
        update(clinic)
        .where(clinic.c.id >= first_clinic_id)
        .values(has_verified_credentials=verified)  # a refresh is not an edit of the listing: updated_at stays
    )
    recompute_ratings(session)
