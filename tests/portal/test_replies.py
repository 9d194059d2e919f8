"""Clinic replies: one per review, editable, screened for patient details, with the non-confirming template."""

from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.portal.listings.screening import (
    CARE,
    DATE,
    NAME,
    NON_CONFIRMING_TEMPLATE,
    PHONE,
    TREATMENT,
    screen_reply,
)
from provider_dir.portal.models import ClinicReply
from provider_dir.reviews.vocab import ReviewStatus
from tests.reviews.helpers import text_of

CLINIC_PHONE = "(212) 555-0147"


@pytest.mark.parametrize(
    ("reply", "kind", "fragment"),
    [
        ("Dear Sarah, we are sorry.", NAME, "Sarah"),
        ("We spoke with Mr. Alvarez about this.", NAME, "Mr. Alvarez"),
        ("Thanks, Michael, for the feedback.", NAME, "Michael"),
        ("We saw you on 3/14/2025 and all was fine.", DATE, "3/14/2025"),
        ("Your visit on March 3rd went as planned.", DATE, "March 3rd"),
        ("On the 12th of June we followed protocol.", DATE, "12th of June"),
        ("We were fully staffed on Tuesday.", DATE, "on Tuesday"),
        ("As we said yesterday, the room was clean.", DATE, "yesterday"),
        ("Call me on my cell 917-555-0123.", PHONE, "917-555-0123"),
        ("Text +1 (646) 555 0199 anytime.", PHONE, "+1 (646) 555 0199"),
        ("The 0.5 mg/kg dose is standard.", TREATMENT, "0.5 mg/kg"),
        ("A 35mg dose is standard.", TREATMENT, "35mg"),
        ("After six infusions most people improve.", TREATMENT, "six infusions"),
        ("It was only the 2nd ketamine session.", TREATMENT, "2nd ketamine session"),
        ("We reviewed your chart carefully.", CARE, "your chart"),
        ("Sorry your infusion felt rushed.", CARE, "your infusion"),
        ("When you came in we checked everything.", CARE, "you came in"),
    ],
)
def test_the_screen_finds_patient_details(reply, kind, fragment):
    assert any(f.kind == kind and f.text == fragment for f in screen_reply(reply, CLINIC_PHONE)), screen_reply(reply)


@pytest.mark.parametrize(
    "reply",
    [
        NON_CONFIRMING_TEMPLATE.format(phone=CLINIC_PHONE),
        NON_CONFIRMING_TEMPLATE.format(phone="212.555.0147"),
        "We take every concern seriously and review our safety procedures each quarter. We're open 24/7.",
        "Thank you. Our medical director would welcome a call; please reach the front desk.",
    ],
)
def test_the_template_and_general_replies_pass(reply):
    assert screen_reply(reply, CLINIC_PHONE) == []


def test_only_the_clinics_own_phone_number_is_allowed():
    findings = screen_reply("Call 212-555-0147 or my mobile 212-555-0999.", CLINIC_PHONE)
    assert [(f.kind, f.text) for f in findings] == [(PHONE, "212-555-0999")]


def owned_review(create_clinic, make_owner, add_review, **fields):
    clinic = create_clinic(phone=CLINIC_PHONE)
    owner = make_owner(clinic)
    review = add_review(clinic, **fields)
    return clinic, owner, review


def test_an_owner_replies_publicly(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review)
    auth.login(owner)
    body = NON_CONFIRMING_TEMPLATE.format(phone=CLINIC_PHONE)
    response = client.post(f"/portal/reviews/{review.id}/reply", data={"body": body, "post": "Post reply"})
    assert response.status_code == 302
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert f"Reply from {clinic.name}" in page and "can't discuss any individual's care" in page


def test_a_reply_is_edited_not_duplicated(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review)
    auth.login(owner)
    client.post(f"/portal/reviews/{review.id}/reply", data={"body": "Thank you for the feedback.", "post": "1"})
    form = client.get(f"/portal/reviews/{review.id}/reply").get_data(as_text=True)
    assert "Thank you for the feedback." in form
    client.post(f"/portal/reviews/{review.id}/reply", data={"body": "Thank you; we have passed this on.", "post": "1"})
    replies = db.session.scalars(select(ClinicReply).where(ClinicReply.review_id == review.id)).all()
    assert [r.body for r in replies] == ["Thank you; we have passed this on."]


def test_a_reply_with_patient_details_is_refused_with_a_list(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review)
    auth.login(owner)
    body = "Dear Sarah, your 3 infusions on March 3 were at 40 mg; call 917-555-0123."
    response = client.post(f"/portal/reviews/{review.id}/reply", data={"body": body, "post": "1"})
    assert response.status_code == 422
    message = text_of(response)
    for expected in (
        'a name ("Sarah")',
        'a date ("March 3")',
        'a phone number ("917-555-0123")',
        'treatment details ("40 mg")',
        'treatment details ("3 infusions")',
    ):
        assert expected in message
    assert body in unescape(response.get_data(as_text=True))  # kept for correction
    assert db.session.scalars(select(ClinicReply)).all() == []


def test_the_form_fills_in_the_standard_reply(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review)
    auth.login(owner)
    page = client.get(f"/portal/reviews/{review.id}/reply")
    assert "can't discuss any individual's care" in text_of(page)
    filled = client.post(f"/portal/reviews/{review.id}/reply", data={"body": "", "use_template": "1"})
    assert filled.status_code == 200
    html = unescape(filled.get_data(as_text=True))
    assert f"please call us at {CLINIC_PHONE}" in html.split("<textarea")[1]
    assert db.session.scalars(select(ClinicReply)).all() == []


def test_only_owners_of_the_clinic_reply(client, auth, create_user, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review)
    auth.login(make_owner(create_clinic()))
    assert client.post(f"/portal/reviews/{review.id}/reply", data={"body": "Thanks", "post": "1"}).status_code == 403
    auth.login(create_user())
    assert client.get(f"/portal/reviews/{review.id}/reply").status_code == 403
    assert db.session.scalars(select(ClinicReply)).all() == []


def test_pending_reviews_cannot_be_answered(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review, status=ReviewStatus.PENDING)
    auth.login(owner)
    assert client.get(f"/portal/reviews/{review.id}/reply").status_code == 404


def test_an_owner_removes_their_own_reply_and_the_review_stays(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review, title="Stays put")
    auth.login(owner)
    client.post(f"/portal/reviews/{review.id}/reply", data={"body": "Thank you.", "post": "1"})
    assert client.post(f"/portal/reviews/{review.id}/reply/delete").status_code == 302
    assert db.session.scalars(select(ClinicReply)).all() == []
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Stays put" in page and "Reply from" not in page


def test_the_portal_lists_the_owners_clinics_and_reviews(client, auth, create_clinic, make_owner, add_review):
    clinic, owner, review = owned_review(create_clinic, make_owner, add_review, title="Listed for the owner")
    db.session.commit()
    auth.login(owner)
    index = text_of(client.get("/portal/"))
    assert clinic.name in index and "cannot hide, edit or delete a review" in index
    assert "Listed for the owner" in text_of(client.get(f"/portal/clinics/{clinic.slug}/reviews"))
