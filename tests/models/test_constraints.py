"""The data model's constraints hold on every database."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from provider_dir.accounts.models import User
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Condition, Route
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import SideEffect
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus


def test_a_clinic_slug_is_unique(create_clinic):
    create_clinic(slug="same-slug")
    with pytest.raises(IntegrityError):
        create_clinic(slug="same-slug")


def test_one_review_per_author_per_clinic(create_clinic, create_user, add_review):
    clinic = create_clinic()
    author = create_user()
    add_review(clinic, author=author)
    with pytest.raises(IntegrityError):
        add_review(clinic, author=author)


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused_by_the_database(create_clinic, add_review, rating):
    with pytest.raises(IntegrityError):
        add_review(create_clinic(), rating=rating)


def test_coordinates_outside_the_globe_are_refused(create_clinic):
    with pytest.raises(IntegrityError):
        create_clinic(latitude=91.0)


def test_an_unknown_enum_value_is_refused_before_it_reaches_the_database(create_clinic):
    clinic = create_clinic()
    clinic.status = "hidden"
    with pytest.raises(StatementError):
        db.session.flush()


def test_an_email_is_unique(create_user):
    create_user(email="same@example.test")
    with pytest.raises(IntegrityError):
        create_user(email="same@example.test")


def test_a_checklist_item_is_answered_once_per_clinic(create_clinic):
    clinic = create_clinic()
    db.session.add(ChecklistAnswer(clinic=clinic, item_code="C07", status=AnswerStatus.SELF_REPORTED))
    db.session.flush()
    db.session.add(ChecklistAnswer(clinic=clinic, item_code="C07", status=AnswerStatus.VERIFIED))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_deleting_a_clinic_removes_its_staff_credentials_and_reviews(create_clinic, add_staff, add_review):
    clinic = create_clinic()
    member = add_staff(clinic)
    add_review(clinic)
    clinic_id, member_id = clinic.id, member.id
    assert db.session.scalars(select(Credential).where(Credential.staff_member_id == member_id)).all()
    db.session.delete(clinic)
    db.session.flush()
    assert db.session.scalars(select(Review).where(Review.clinic_id == clinic_id)).all() == []
    assert db.session.scalars(select(Credential).where(Credential.staff_member_id == member_id)).all() == []


def test_routes_conditions_and_side_effects_round_trip_through_the_database(create_clinic, add_review):
    clinic = create_clinic(routes=[Route.ESKETAMINE, Route.IV], conditions=[Condition.PTSD, Condition.CRPS])
    review = add_review(clinic)
    review.side_effects = [SideEffect.NAUSEA, SideEffect.FATIGUE]
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Clinic, clinic.id)
    assert stored.routes == [Route.IV, Route.ESKETAMINE]
    assert stored.conditions == [Condition.PTSD, Condition.CRPS]
    assert db.session.get(Review, review.id).side_effects == [SideEffect.NAUSEA, SideEffect.FATIGUE]


def test_timestamps_come_back_timezone_aware_in_utc(create_user):
    user = create_user()
    db.session.expire_all()
    created = db.session.get(User, user.id).created_at
    assert created.tzinfo is not None
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)


def test_a_credential_past_its_expiry_counts_as_expired_on_its_own(create_clinic, add_staff):
    card = Credential(kind=CredentialKind.ACLS, identifier="ACLS-1", status=CredentialStatus.VERIFIED,
                      expires_on=date(2026, 3, 31))
    add_staff(create_clinic(), credentials=[card])
    assert card.effective_status(today=date(2026, 3, 31)) == CredentialStatus.VERIFIED
    assert card.effective_status(today=date(2026, 4, 1)) == CredentialStatus.EXPIRED
