"""Invitation codes: issued by owners, shown once, stored as hashes, single use, and the verified label."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.portal import invitations
from provider_dir.portal.models import InvitationCode
from provider_dir.reviews.models import Review
from tests.reviews.helpers import review_form, text_of

CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def issue(client, clinic, count=3) -> list[str]:
    response = client.post(f"/portal/clinics/{clinic.slug}/invitations", data={"count": str(count)})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return CODE.findall(text_of(response))


def test_the_page_says_to_invite_every_patient(client, auth, create_clinic, make_owner):
    clinic = create_clinic()
    auth.login(make_owner(clinic))
    page = text_of(client.get(f"/portal/clinics/{clinic.slug}/invitations"))
    assert "Invite every patient, never only the happy ones" in page
    assert "review gating" in page


def test_an_owner_issues_codes_that_are_shown_once_and_stored_hashed(client, auth, create_clinic, make_owner):
    clinic = create_clinic()
    auth.login(make_owner(clinic))
    codes = issue(client, clinic, 3)
    assert len(set(codes)) == 3
    stored = db.session.scalars(select(InvitationCode.code_hash).where(InvitationCode.clinic_id == clinic.id)).all()
    assert sorted(stored) == sorted(invitations.code_hash(c) for c in codes)
    assert not any(c in stored or invitations.normalise(c) in stored for c in codes)
    again = text_of(client.get(f"/portal/clinics/{clinic.slug}/invitations"))
    assert not CODE.findall(again)
    assert "3 codes issued so far, 0 used" in again


@pytest.mark.parametrize("count", ["0", "51", "many", ""])
def test_a_bad_number_of_codes_is_refused(client, auth, create_clinic, make_owner, count):
    clinic = create_clinic()
    auth.login(make_owner(clinic))
    response = client.post(f"/portal/clinics/{clinic.slug}/invitations", data={"count": count})
    assert response.status_code == 422
    assert db.session.scalars(select(InvitationCode)).all() == []


def test_only_the_clinics_owner_issues_codes(client, auth, create_user, create_clinic, make_owner):
    clinic, other = create_clinic(), create_clinic()
    auth.login(make_owner(other))
    assert client.post(f"/portal/clinics/{clinic.slug}/invitations", data={"count": "2"}).status_code == 403
    auth.login(create_user(role=UserRole.PATIENT))
    assert client.get(f"/portal/clinics/{clinic.slug}/invitations").status_code == 403
    auth.logout()
    assert client.get("/portal/").status_code == 302


def test_a_review_with_a_valid_code_is_labelled_verified(client, auth, create_user, create_clinic, make_owner):
    clinic = create_clinic()
    auth.login(make_owner(clinic))
    [code] = issue(client, clinic, 1)
    patient = create_user()
    auth.login(patient)
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form(invitation_code=code.lower()))
    assert response.status_code == 302
    review = db.session.scalar(select(Review).where(Review.author_id == patient.id))
    assert review.verified_patient is True
    used = db.session.scalar(select(InvitationCode).where(InvitationCode.clinic_id == clinic.id))
    assert used.used_at is not None and used.review_id == review.id


def test_a_code_works_once(client, auth, create_user, create_clinic, make_owner):
    clinic = create_clinic()
    auth.login(make_owner(clinic))
    [code] = issue(client, clinic, 1)
    auth.login(create_user())
    client.post(f"/clinics/{clinic.slug}/review", data=review_form(invitation_code=code))
    auth.login(create_user())
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form(invitation_code=code))
    assert response.status_code == 422
    assert "already been used" in text_of(response)
    assert 'value="' + code + '"' in response.get_data(as_text=True)  # what was typed stays
    assert len(db.session.scalars(select(Review).where(Review.clinic_id == clinic.id)).all()) == 1


def test_another_clinics_code_is_refused(client, auth, create_user, create_clinic, make_owner):
    clinic, other = create_clinic(), create_clinic()
    auth.login(make_owner(other))
    [code] = issue(client, other, 1)
    auth.login(create_user())
    response = client.post(f"/clinics/{clinic.slug}/review", data=review_form(invitation_code=code))
    assert response.status_code == 422
    assert "not one this clinic issued" in text_of(response)


def test_reviews_without_a_code_are_welcome_and_labelled(client, create_clinic, add_review):
    clinic = create_clinic()
    add_review(clinic, title="With a code", verified_patient=True)
    add_review(clinic, title="Without a code")
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    with_code = page[page.index("With a code") - 120 : page.index("With a code")]
    without = page[page.index("Without a code") - 120 : page.index("Without a code")]
    assert "Verified patient" in with_code
    assert "Not verified by the clinic" in without


def test_an_unverified_author_can_add_a_code_when_editing(client, auth, create_clinic, make_owner, add_review):
    clinic = create_clinic()
    review = add_review(clinic)
    auth.login(make_owner(clinic))
    [code] = issue(client, clinic, 1)
    auth.login(review.author)
    client.post(f"/reviews/{review.id}/edit", data=review_form(invitation_code=code))
    db.session.expire_all()
    assert db.session.get(Review, review.id).verified_patient is True


def test_a_code_redeemed_concurrently_is_refused(app, create_clinic, make_owner, add_review):
    clinic = create_clinic()
    [code] = invitations.issue_codes(clinic, make_owner(clinic), 1)
    row = invitations.find_unused(clinic.id, code)
    first, second = add_review(clinic), add_review(clinic)
    invitations.redeem(row, first.id)
    with pytest.raises(invitations.InvalidInvitation):
        invitations.redeem(row, second.id)


def test_codes_are_random_and_readable():
    codes = {invitations.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(CODE.fullmatch(c) and not set(c) & set("01OIL") for c in codes)
    assert invitations.normalise(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"
