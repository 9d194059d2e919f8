"""Checklist evidence in the portal: what an owner can answer, saving text, links and documents, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from flask import g
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.documents.models import Document
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.models import ModerationLog
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from tests.reviews.helpers import text_of
from tests.scoring import builders
from tests.scoring.evidence_helpers import (
    HTML_AS_PDF,
    PDF,
    PNG,
    evidence_url,
    post_evidence,
    reload_answer,
    six_mb_pdf,
)


@pytest.fixture
def clinic(create_clinic):
    return create_clinic()


@pytest.fixture
def owner(clinic, make_owner, auth):
    user = make_owner(clinic)
    auth.login(user)
    return user


def _answer(clinic, code) -> ChecklistAnswer | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ChecklistAnswer).where(ChecklistAnswer.clinic_id == clinic.id, ChecklistAnswer.item_code == code)
    )


def _score(clinic) -> int | None:
    db.session.expire_all()
    return db.session.get(Clinic, clinic.id).score_total


def _input_value(html: str, name: str) -> str:
    import re

    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return unescape(value.group(1)) if value else ""


def test_the_checklist_page_offers_every_item_the_clinic_answers_itself(client, clinic, owner):
    response = client.get(f"/portal/clinics/{clinic.slug}/checklist")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for item in ITEMS:
        link = f'href="{evidence_url(clinic.slug, item.code)}"'
        if item.from_credentials or item.code == "C20":
            assert link not in html, item.code
        else:
            assert link in html, item.code
    assert "Read from your staff's credentials" in text_of(response)


@pytest.mark.parametrize("code", ["C01", "C02", "C03", "C20", "C99"])
def test_items_an_owner_does_not_answer_have_no_form(client, clinic, owner, code):
    assert client.get(evidence_url(clinic.slug, code)).status_code == 404
    assert post_evidence(client, clinic.slug, code, text="We have it all").status_code == 404
    assert _answer(clinic, code) is None


def test_a_text_answer_is_self_reported_pending_logged_and_raises_the_score_at_once(client, clinic, owner):
    before = _score(clinic)
    response = post_evidence(client, clinic.slug, "C09", text="Every infusion runs on a syringe pump at 0.5 mg/kg.")
    assert response.status_code == 302
    answer = _answer(clinic, "C09")
    assert answer.status == AnswerStatus.SELF_REPORTED
    assert answer.evidence_kind == EvidenceKind.SR
    assert answer.submitted_at is not None
    assert answer.evidence_text == "Every infusion runs on a syringe pump at 0.5 mg/kg."
    assert db.session.get(Clinic, clinic.id).last_edited_at is not None
    entry = db.session.scalar(select(ModerationLog).where(ModerationLog.target_type == "checklist_answer",
                                                          ModerationLog.target_id == answer.id))
    assert entry.actor_id == owner.id and entry.clinic_id == clinic.id and entry.action == "evidence_submitted"
    assert entry.changes["evidence_text"] == ["", "Every infusion runs on a syringe pump at 0.5 mg/kg."]
    assert entry.changes["status"] == ["unknown", "self_reported"]
    assert _score(clinic) > (before or 0)
    page = client.get(response.headers["Location"])
    assert "waiting for a moderator's check" in text_of(page)


def test_a_pdf_is_stored_as_evidence_and_downloads_only_as_an_attachment(client, clinic, owner):
    response = post_evidence(client, clinic.slug, "C05", file=PDF, filename="screening form.pdf",
                             text="Our intake screening form.")
    assert response.status_code == 302
    answer = _answer(clinic, "C05")
    document = answer.document
    assert document.purpose == DocumentPurpose.EVIDENCE and document.clinic_id == clinic.id
    assert document.content_type == "application/pdf" and document.original_name == "screening form.pdf"
    assert document.storage_name != "screening form.pdf"
    page = client.get(evidence_url(clinic.slug, "C05")).get_data(as_text=True)
    download = f"/portal/clinics/{clinic.slug}/documents/{document.id}"
    assert download in page
    got = client.get(download)
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.mimetype == "application/pdf"


def test_a_png_counts_as_a_document(client, clinic, owner):
    assert post_evidence(client, clinic.slug, "C08", file=PNG, filename="crash-cart.png").status_code == 302
    assert _answer(clinic, "C08").document.content_type == "image/png"


def test_a_six_megabyte_file_gets_the_form_back_with_a_message_and_the_text_kept(client, clinic, owner):
    response = post_evidence(client, clinic.slug, "C05", file=six_mb_pdf(), text="Screening form, signed.")
    assert response.status_code == 422
    text = text_of(response)
    assert "The file is 6.0 MB; the limit is 5 MB" in text
    assert "Screening form, signed." in response.get_data(as_text=True)
    assert _answer(clinic, "C05") is None
    assert db.session.scalar(select(Document).where(Document.clinic_id == clinic.id)) is None


def test_an_html_file_named_pdf_is_refused_by_its_content(client, clinic, owner):
    response = post_evidence(client, clinic.slug, "C05", file=HTML_AS_PDF, filename="policy.pdf",
                             text="See the attached policy.", url="https://clinic.example/policy")
    assert response.status_code == 422
    assert "not a PDF, PNG or JPEG (its content was checked, not its name)" in text_of(response)
    html = response.get_data(as_text=True)
    assert "See the attached policy." in html
    assert _input_value(html, "url") == "https://clinic.example/policy"
    assert _answer(clinic, "C05") is None


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("javascript:alert(document.cookie)", "“javascript:” links are refused"),
        ("data:text/html;base64,PHNjcmlwdD4=", "“data:” links are refused"),
        ("ftp://clinic.example/policy.pdf", "“ftp:” links are refused"),
        ("clinic.example/policy", "no http:// or https:// at the start"),
        ("https://", "no web address after http:// or https://"),
        ("https://clinic.example/a b", "spaces or control characters"),
    ],
)
def test_a_link_that_is_not_http_or_https_is_refused_and_kept(client, clinic, owner, link, message):
    response = post_evidence(client, clinic.slug, "C19", text="Prices on our site.", url=link)
    assert response.status_code == 422
    assert message in text_of(response)
    assert _input_value(response.get_data(as_text=True), "url") == link
    assert _answer(clinic, "C19") is None


def test_an_https_link_is_kept_and_shown_on_the_public_page(client, clinic, owner):
    url = "https://clinic.example/prices?plan=series"
    assert post_evidence(client, clinic.slug, "C19", url=url).status_code == 302
    assert _answer(clinic, "C19").evidence_url == url
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert 'href="https://clinic.example/prices?plan=series"' in page


def test_an_answer_needs_some_evidence(client, clinic, owner):
    response = post_evidence(client, clinic.slug, "C10", text="   ")
    assert response.status_code == 422
    assert "Give some evidence: a few words, a link or a document." in text_of(response)


def test_evidence_that_expires_needs_a_date_in_the_future(client, clinic, owner):
    assert client.get(evidence_url(clinic.slug, "C21")).get_data(as_text=True).count('name="expires_on"') == 1
    assert 'name="expires_on"' not in client.get(evidence_url(clinic.slug, "C09")).get_data(as_text=True)
    missing = post_evidence(client, clinic.slug, "C21", file=PDF, text="Our ASKP3 pledge certificate")
    assert missing.status_code == 422
    assert "give the date it is valid until" in text_of(missing)
    past = (date.today() - timedelta(days=1)).isoformat()
    expired = post_evidence(client, clinic.slug, "C21", text="Our ASKP3 pledge certificate", expires_on=past)
    assert expired.status_code == 422
    assert "This date has passed" in text_of(expired)
    assert "Our ASKP3 pledge certificate" in expired.get_data(as_text=True)
    bad = post_evidence(client, clinic.slug, "C21", text="Pledge", expires_on="next spring")
    assert bad.status_code == 422
    assert _input_value(bad.get_data(as_text=True), "expires_on") == "next spring"
    assert _answer(clinic, "C21") is None
    later = (date.today() + timedelta(days=200)).isoformat()
    assert post_evidence(client, clinic.slug, "C21", file=PDF, expires_on=later).status_code == 302
    assert _answer(clinic, "C21").expires_on.isoformat() == later


def test_fields_an_owner_may_not_set_are_ignored(client, clinic, owner, create_clinic):
    other = create_clinic()
    moderator = builders.make_moderator(db.session)
    response = post_evidence(
        client, clinic.slug, "C12", text="Consent form covers off-label use.",
        status="verified", verified_by_id=str(moderator.id), verified_at="2026-01-01T00:00:00",
        evidence_kind="DOC", clinic_id=str(other.id), item_code="C05", decision_reason=None, version="99",
    )
    assert response.status_code == 302
    answer = _answer(clinic, "C12")
    assert answer.status == AnswerStatus.SELF_REPORTED
    assert answer.verified_by_id is None and answer.verified_at is None
    assert answer.evidence_kind == EvidenceKind.SR and answer.document_id is None
    assert answer.clinic_id == clinic.id
    assert _answer(clinic, "C05") is None
    assert db.session.scalar(select(ChecklistAnswer).where(ChecklistAnswer.clinic_id == other.id)) is None


def test_a_change_to_a_verified_answer_makes_it_self_reported_and_pending_again(client, clinic, owner):
    moderator = builders.make_moderator(db.session)
    verified = builders.answer(db.session, clinic, "C06", AnswerStatus.VERIFIED, moderator,
                               evidence_text="Hold if BP > 160/100.")
    db.session.commit()
    high = _score(clinic)
    unchanged = post_evidence(client, clinic.slug, "C06", text="Hold if BP > 160/100.")
    assert unchanged.status_code == 302
    assert reload_answer(verified.id).status == AnswerStatus.VERIFIED
    changed = post_evidence(client, clinic.slug, "C06", text="Hold if BP > 150/95.")
    assert changed.status_code == 302
    answer = reload_answer(verified.id)
    assert answer.status == AnswerStatus.SELF_REPORTED and answer.submitted_at is not None
    assert answer.verified_by_id is None and answer.verified_at is None
    assert _score(clinic) < high


def test_refused_evidence_sent_back_unchanged_is_refused_with_a_message(client, clinic, owner):
    refused = builders.answer(db.session, clinic, "C14", AnswerStatus.REFUSED, evidence_text="We call your GP.",
                              decision_reason="not_shown")
    db.session.commit()
    page = client.get(evidence_url(clinic.slug, "C14"))
    assert "A moderator refused this evidence: The evidence does not show the item." in text_of(page)
    again = post_evidence(client, clinic.slug, "C14", text="We call your GP.")
    assert again.status_code == 422
    assert "Change it (new text, a new link or a new document)" in text_of(again)
    assert reload_answer(refused.id).status == AnswerStatus.REFUSED
    new = post_evidence(client, clinic.slug, "C14", text="With consent we send a letter to your GP after each course.")
    assert new.status_code == 302
    answer = reload_answer(refused.id)
    assert answer.status == AnswerStatus.SELF_REPORTED and answer.decision_reason is None


def test_withdrawing_an_answer_makes_the_item_unknown(client, clinic, owner):
    post_evidence(client, clinic.slug, "C17", file=PDF, text="Double-locked safe, daily counts.")
    answer = _answer(clinic, "C17")
    assert client.post(f"/portal/clinics/{clinic.slug}/checklist/C17/withdraw").status_code == 302
    answer = reload_answer(answer.id)
    assert answer.status == AnswerStatus.UNKNOWN and answer.document_id is None and answer.evidence_text == ""
    actions = db.session.scalars(select(ModerationLog.action).where(ModerationLog.target_id == answer.id,
                                                                    ModerationLog.target_type == "checklist_answer"))
    assert list(actions) == ["evidence_submitted", "evidence_withdrawn"]


def test_replacing_a_document_keeps_one_on_record_and_removing_it_needs_other_evidence(client, clinic, owner):
    post_evidence(client, clinic.slug, "C04", file=PDF)
    first = _answer(clinic, "C04").document_id
    post_evidence(client, clinic.slug, "C04", file=PNG, filename="form.png")
    assert _answer(clinic, "C04").document_id != first
    response = post_evidence(client, clinic.slug, "C04", remove_document="y")
    assert response.status_code == 422
    assert post_evidence(client, clinic.slug, "C04", remove_document="y", text="Evaluation by our psychiatrist.")\
        .status_code == 302
    assert _answer(clinic, "C04").document_id is None


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_with_csrf_on_a_six_megabyte_upload_still_reaches_the_form(client, clinic, make_owner, csrf_on):
    import re

    user = make_owner(clinic)
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple",
                                "csrf_token": token})
    # The test's app context (and so `g`, where Flask-WTF caches the token) outlives each request; logging in
    # starts a new session, so the cached token must go for the next page to put a fresh one in the session.
    g.pop("csrf_token", None)
    page = client.get(evidence_url(clinic.slug, "C05")).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    without = post_evidence(client, clinic.slug, "C05", file=PDF, text="x")
    assert without.status_code == 400
    big = post_evidence(client, clinic.slug, "C05", file=six_mb_pdf(), text="Signed form", csrf_token=token)
    assert big.status_code == 422
    assert "The file is 6.0 MB" in text_of(big)
    ok = post_evidence(client, clinic.slug, "C05", file=PDF, text="Signed form", csrf_token=token)
    assert ok.status_code == 302


def test_only_clinic_owner_accounts_reach_the_portal(client, clinic, create_user, auth):
    auth.login(create_user(role=UserRole.PATIENT))
    assert client.get(f"/portal/clinics/{clinic.slug}/checklist").status_code == 403
