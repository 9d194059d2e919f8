"""Session events that keep the site totals and clinics' rating figures current, so no caller has to remember.

Before each flush we note the reviews whose publication could change a clinic's figures (new, deleted, or with a
changed status, overall rating or clinic) and what the flush changes in the site totals of approved reviews; after
the flush, in the same transaction (a rolled-back savepoint undoes it too), the totals move by that delta; before
the commit, the noted clinics are recomputed. A rolled-back transaction forgets what it noted.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from provider_dir.listings.models import Clinic
from provider_dir.reviews.figures.ratings import move_totals, refresh_clinics
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

TOUCHED = "provider_dir.reviews.touched"
DELTA = "provider_dir.reviews.delta"
WATCHED = ("status", "rating_overall", "clinic_id", "clinic")


def _note(session: Session, item) -> None:
    session.info.setdefault(TOUCHED, []).append(item)


def _changed(review: Review) -> bool:
    state = inspect(review)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _contribution(status, rating) -> tuple[int, int]:
    return (1, int(rating or 0)) if status == ReviewStatus.APPROVED else (0, 0)


def _before(review: Review, name: str):
    # status and rating_overall are mapped with active_history, so a changed value's old value is loaded.
    history = inspect(review).attrs[name].history
    if history.has_changes():
        return history.deleted[0] if history.deleted else None
    return getattr(review, name)


def note_touched_reviews(session: Session, flush_context, instances) -> None:
    """Remember which clinics this flush may change and how it moves the site totals (before_flush)."""
    count, total = 0, 0
    for obj in session.new:
        if isinstance(obj, Review):
            _note(session, obj)
            added = _contribution(obj.status, obj.rating_overall)
            count, total = count + added[0], total + added[1]
    for obj in session.dirty:
        if isinstance(obj, Review) and _changed(obj):
            _note(session, obj)
            state = inspect(obj)
            # A review moved to another clinic also changes the clinic it left: before the flush, clinic_id
            # still holds the old clinic when only the relationship was reassigned.
            _note(session, obj.clinic_id)
            _note_all(session, state.attrs.clinic_id.history.deleted)
            _note_all(session, state.attrs.clinic.history.deleted)
            old = _contribution(_before(obj, "status"), _before(obj, "rating_overall"))
            new = _contribution(obj.status, obj.rating_overall)
            count, total = count + new[0] - old[0], total + new[1] - old[1]
    for obj in session.deleted:
        if isinstance(obj, Review):
            _note(session, obj.clinic_id)
            gone = _contribution(_before(obj, "status"), _before(obj, "rating_overall"))
            count, total = count - gone[0], total - gone[1]
    session.info[DELTA] = (count, total)


def move_site_totals(session: Session, flush_context) -> None:
    """Apply this flush's delta to the site totals, inside the flush's transaction (after_flush)."""
    count, total = session.info.pop(DELTA, (0, 0))
    if count or total:
        move_totals(session, count, total)


def _note_all(session: Session, items) -> None:
    for item in items or ():
        if item is not None:
            _note(session, item)


def _clinic_id(item) -> int | None:
    if isinstance(item, int):
        return item
    if isinstance(item, Clinic):
        return item.id
    if isinstance(item, Review):
        return item.clinic_id
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
        session.info.pop(DELTA, None)


LISTENERS = (
    ("before_flush", note_touched_reviews),
    ("after_flush", move_site_totals),
    ("before_commit", recompute_touched_clinics),
    ("after_transaction_end", forget_on_rollback),
)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
