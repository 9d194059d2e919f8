"""Stored scores follow evidence changes made anywhere, on commit, with nothing to call."""

from datetime import date, timedelta

from sqlalchemy import select

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.reviews.vocab import Answer, ReviewStatus
from provider_dir.scoring import events
from provider_dir.scoring.models import ScoreSnapshot
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring import builders


def stored_total(clinic_id):
    db.session.expire_all()
    return db.session.get(Clinic, clinic_id).score_total


def test_answering_an_item_updates_the_stored_score_on_commit(create_clinic, moderator):
    clinic = create_clinic()
    db.session.commit()
    builders.answer(db.session, clinic, "C09", AnswerStatus.SELF_REPORTED)
    db.session.commit()
    assert stored_total(clinic.id) == 2  # 1.5 points, rounded half up
    answer = clinic.checklist_answers[0]
    answer.status = AnswerStatus.VERIFIED
    db.session.commit()
    assert stored_total(clinic.id) == 3


def test_the_loaded_clinic_sees_its_new_total_without_a_reload(exemplary):
    clinic = exemplary()
    db.session.commit()
    assert clinic.score_total == 100
    director = clinic.staff[0]
    db.session.delete(director)
    db.session.commit()
    assert clinic.score_total == 50


def test_verifying_a_credential_updates_the_score(create_clinic, moderator):
    clinic = create_clinic()
    builders.add_staff(db.session, clinic, StaffRole.PSYCHIATRIST, [
        builders.credential(CredentialKind.STATE_LICENSE), builders.credential(CredentialKind.DEA)])
    db.session.commit()
    assert stored_total(clinic.id) == 4
    for credential in db.session.scalars(select(Credential).join(Credential.staff_member)
                                         .where(Credential.staff_member.has(clinic_id=clinic.id))):
        credential.status = CredentialStatus.VERIFIED
        credential.verified_by = moderator
    db.session.commit()
    assert stored_total(clinic.id) == 8


def test_a_credential_added_through_its_staff_member_id_alone_is_noticed(create_clinic):
    clinic = create_clinic()
    member = builders.add_staff(db.session, clinic, StaffRole.PSYCHIATRIST,
                                [builders.credential(CredentialKind.STATE_LICENSE)])
    db.session.commit()
    member_id, clinic_id = member.id, clinic.id
    db.session.expunge_all()
    db.session.add(Credential(staff_member_id=member_id, kind=CredentialKind.DEA,
                              expires_on=date.today() + timedelta(days=30)))
    db.session.commit()
    assert stored_total(clinic_id) == 4


def test_approving_reviews_that_say_no_marks_the_item_contradicted(exemplary, add_review):
    clinic = exemplary()
    db.session.commit()
    reviews = [add_review(clinic, status=ReviewStatus.PENDING, ride_required=Answer.NO) for _ in range(5)]
    db.session.commit()
    assert stored_total(clinic.id) == 100  # pending reviews do not count
    for review in reviews:
        review.status = ReviewStatus.APPROVED
    db.session.commit()
    assert stored_total(clinic.id) == 50
    latest = db.session.scalars(select(ScoreSnapshot).where(ScoreSnapshot.clinic_id == clinic.id)
                                .order_by(ScoreSnapshot.id.desc())).first()
    assert latest.item_outcomes()["C11"] == ("contradicted", 0.0) and not latest.safety_ok
    for review in reviews[:3]:
        review.status = ReviewStatus.WITHDRAWN
    db.session.commit()
    assert stored_total(clinic.id) == 100


def test_a_rolled_back_change_leaves_nothing_pending(create_clinic):
    clinic = create_clinic()
    db.session.commit()
    builders.answer(db.session, clinic, "C09", AnswerStatus.VERIFIED)
    assert db.session.info.get(events.PENDING_CLINICS) == {clinic.id}
    db.session.rollback()
    assert events.PENDING_CLINICS not in db.session.info
    assert stored_total(clinic.id) == 0


def test_a_bulk_job_can_defer_and_recompute_itself(create_clinic):
    clinic = create_clinic()
    db.session.commit()
    db.session.info[events.DEFER] = True
    try:
        builders.answer(db.session, clinic, "C09", AnswerStatus.VERIFIED)
        db.session.commit()
        assert stored_total(clinic.id) == 0
    finally:
        db.session.info.pop(events.DEFER)
    assert events.refresh_pending_scores(db.session) == 0
