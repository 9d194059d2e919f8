"""Who reaches the checklist-evidence routes and documents: every route, as every role, for someone else's clinic."""

from __future__ import annotations

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring.evidence_helpers import PDF, pending_answer, reload_answer

PORTAL_ROUTES = [
    ("GET", "/portal/clinics/{slug}/checklist"),
    ("GET", "/portal/clinics/{slug}/checklist/C09"),
    ("POST", "/portal/clinics/{slug}/checklist/C09"),
    ("POST", "/portal/clinics/{slug}/checklist/C09/withdraw"),
    ("GET", "/portal/clinics/{slug}/documents/{document}"),
]
MODERATION_ROUTES = [
    ("GET", "/moderation/evidence/"),
    ("GET", "/moderation/evidence/{answer}"),
    ("POST", "/moderation/evidence/{answer}/decision"),
    ("GET", "/moderation/evidence/documents/{document}"),
]


@pytest.fixture
def world(create_clinic, make_owner, create_user):
    """Clinic A and clinic B, each with its owner; B has pending evidence with a document."""
    clinic_a, clinic_b = create_clinic(), create_clinic()
    owner_a, owner_b = make_owner(clinic_a), make_owner(clinic_b)
    answer = pending_answer(clinic_b, "C09", owner_b, text="Pump at 0.5 mg/kg over 40 minutes.", pdf=True)
    own_answer = pending_answer(clinic_a, "C09", owner_a, text="Our own pump.", pdf=True)
    db.session.commit()
    return {
        "a": clinic_a, "b": clinic_b, "owner_a": owner_a, "owner_b": owner_b, "answer": answer,
        "own_answer": own_answer,
        "patient": create_user(role=UserRole.PATIENT),
        "moderator": create_user(role=UserRole.MODERATOR),
    }


def _call(client, method, template, world, slug=None):
    answer = world["answer"]
    url = template.format(slug=slug or world["b"].slug, document=answer.document_id, answer=answer.id)
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"text": "Changed by someone else", "version": str(answer.version),
                                  "verify": "Verify", "basis": "meets_policy"})


def _unchanged(world) -> None:
    answer = reload_answer(world["answer"].id)
    assert answer.status == AnswerStatus.SELF_REPORTED
    assert answer.evidence_text == "Pump at 0.5 mg/kg over 40 minutes."


@pytest.mark.parametrize(("method", "template"), PORTAL_ROUTES + MODERATION_ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, world, method, template):
    response = _call(client, method, template, world)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    _unchanged(world)


@pytest.mark.parametrize(("method", "template"), PORTAL_ROUTES + MODERATION_ROUTES)
def test_patients_get_403_everywhere(client, auth, world, method, template):
    auth.login(world["patient"])
    assert _call(client, method, template, world).status_code == 403
    _unchanged(world)


@pytest.mark.parametrize(("method", "template"), PORTAL_ROUTES)
def test_the_owner_of_clinic_a_gets_403_on_every_evidence_route_of_clinic_b(client, auth, world, method, template):
    auth.login(world["owner_a"])
    assert _call(client, method, template, world).status_code == 403
    _unchanged(world)


def test_the_owner_of_clinic_a_cannot_fetch_b_s_document_through_a_s_own_address(client, auth, world):
    auth.login(world["owner_a"])
    response = client.get(f"/portal/clinics/{world['a'].slug}/documents/{world['answer'].document_id}")
    assert response.status_code == 404
    assert PDF not in response.data
    own = client.get(f"/portal/clinics/{world['a'].slug}/documents/{world['own_answer'].document_id}")
    assert own.status_code == 200 and own.data == PDF


@pytest.mark.parametrize(("method", "template"), MODERATION_ROUTES)
def test_owners_get_403_on_the_moderation_routes(client, auth, world, method, template):
    auth.login(world["owner_b"])
    assert _call(client, method, template, world).status_code == 403
    _unchanged(world)


@pytest.mark.parametrize(("method", "template"), PORTAL_ROUTES)
def test_moderators_do_not_use_the_owners_portal(client, auth, world, method, template):
    auth.login(world["moderator"])
    assert _call(client, method, template, world).status_code == 403
    _unchanged(world)


def test_the_owner_of_clinic_b_reaches_every_route_of_clinic_b(client, auth, world):
    auth.login(world["owner_b"])
    slug = world["b"].slug
    assert client.get(f"/portal/clinics/{slug}/checklist").status_code == 200
    assert client.get(f"/portal/clinics/{slug}/checklist/C09").status_code == 200
    document = client.get(f"/portal/clinics/{slug}/documents/{world['answer'].document_id}")
    assert document.status_code == 200 and document.data == PDF


def test_a_moderator_may_fetch_only_evidence_documents(client, auth, world):
    from provider_dir.documents.models import Document
    from provider_dir.documents.vocab import DocumentPurpose

    claim = Document(clinic_id=world["b"].id, purpose=DocumentPurpose.CLAIM, storage_name="0" * 32 + ".pdf",
                     content_type="application/pdf", size_bytes=10, sha256="0" * 64)
    db.session.add(claim)
    db.session.commit()
    auth.login(world["moderator"])
    assert client.get(f"/moderation/evidence/documents/{world['answer'].document_id}").status_code == 200
    assert client.get(f"/moderation/evidence/documents/{claim.id}").status_code == 404
    assert client.get("/moderation/evidence/documents/999999").status_code == 404
