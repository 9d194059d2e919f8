"""Writing, editing and withdrawing a review, and who may write one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.extensions import db
from provider_dir.listings.vocab import Condition, Route
from provider_dir.moderation.models import ModerationLog
from provider_dir.reviews import services
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, ReviewStatus, SideEffect, TimeToRelief
from tests.reviews.helpers import BODY, checked_values, input_value, reload, review_form, text_of


def review_count(clinic) -> int:
    return db.session.scalar(select(func.count()).select_from(Review).where(Review.clinic_id == clinic.id))


def test_the_form_warns_that_reviews_are_public_and_shows_the_crisis_line(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    patient = create_user()
    auth.login(patient)
    page = text_of(client.get(f"/clinics/{clinic.slug}/review"))
    assert "Your review will be public" in page
    assert "do not name other people" in page
    assert "call or text 988" in page
    assert patient.display_name in page  # the pseudonym it will be shown under


def test_anonymous_visitors_are_sent_to_log_in(client, create_clinic):
    clinic = create_clinic()
    response = client.get(f"/clinics/{clinic.slug}/review")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_patient_writes_a_review_with_every_structured_field(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    patient = create_user()
    auth.login(patient)
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    assert response.status_code == 302
    assert "/reviews/mine" in response.headers["Location"]
    review = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    assert review.status == ReviewStatus.PENDING
    assert (review.rating_overall, review.rating_staff, review.rating_safety, review.rating_value) == (4, 5, 4, 3)
    assert review.condition == Condition.DEPRESSION
    assert review.route == Route.IV
    assert review.sessions_count == 6
    assert review.time_to_relief == TimeToRelief.DAYS
    assert review.side_effects == [SideEffect.NAUSEA, SideEffect.DISSOCIATION]
    assert review.vitals_monitored == Answer.YES
    assert review.clinician_present == Answer.NOT_SURE
    assert review.symptoms_tracked == Answer.NO
    assert review.psychotherapy_offered == Answer.NO
    assert review.would_recommend is True
    assert review.body == BODY
    assert review.verified_patient is False
    mine = text_of(client.get("/reviews/mine"))
    assert "Pending moderation" in mine and clinic.name in mine


def test_a_pending_review_is_not_on_the_clinic_page(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    auth.login(create_user())
    client.post(f"/clinics/{clinic.slug}/review", data=review_form(title="Hidden until moderated"))
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Hidden until moderated" not in page
    assert "0 published reviews" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating_overall": None}, "Choose a rating from 1 to 5."),
        ({"rating_overall": "9"}, "Not a valid choice"),
        ({"would_recommend": None}, "whether you would recommend"),
        ({"body": "Too short."}, "between 30 and 5,000 characters"),
        ({"title": ""}, "short title"),
        ({"sessions_count": "600"}, "from 0 to 500"),
        ({"sessions_count": "six"}, "Not a valid integer"),
        ({"side_effects": ["none", "nausea"]}, "on its own"),
        ({"condition": "flu"}, "Not a valid choice"),
        ({"no_connection": None}, "no connection to this clinic"),
    ],
)
def test_validation_errors_answer_422_and_keep_everything_typed(
    client, auth, create_user, create_clinic, overrides, message
):
    clinic = create_clinic()
    auth.login(create_user())
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form(**overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    typed = review_form(**overrides)
    assert input_value(html, "title") == typed.get("title", "")
    assert typed["body"] in html
    assert checked_values(html, "time_to_relief") == {"days"}
    assert checked_values(html, "vitals_monitored") == {"yes"}
    assert checked_values(html, "side_effects") == set(typed.get("side_effects", []))
    if "sessions_count" in overrides:
        assert input_value(html, "sessions_count") == overrides["sessions_count"]
    assert review_count(clinic) == 0


def test_a_second_submission_stores_one_review_and_leads_to_the_edit_page(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    auth.login(create_user())
    first = client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    second = client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    assert first.status_code == second.status_code == 302
    review = db.session.scalar(select(Review).where(Review.clinic_id == clinic.id))
    assert second.headers["Location"].endswith(f"/reviews/{review.id}/edit")
    assert review_count(clinic) == 1


def test_the_unique_constraint_decides_a_simultaneous_double_submit(app, create_user, create_clinic):
    # Both requests passed the "already reviewed?" check before either inserted: the database keeps one.
    clinic = create_clinic()
    patient = create_user()
    fields = {"rating_overall": 5, "title": "Twice", "body": BODY, "would_recommend": True}
    services.submit_review(patient, clinic, fields)
    with pytest.raises(services.AlreadyReviewed):
        services.submit_review(patient, clinic, fields)
    db.session.commit()
    assert review_count(clinic) == 1


@pytest.mark.parametrize("role", [UserRole.CLINIC_OWNER, UserRole.MODERATOR, UserRole.ADMIN])
def test_accounts_that_are_not_patients_cannot_review(client, auth, create_user, create_clinic, role):
    clinic = create_clinic()
    auth.login(create_user(role=role))
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    assert response.status_code == 403
    assert "Only patient accounts can write reviews" in text_of(response)
    assert review_count(clinic) == 0


@pytest.mark.parametrize("membership", [MembershipRole.OWNER, MembershipRole.STAFF])
def test_owners_and_staff_cannot_review_their_clinic(client, auth, create_user, create_clinic, membership):
    clinic = create_clinic()
    insider = create_user()  # a patient account that is linked to the clinic
    db.session.add(ClinicMembership(user=insider, clinic=clinic, role=membership))
    db.session.flush()
    auth.login(insider)
    assert client.get(f"/clinics/{clinic.slug}/review").status_code == 403
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    assert response.status_code == 403
    assert "belongs to this clinic" in text_of(response)
    assert review_count(clinic) == 0


def test_a_moderator_who_belongs_to_the_clinic_cannot_review_it(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    moderator = create_user(role=UserRole.MODERATOR)
    db.session.add(ClinicMembership(user=moderator, clinic=clinic, role=MembershipRole.STAFF))
    db.session.flush()
    auth.login(moderator)
    assert client.post(f"/clinics/{clinic.slug}/review", data=review_form()).status_code == 403


def test_the_clinic_page_offers_the_form_only_to_those_who_may_write(client, auth, create_clinic, make_owner):
    clinic = create_clinic()
    assert "Write a review" in text_of(client.get(f"/clinics/{clinic.slug}"))
    auth.login(make_owner(clinic))
    assert "Write a review" not in text_of(client.get(f"/clinics/{clinic.slug}"))


def test_the_form_cannot_set_status_verification_or_clinic(client, auth, create_user, create_clinic):
    clinic, other = create_clinic(), create_clinic()
    patient = create_user()
    auth.login(patient)
    data = review_form(status="approved", verified_patient="y", clinic_id=str(other.id), version="99")
    client.post(f"/clinics/{clinic.slug}/review", data=data)
    review = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    assert review.status == ReviewStatus.PENDING
    assert review.verified_patient is False
    assert review.clinic_id == clinic.id


def test_the_service_refuses_fields_outside_the_form(app, create_user, create_clinic):
    with pytest.raises(ValueError, match="may not set"):
        services.submit_review(create_user(), create_clinic(), {"rating_overall": 5, "status": "approved"})


def test_an_edit_sends_a_published_review_back_to_the_queue(client, auth, create_clinic, add_review):
    clinic = create_clinic()
    review = add_review(clinic, rating=5, title="Was published")
    db.session.commit()
    auth.login(review.author)
    form_page = client.get(f"/reviews/{review.id}/edit")
    assert 'value="Was published"' in form_page.get_data(as_text=True)
    response = client.post(f"/reviews/{review.id}/edit", data=review_form(rating_overall="2", title="Changed"))
    assert response.status_code == 302
    review = reload(review)
    assert review.status == ReviewStatus.PENDING
    assert (review.rating_overall, review.title) == (2, "Changed")
    assert review.published_at is None
    assert "Changed" not in text_of(client.get(f"/clinics/{clinic.slug}"))
    actions = db.session.scalars(select(ModerationLog.action).where(ModerationLog.target_id == review.id)).all()
    assert "edited" in actions


def test_the_edit_form_is_prefilled_with_every_answer(client, auth, create_user, create_clinic):
    clinic = create_clinic()
    auth.login(create_user())
    client.post(f"/clinics/{clinic.slug}/review", data=review_form())
    review = db.session.scalar(select(Review).where(Review.clinic_id == clinic.id))
    html = client.get(f"/reviews/{review.id}/edit").get_data(as_text=True)
    sent = review_form()
    for name, value in sent.items():
        if name in ("title", "sessions_count"):
            assert input_value(html, name) == value
        elif name == "side_effects":
            assert checked_values(html, name) == set(value)
        elif name in ("condition", "route"):
            assert f'<option selected value="{value}">' in html
        elif name == "body":
            assert value in html
        else:
            assert checked_values(html, name) == {value}, name


def test_only_the_author_can_edit_or_withdraw(client, auth, create_user, create_clinic, add_review):
    review = add_review(create_clinic())
    auth.login(create_user())
    assert client.get(f"/reviews/{review.id}/edit").status_code == 403
    assert client.post(f"/reviews/{review.id}/edit", data=review_form()).status_code == 403
    assert client.post(f"/reviews/{review.id}/withdraw").status_code == 403
    assert reload(review).status == ReviewStatus.APPROVED
    assert client.get("/reviews/999999/edit").status_code == 404


def test_the_author_withdraws_a_review_and_it_leaves_the_clinic_page(client, auth, create_clinic, add_review):
    clinic = create_clinic()
    review = add_review(clinic, title="Soon withdrawn")
    db.session.commit()
    assert "Soon withdrawn" in text_of(client.get(f"/clinics/{clinic.slug}"))
    auth.login(review.author)
    assert client.post(f"/reviews/{review.id}/withdraw").status_code == 302
    assert reload(review).status == ReviewStatus.WITHDRAWN
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Soon withdrawn" not in page
    assert "0 published reviews" in page


def test_a_withdrawn_review_can_be_sent_again(client, auth, create_clinic, add_review):
    clinic = create_clinic()
    review = add_review(clinic, status=ReviewStatus.WITHDRAWN)
    auth.login(review.author)
    response = client.get(f"/clinics/{clinic.slug}/review")
    assert response.headers["Location"].endswith(f"/reviews/{review.id}/edit")
    client.post(f"/reviews/{review.id}/edit", data=review_form())
    assert reload(review).status == ReviewStatus.PENDING
