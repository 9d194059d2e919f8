"""The clinic's "verified staff credentials" flag once dates pass: cleared in bulk when every verified one expired.

Saves and moderators' decisions keep the flag in step (services.refresh_verified_flag); only the calendar can
change it with nobody acting, so `flask scores recompute --due` calls these every day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.listings.models import Clinic
from provider_dir.models.collector import collector_paused
from provider_dir.models.rewrites import bulk_page_cache

# Clinics per statement: well under SQLite's 32,766 bound values, however many flags lapse on one day.
BATCH_SIZE = 2_000


def _no_current_verified(today: date):
    """SQL condition: the clinic has no verified credential that is undated or expires today or later."""
    return ~exists().where(
        Credential.staff_member_id == StaffMember.id,
        StaffMember.clinic_id == Clinic.id,
        Credential.status == CredentialStatus.VERIFIED,
        or_(Credential.expires_on.is_(None), Credential.expires_on >= today),
    )


def lapsed_flag_clinic_ids(session: Session, today: date) -> list[int]:
    """Return the clinics still flagged as having verified staff credentials though each of those has expired."""
    return list(
        session.scalars(
            select(Clinic.id)
            .where(Clinic.has_verified_credentials.is_(True), _no_current_verified(today))
            .order_by(Clinic.id)
        )
    )


def clear_lapsed_flags(session: Session, clinic_ids: Sequence[int], today: date) -> int:
    """Clear the flag of these clinics where it has lapsed (checked again in the same statement); return how many."""
    if not clinic_ids:
        return 0
    result = session.execute(
        update(Clinic)
        # "IS NOT false" (the column is never NULL) rather than "IS true": SQLite must find the batch by its ids,
        # not through ix_clinic_credentials_flagged, which would read every flagged clinic once per batch.
        .where(Clinic.id.in_(clinic_ids), Clinic.has_verified_credentials.is_not(False), _no_current_verified(today))
        .values(has_verified_credentials=False)  # a lapse is not an edit of the listing: updated_at stays
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount


def refresh_lapsed_flags(session: Session, today: date, batch_size: int = BATCH_SIZE,
                         after_batch: Callable[[int], None] | None = None, ids: Sequence[int] | None = None) -> int:
    """Clear every lapsed flag as of today, batch by batch (`ids`: the flagged clinics, when already read).

    after_batch(n) follows each batch; returns how many flags were cleared. The batches share one large page
    cache (models.rewrites.bulk_page_cache): with SQLite's default, a day that clears tens of thousands of flags
    spills its changed pages to the write-ahead log, and each later read looks them up there.
    """
    ids = lapsed_flag_clinic_ids(session, today) if ids is None else ids
    cleared = 0
    with bulk_page_cache(session), collector_paused():
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            cleared += clear_lapsed_flags(session, chunk, today)
            if after_batch is not None:
                after_batch(len(chunk))
    return cleared
