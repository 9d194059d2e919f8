"""Keep stored scores current: any session that changes evidence recomputes the clinics it touched on commit.

After each flush the clinics touched by a ChecklistAnswer, Credential, StaffMember or Review change (new reviews
only once approved) and new clinics are noted in ``session.info``; just before the commit they are recomputed in
the same transaction. Other features change evidence the ordinary way and need not call anything.
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.models import ChecklistAnswer

PENDING_CLINICS = "scoring.pending_clinics"
PENDING_STAFF = "scoring.pending_staff"
# Set session.info[DEFER] = True in a bulk job that runs `scores recompute` itself afterwards.
DEFER = "scoring.defer"


def _values(obj, attribute: str) -> set[int]:
    """Return the attribute's current and previous values (a moved row touches two clinics)."""
    history = inspect(obj).attrs[attribute].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _may_count(review: Review, session: Session) -> bool:
    """A new review counts only once approved; any change to an existing one may (its old status may be unloaded)."""
    return review not in session.new or review.status == ReviewStatus.APPROVED


def note_touched(session: Session, flush_context) -> None:
    """After a flush, remember which clinics' evidence changed."""
    clinics: set[int] = session.info.setdefault(PENDING_CLINICS, set())
    staff: set[int] = session.info.setdefault(PENDING_STAFF, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ChecklistAnswer | StaffMember):
            clinics |= _values(obj, "clinic_id")
        elif isinstance(obj, Review):
            if _may_count(obj, session):
                clinics |= _values(obj, "clinic_id")
        elif isinstance(obj, Credential):
            staff |= _values(obj, "staff_member_id")
        elif isinstance(obj, Clinic) and obj in session.new:
            clinics.add(obj.id)


def forget_touched(session: Session, previous_transaction) -> None:
    """After the whole transaction is rolled back nothing is pending any more (a savepoint's rollback keeps it)."""
    if previous_transaction.nested:
        return
    session.info.pop(PENDING_CLINICS, None)
    session.info.pop(PENDING_STAFF, None)


def refresh_pending_scores(session: Session) -> int:
    """Recompute the scores of the clinics touched since the last refresh; return how many."""
    from provider_dir.scoring.services import recompute_clinics

    session.flush()
    clinics: set[int] = session.info.pop(PENDING_CLINICS, set())
    staff: set[int] = session.info.pop(PENDING_STAFF, set())
    if staff:
        clinics |= set(session.scalars(select(StaffMember.clinic_id).where(StaffMember.id.in_(sorted(staff)))))
    if clinics:
        recompute_clinics(session, sorted(clinics))
    return len(clinics)


def refresh_before_commit(session: Session) -> None:
    """Recompute touched clinics inside the transaction that is about to commit."""
    if session.info.get(DEFER):
        session.info.pop(PENDING_CLINICS, None)
        session.info.pop(PENDING_STAFF, None)
        return
    refresh_pending_scores(session)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    for name, listener in (
        ("after_flush", note_touched),
        ("before_commit", refresh_before_commit),
        ("after_soft_rollback", forget_touched),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
