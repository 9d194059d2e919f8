"""Session events that keep clinics' rating figures current, so that no caller has to remember to.

Before each flush we note the reviews whose publication could change a clinic's figures (new, deleted, or
with a changed status, overall rating or clinic); before the commit we recompute those clinics in the same
transaction. A rolled-back transaction forgets what it noted.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from provider_dir.listings.models import Clinic
from provider_dir.reviews.models import Review
from provider_dir.reviews.ratings import refresh_clinics

TOUCHED = "provider_dir.reviews.touched"
WATCHED = ("status", "rating_overall", "clinic_id", "clinic")


def _note(session: Session, item) -> None:
    session.info.setdefault(TOUCHED, []).append(item)


def _changed(review: Review) -> bool:
    state = inspect(review)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def note_touched_reviews(session: Session, flush_context, instances) -> None:
    """Remember which clinics this flush may change (before_flush)."""
    for obj in session.new:
        if isinstance(obj, Review):
            _note(session, obj)
    for obj in session.dirty:
        if isinstance(obj, Review) and _changed(obj):
            _note(session, obj)
            state = inspect(obj)
            # A review moved to another clinic also changes the clinic it left: before the flush, clinic_id
            # still holds the old clinic when only the relationship was reassigned.
            _note(session, obj.clinic_id)
            _note_all(session, state.attrs.clinic_id.history.deleted)
            _note_all(session, state.attrs.clinic.history.deleted)
    for obj in session.deleted:
        if isinstance(obj, Review):
            _note(session, obj.clinic_id)


def _note_all(session: Session, items) -> None:
    for item in items or ():
        if item is not None:
            _note(session, item)


def _clinic_id(item) -> int | None:
    if isinstance(item, int):
        return item
    if isinstance(item, Clinic | Review):
        return item.id if isinstance(item, Clinic) else item.clinic_id
    return None


def recompute_touched_clinics(session: Session) -> None:
    """Recompute the noted clinics inside the transaction that is about to commit (before_commit)."""
    session.flush()  # notes the changes not flushed yet, and gives new reviews their clinic_id
    while session.info.get(TOUCHED):
        items = session.info.pop(TOUCHED)
        ids = {_clinic_id(item) for item in items}
        ids.discard(None)
        if ids:
            refresh_clinics(session, ids)
        session.flush()


def forget_on_rollback(session: Session, transaction: SessionTransaction) -> None:
    """Drop what was noted when the outermost transaction ends without a commit (after_transaction_end)."""
    if transaction.parent is None:
        session.info.pop(TOUCHED, None)


LISTENERS = (
    ("before_flush", note_touched_reviews),
    ("before_commit", recompute_touched_clinics),
    ("after_transaction_end", forget_on_rollback),
)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
