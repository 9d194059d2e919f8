"""The claim queue: oldest first, a reason from the closed list, 409 when stale, 403 for the clinic's own people."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog, Notification
from provider_dir.moderation.portal import claims as claim_queue
from provider_dir.portal.claims import services as claims
from provider_dir.portal.models import ClinicClaim, OwnerTermsAcceptance
from provider_dir.portal.vocab import ClaimStatus
from tests.reviews.helpers import text_of

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def make_claim(create_user, create_clinic):
    """Return a factory for claims waiting for a moderator (by document)."""

    def make(clinic=None, user=None, age_minutes: int = 0) -> ClinicClaim:
        clinic = clinic or create_clinic(website="https://calm.example")
        user = user or create_user(email_confirmed_at=utcnow())
        document = save_upload(FileStorage(BytesIO(PDF), "proof.pdf"), clinic.id, user, DocumentPurpose.CLAIM)
        claim = claims.submit_document_claim(user, clinic, "Practice manager", document,
                                             utcnow() - timedelta(minutes=age_minutes))  # fmt: skip
        claim.created_at = utcnow() - timedelta(minutes=age_minutes)
        db.session.commit()
        return claim

    return make


def decide(client, claim, **data):
    return client.post(f"/moderation/claims/{claim.id}/decision", data={"version": claim.version, **data})


def test_the_queue_is_oldest_first_and_counts(client, auth, moderator, make_claim):
    newer, older = make_claim(age_minutes=5), make_claim(age_minutes=50)
    auth.login(moderator)
    html = client.get("/moderation/claims/").get_data(as_text=True)
    assert html.index(f'id="claim-{older.id}"') < html.index(f'id="claim-{newer.id}"')
    assert claim_queue.pending_count(moderator) == 2
    assert "download the document" in html


def test_approving_makes_an_owner_and_tells_them(client, auth, moderator, make_claim, make_owner, mailbox):
    claim = make_claim()
    earlier_owner = make_owner(claim.clinic)
    auth.login(moderator)
    response = decide(client, claim, approve="Approve", basis="document_match", note="Letter on headed paper")
    assert response.status_code == 302
    db.session.expire_all()
    claim = db.session.get(ClinicClaim, claim.id)
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by_id == moderator.id
    assert claim.decision_reason == "document_match"
    user = claim.user
    assert user.role == UserRole.CLINIC_OWNER
    assert any(m.clinic_id == claim.clinic_id and m.role == MembershipRole.OWNER for m in user.memberships)
    terms = db.session.scalars(select(OwnerTermsAcceptance).where(OwnerTermsAcceptance.user_id == user.id)).one()
    assert terms.terms_version == claim.terms_version
    entry = db.session.scalars(select(ModerationLog).where(ModerationLog.action == "claim_approved")).one()
    assert (entry.actor_id, entry.target_id, entry.clinic_id, entry.reason) == (
        moderator.id, claim.id, claim.clinic_id, "document_match")
    body = mailbox.body(mailbox.last_to(user.email))
    assert "was approved (The document shows it)" in body and "Letter on headed paper" in body
    assert "now also manages" in mailbox.body(mailbox.last_to(earlier_owner.email))
    assert db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
    assert claim_queue.pending_count(moderator) == 0


def test_refusing_tells_the_claimant_why(client, auth, moderator, make_claim, mailbox):
    claim = make_claim()
    claimant = claim.user
    auth.login(moderator)
    assert decide(client, claim, reject="Refuse", reason="no_authority").status_code == 302
    db.session.expire_all()
    assert db.session.get(ClinicClaim, claim.id).status == ClaimStatus.REJECTED
    assert not claimant.belongs_to(claim.clinic_id)
    assert "refused: Nothing shows the person acts for this clinic" in mailbox.body(mailbox.last_to(claimant.email))
    client.post("/logout")
    auth.login(claimant)
    page = text_of(client.get("/portal/claims"))
    assert "Rejected: Nothing shows the person acts for this clinic" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"approve": "Approve"}, "Choose the grounds for approving"),
        ({"reject": "Refuse"}, "Choose the reason for refusing"),
        ({"reject": "Refuse", "reason": "because"}, "Not a valid choice"),
        ({}, "Choose either Approve or Refuse"),
    ],
)
def test_a_decision_needs_a_reason_from_the_list(client, auth, moderator, make_claim, data, message):
    claim = make_claim()
    auth.login(moderator)
    response = decide(client, claim, **data)
    assert response.status_code == 422
    assert message in text_of(response)


def test_a_stale_decision_gets_409(client, auth, moderator, make_claim):
    claim = make_claim()
    seen = claim.version
    claim.role_at_clinic = "Medical director"
    db.session.commit()
    auth.login(moderator)
    response = client.post(f"/moderation/claims/{claim.id}/decision",
                           data={"version": seen, "approve": "Approve", "basis": "document_match"})  # fmt: skip
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(ClinicClaim, claim.id).status == ClaimStatus.PENDING
    assert db.session.scalars(select(ModerationLog).where(ModerationLog.action == "claim_approved")).all() == []


def test_a_second_decision_gets_409(client, auth, moderator, make_claim):
    claim = make_claim()
    version = claim.version
    auth.login(moderator)
    decide(client, claim, approve="Approve", basis="document_match")
    again = client.post(f"/moderation/claims/{claim.id}/decision",
                        data={"version": version + 1, "reject": "Refuse", "reason": "no_authority"})  # fmt: skip
    assert again.status_code == 409


def test_a_moderator_of_the_clinic_neither_sees_nor_decides(client, auth, moderator, make_claim):
    claim = make_claim()
    db.session.add(ClinicMembership(user=moderator, clinic_id=claim.clinic_id, role=MembershipRole.STAFF))
    db.session.commit()
    auth.login(moderator)
    assert f'id="claim-{claim.id}"' not in client.get("/moderation/claims/").get_data(as_text=True)
    assert claim_queue.pending_count(moderator) == 0
    assert decide(client, claim, approve="Approve", basis="document_match").status_code == 403
    assert client.get(f"/moderation/claims/{claim.id}").status_code == 403
    assert client.get(f"/moderation/claims/{claim.id}/document").status_code == 403


def test_a_moderator_cannot_decide_their_own_claim(client, auth, moderator, make_claim):
    claim = make_claim(user=moderator)
    auth.login(moderator)
    assert claim_queue.pending_count(moderator) == 0
    response = decide(client, claim, approve="Approve", basis="document_match")
    assert response.status_code == 403
    assert "You made this claim" in text_of(response)


def test_the_document_is_an_attachment_for_moderators_only(client, auth, moderator, make_claim, create_user):
    claim = make_claim()
    auth.login(moderator)
    response = client.get(f"/moderation/claims/{claim.id}/document")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == PDF
    client.post("/logout")
    auth.login(claim.user)
    assert client.get(f"/moderation/claims/{claim.id}/document").status_code == 403
    client.post("/logout")
    assert client.get(f"/moderation/claims/{claim.id}/document").status_code in (302, 401)
