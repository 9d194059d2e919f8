"""A clinic's updated_at is when its listing changed: edits move it, derived figures (ratings, scores) do not."""

from datetime import UTC, datetime

from sqlalchemy import text

from provider_dir.extensions import db
from provider_dir.reviews.figures.ratings import recompute_all
from provider_dir.scoring import services as scoring

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def stored_edit_time(clinic) -> str:
    return db.session.scalar(text("SELECT updated_at FROM clinic WHERE id = :id"), {"id": clinic.id})


def backdate(clinic) -> str:
    db.session.execute(text("UPDATE clinic SET updated_at = '2020-01-01 00:00:00' WHERE id = :id"), {"id": clinic.id})
    db.session.expire(clinic)
    return stored_edit_time(clinic)


def test_an_edit_of_the_listing_moves_updated_at(create_clinic):
    clinic = create_clinic()
    before = backdate(clinic)
    clinic.phone = "(212) 555-0199"
    db.session.flush()
    assert stored_edit_time(clinic) != before
    assert clinic.updated_at > LONG_AGO


def test_a_flush_without_a_change_leaves_it(create_clinic):
    clinic = create_clinic()
    before = backdate(clinic)
    clinic.phone = clinic.phone
    db.session.flush()
    assert stored_edit_time(clinic) == before


def test_an_explicit_edit_time_is_kept(create_clinic):
    clinic = create_clinic()
    backdate(clinic)
    clinic.name, clinic.updated_at = "Renamed Clinic", datetime(2021, 6, 1, tzinfo=UTC)
    db.session.flush()
    db.session.expire(clinic)
    assert clinic.updated_at == datetime(2021, 6, 1, tzinfo=UTC)


def test_ratings_and_scores_recomputed_in_bulk_leave_it(create_clinic, add_review):
    clinic = create_clinic()
    add_review(clinic)
    db.session.flush()
    before = backdate(clinic)
    recompute_all(db.session)
    scoring.recompute_all(db.session, scoring.today())
    db.session.flush()
    assert stored_edit_time(clinic) == before
    assert db.session.scalar(text("SELECT rating_count FROM clinic WHERE id = :id"), {"id": clinic.id}) == 1
