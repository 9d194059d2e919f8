"""Claiming a listing: a code mailed to the clinic's domain, or a document; owner terms; every claim waits."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import Notification
from provider_dir.portal.claims import services as claim_service
from provider_dir.portal.models import ClinicClaim
from provider_dir.portal.vocab import OWNER_TERMS_VERSION, ClaimMethod, ClaimStatus
from tests.reviews.helpers import input_value, text_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def claim_form(**overrides) -> dict:
    data = {"role_at_clinic": "Practice manager", "method": "domain_email", "proof_email": "me@calm-mind.example",
            "accept_terms": "y"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def upload(data: bytes, name: str):
    return (BytesIO(data), name)


@pytest.fixture
def clinic(create_clinic):
    return create_clinic(website="https://www.calm-mind.example/")


@pytest.fixture
def claimant(confirmed_user, auth):
    user = confirmed_user()
    auth.login(user)
    return user


def the_claim(user) -> ClinicClaim:
    return db.session.scalars(select(ClinicClaim).where(ClinicClaim.user_id == user.id)).one()


def code_from(mailbox, address: str) -> str:
    return re.search(r"Your code is (\d{8})", mailbox.body(mailbox.last_to(address))).group(1)


def test_the_claim_page_shows_the_terms_and_the_domain(client, clinic, claimant):
    text = text_of(client.get(f"/portal/claim/{clinic.slug}"))
    assert "Owner terms (version 2026-12)" in text
    assert "paying patients" in text or "compensate anyone for writing a review" in text
    assert "must end with @calm-mind.example" in text


def test_a_domain_code_claim_then_waits_for_a_moderator(client, clinic, claimant, mailbox):
    response = client.post(f"/portal/claim/{clinic.slug}", data=claim_form(proof_email="Me@Mail.Calm-Mind.example"))
    assert response.status_code == 302
    claim = the_claim(claimant)
    assert claim.status == ClaimStatus.AWAITING_CODE and claim.method == ClaimMethod.DOMAIN_EMAIL
    assert claim.terms_version == OWNER_TERMS_VERSION and claim.terms_accepted_at is not None
    code = code_from(mailbox, "me@mail.calm-mind.example")
    assert code not in claim.code_hash and len(claim.code_hash) == 64  # only a keyed hash is stored
    link = mailbox.links(mailbox.last_to("me@mail.calm-mind.example"))[0]
    assert link.startswith("http") and f"/portal/claims/{claim.id}/code" in link
    confirmed = client.post(f"/portal/claims/{claim.id}/code", data={"code": code}, follow_redirects=True)
    assert "A moderator will now check your claim" in text_of(confirmed)
    db.session.expire_all()
    claim = the_claim(claimant)
    assert claim.status == ClaimStatus.PENDING and claim.email_confirmed_at is not None
    assert not claimant.belongs_to(clinic.id)  # a confirmed code alone does not make an owner


def test_an_address_outside_the_domain_is_refused_and_kept(client, clinic, claimant, mailbox):
    response = client.post(f"/portal/claim/{clinic.slug}",
                           data=claim_form(proof_email="me@calm-mind.example.evil.test"))  # fmt: skip
    assert response.status_code == 422
    assert "must end with @calm-mind.example" in text_of(response)
    html = response.get_data(as_text=True)
    assert input_value(html, "proof_email") == "me@calm-mind.example.evil.test"
    assert input_value(html, "role_at_clinic") == "Practice manager"
    assert db.session.scalars(select(ClinicClaim)).all() == []
    assert mailbox.messages == []


def test_a_clinic_without_a_website_cannot_use_the_code(client, create_clinic, claimant):
    bare = create_clinic(website="")
    assert "has no website on its listing" in text_of(client.get(f"/portal/claim/{bare.slug}"))
    response = client.post(f"/portal/claim/{bare.slug}", data=claim_form())
    assert response.status_code == 422
    assert "upload a document" in text_of(response)


def test_a_wrong_code_is_counted_and_kept(client, clinic, claimant, mailbox):
    client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    claim = the_claim(claimant)
    right = code_from(mailbox, "me@calm-mind.example")
    wrong = "00000000" if right != "00000000" else "11111111"
    response = client.post(f"/portal/claims/{claim.id}/code", data={"code": wrong})
    assert response.status_code == 422
    assert "That code is wrong" in text_of(response) and "4 tries left" in text_of(response)
    assert input_value(response.get_data(as_text=True), "code") == wrong
    for _ in range(4):
        client.post(f"/portal/claims/{claim.id}/code", data={"code": wrong})
    response = client.post(f"/portal/claims/{claim.id}/code", data={"code": right})
    assert response.status_code == 422
    assert "Too many wrong codes" in text_of(response)
    db.session.expire_all()
    assert the_claim(claimant).status == ClaimStatus.AWAITING_CODE


def test_a_code_expires_after_thirty_minutes(client, clinic, claimant, mailbox):
    client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    claim = the_claim(claimant)
    claim.code_sent_at = claim.code_sent_at - timedelta(minutes=31)
    db.session.commit()
    response = client.post(f"/portal/claims/{claim.id}/code", data={"code": code_from(mailbox, "me@calm-mind.example")})
    assert response.status_code == 422
    assert "expired" in text_of(response)


def test_a_new_code_replaces_the_old_one(client, clinic, claimant, mailbox):
    client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    claim = the_claim(claimant)
    old = code_from(mailbox, "me@calm-mind.example")
    too_soon = client.post(f"/portal/claims/{claim.id}/resend")
    assert too_soon.status_code == 429 and "Please wait" in text_of(too_soon)
    claim.code_sent_at = claim.code_sent_at - timedelta(minutes=2)
    db.session.commit()
    assert client.post(f"/portal/claims/{claim.id}/resend").status_code == 302
    new = code_from(mailbox, "me@calm-mind.example")
    if new != old:
        assert client.post(f"/portal/claims/{claim.id}/code", data={"code": old}).status_code == 422
    assert client.post(f"/portal/claims/{claim.id}/code", data={"code": new}).status_code == 302


def test_a_document_claim_waits_for_a_moderator(client, clinic, claimant):
    response = client.post(
        f"/portal/claim/{clinic.slug}",
        data=claim_form(method="document", proof_email=None, document=upload(PDF, "letter.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    claim = the_claim(claimant)
    assert claim.status == ClaimStatus.PENDING and claim.method == ClaimMethod.DOCUMENT
    assert claim.document.content_type == "application/pdf" and claim.document.clinic_id == clinic.id
    page = text_of(client.get("/portal/claims"))
    assert clinic.name in page and "Waiting for a moderator" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-" + b"x" * (6 * 1024 * 1024), "big.pdf", "the limit is 5 MB"),
        (b"<html><script>alert(1)</script></html>", "fake.pdf", "is not a PDF, PNG or JPEG"),
    ],
)
def test_a_bad_document_is_refused_and_the_rest_kept(client, clinic, claimant, data, name, message):
    response = client.post(
        f"/portal/claim/{clinic.slug}",
        data=claim_form(method="document", role_at_clinic="Medical director", document=upload(data, name)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in text_of(response)
    assert input_value(response.get_data(as_text=True), "role_at_clinic") == "Medical director"
    assert db.session.scalars(select(ClinicClaim)).all() == []


def test_the_terms_must_be_accepted(client, clinic, claimant):
    response = client.post(f"/portal/claim/{clinic.slug}", data=claim_form(accept_terms=None))
    assert response.status_code == 422
    assert "Please read and accept the owner terms." in text_of(response)


def test_an_unconfirmed_address_is_refused(client, clinic, create_user, auth):
    user = create_user()
    auth.login(user)
    assert "Please confirm your email address first" in text_of(client.get(f"/portal/claim/{clinic.slug}"))
    response = client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    assert response.status_code == 403
    assert "Please confirm your email address first" in text_of(response)


@pytest.mark.parametrize("role", [UserRole.MODERATOR, UserRole.ADMIN])
def test_a_moderator_or_admin_account_cannot_claim(client, clinic, confirmed_user, auth, role):
    auth.login(confirmed_user(role=role))
    shown = client.get(f"/portal/claim/{clinic.slug}")
    assert shown.status_code == 200 and "separate account to manage your clinic" in text_of(shown)
    response = client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    assert response.status_code == 403
    assert "cannot claim or create listings" in text_of(response)
    assert db.session.scalars(select(ClinicClaim)).first() is None


def test_one_open_claim_per_clinic(client, clinic, claimant):
    client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    response = client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    assert response.status_code == 403
    assert "already have a claim" in text_of(response)


def test_existing_owners_are_told_of_a_claim(client, clinic, claimant, make_owner, mailbox):
    owner = make_owner(clinic)
    client.post(
        f"/portal/claim/{clinic.slug}",
        data=claim_form(method="document", document=upload(PDF, "letter.pdf")),
        content_type="multipart/form-data",
    )
    assert "asked to manage" in mailbox.body(mailbox.last_to(owner.email))
    notes = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert len(notes) == 1 and claimant.display_name in notes[0].message
    client.post("/logout")
    client.post("/login", data={"email": owner.email, "password": "correct horse battery staple"})
    dashboard = text_of(client.get(f"/portal/clinics/{clinic.slug}"))
    assert "Others asking to manage this clinic" in dashboard and claimant.display_name in dashboard


def test_a_claim_can_be_withdrawn(client, clinic, claimant):
    client.post(f"/portal/claim/{clinic.slug}", data=claim_form())
    claim = the_claim(claimant)
    assert client.post(f"/portal/claims/{claim.id}/withdraw").status_code == 302
    db.session.expire_all()
    assert the_claim(claimant).status == ClaimStatus.WITHDRAWN


def test_someone_elses_claim_is_not_found(client, clinic, confirmed_user, claimant):
    other = confirmed_user()
    claim, _ = claim_service.start_domain_claim(other, clinic, "Nurse", "n@calm-mind.example", "key", utcnow())
    db.session.commit()
    assert client.get(f"/portal/claims/{claim.id}/code").status_code == 404
    assert client.post(f"/portal/claims/{claim.id}/code", data={"code": "12345678"}).status_code == 404
    assert client.post(f"/portal/claims/{claim.id}/resend").status_code == 404
    assert client.post(f"/portal/claims/{claim.id}/withdraw").status_code == 404


def test_a_draft_cannot_be_claimed(client, create_clinic, claimant):
    from provider_dir.listings.vocab import ClinicStatus

    draft = create_clinic(status=ClinicStatus.DRAFT, website="https://draft.example")
    assert client.get(f"/portal/claim/{draft.slug}").status_code == 404


@pytest.mark.parametrize(
    ("email", "domain", "ok"),
    [
        ("a@calm.example", "calm.example", True),
        ("a@mail.calm.example", "calm.example", True),
        ("a@evilcalm.example", "calm.example", False),
        ("a@calm.example.evil", "calm.example", False),
        ("calm.example", "calm.example", False),
    ],
)
def test_address_at_domain(email, domain, ok):
    assert claim_service.address_at_domain(email, domain) is ok


def test_website_domain_drops_www():
    assert claim_service.website_domain("https://WWW.Calm.Example/about") == "calm.example"
    assert claim_service.website_domain("javascript:alert(1)") is None
    assert claim_service.website_domain("") is None
