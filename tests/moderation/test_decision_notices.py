"""Every queue tells owners of a decision the same way: what was decided and why, a SITE_URL link to the item, and
only active owners; a mail server that is down leaves the decision standing and the moderator is told whom it missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import Notification
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import create_listing, save_owner_edit
from provider_dir.portal.models import ListingChange
from provider_dir.portal.vocab import ChangeKind
from tests.credentials.helpers import NEXT_YEAR
from tests.mailbox import mail_server_down
from tests.reviews.helpers import text_of
from tests.scoring.evidence_helpers import pending_answer

SITE = "https://clinics.example.org"
FORGED_HOST = "attacker.example"
PDF = b"%PDF-1.4\n%%EOF\n"


def _credential(create_clinic, make_owner, add_staff, create_user):
    clinic = create_clinic(name="Harbor Ketamine")
    owner = make_owner(clinic)
    credential = Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="NY",
                            expires_on=NEXT_YEAR, status=CredentialStatus.SELF_REPORTED,
                            submitted_at=datetime.now(UTC) - timedelta(minutes=5))  # fmt: skip
    add_staff(clinic, role=StaffRole.PSYCHIATRIST, full_name="Dr Ada Park", credentials=[credential])
    db.session.flush()
    url = f"/moderation/credentials/{credential.id}/decision"
    data = {"version": credential.version, "refuse": "Refuse", "reason": "no_match"}
    return clinic, owner, url, data, f"/portal/clinics/{clinic.slug}/staff", \
        "could not verify the State licence of Dr Ada Park"


def _evidence(create_clinic, make_owner, add_staff, create_user):
    clinic = create_clinic(name="Harbor Ketamine Care")
    owner = make_owner(clinic)
    answer = pending_answer(clinic, "C07", owner, text="We watch the patient.")
    url = f"/moderation/evidence/{answer.id}/decision"
    data = {"version": answer.version, "refuse": "Refuse", "reason": "not_shown"}
    return clinic, owner, url, data, f"/portal/clinics/{clinic.slug}/checklist/C07", \
        "refused your evidence for checklist item C07"


def _claim(create_clinic, make_owner, add_staff, create_user):
    clinic = create_clinic(name="Calm Mind", website="https://calm.example")
    claimant = create_user(email_confirmed_at=utcnow())
    document = save_upload(FileStorage(BytesIO(PDF), "proof.pdf"), clinic.id, claimant, DocumentPurpose.CLAIM)
    claim = claims.submit_document_claim(claimant, clinic, "Practice manager", document, utcnow())
    db.session.flush()
    url = f"/moderation/claims/{claim.id}/decision"
    data = {"version": claim.version, "reject": "Refuse", "reason": "no_authority"}
    return clinic, claimant, url, data, "/portal/claims", "Your claim on Calm Mind was refused"


def _new_listing(create_clinic, make_owner, add_staff, create_user):
    owner = create_user(email_confirmed_at=utcnow())
    clinic = create_listing(owner, "Quiet Pines", {"street": "1600 Blake Street", "city": "Denver", "state": "CO",
                                                   "zip_code": "80202", "description": "Monitored infusions.",
                                                   "website": "https://pines.example"})  # fmt: skip
    change = db.session.scalars(select(ListingChange).where(ListingChange.clinic_id == clinic.id)).one()
    url = f"/moderation/listings/{change.id}/decision"
    data = {"version": change.version, "approve": "Approve", "basis": "meets_policy"}
    return clinic, owner, url, data, f"/portal/clinics/{clinic.slug}", "Your new listing of Quiet Pines is published"


def _held_edit(create_clinic, make_owner, add_staff, create_user):
    clinic = create_clinic(name="Juniper Clinic", description="Monitored infusions.")
    owner = make_owner(clinic)
    change = save_owner_edit(clinic, owner, {"description": "Guaranteed relief, a miracle."}).held
    db.session.flush()
    assert change is not None and change.kind == ChangeKind.EDIT
    url = f"/moderation/edits/{change.id}/decision"
    data = {"version": change.version, "reject": "Refuse", "reason": "prohibited_claim"}
    return clinic, owner, url, data, f"/portal/clinics/{clinic.slug}", \
        "Your held edit of the listing of Juniper Clinic was refused"


QUEUES = {"credential": _credential, "evidence": _evidence, "claim": _claim, "new listing": _new_listing,
          "held edit": _held_edit}


@pytest.fixture(params=list(QUEUES))
def decision(request, create_clinic, make_owner, add_staff, create_user):
    """One pending item of each queue: (clinic, the account told, url, form data, the link's path, the text)."""
    return QUEUES[request.param](create_clinic, make_owner, add_staff, create_user)


@pytest.fixture
def moderator_client(app, client, auth, create_user):
    """A signed-in moderator whose every request names a forged Host."""
    client.environ_base["HTTP_HOST"] = FORGED_HOST
    auth.login(create_user(role=UserRole.MODERATOR, display_name="Moderator Rivera"))
    return client


def decided(response) -> bool:
    """Return True when the decision went through (a redirect back to the queue, not to the log-in page)."""
    return response.status_code == 302 and "/moderation/" in response.headers["Location"]


def test_every_queue_mails_the_decision_with_a_site_url_link_and_notifies_in_the_app(
        app, moderator_client, decision, mailbox, monkeypatch):
    clinic, told, url, data, path, says = decision
    db.session.commit()
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    response = moderator_client.post(url, data=data)
    assert decided(response), text_of(response)
    message = mailbox.last_to(told.email)
    body = mailbox.body(message)
    assert says in body
    assert f"{SITE}{path}" in mailbox.links(message)  # never the Host header the request named
    assert FORGED_HOST not in body
    assert f"You receive this because your account owns or asked to manage {clinic.name}." in body
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == told.id)).all()
    assert says in note.message and note.link == path


def test_a_deactivated_owner_is_not_mailed(app, moderator_client, decision, make_owner, mailbox):
    clinic, told, url, data, path, says = decision
    gone = make_owner(clinic)
    gone.active = False
    db.session.commit()
    assert decided(moderator_client.post(url, data=data))
    assert says in mailbox.body(mailbox.last_to(told.email))
    assert mailbox.to(gone.email) == []


def test_a_mail_server_that_is_down_leaves_the_decision_and_the_email_follows(
        app, moderator_client, decision, mailbox, monkeypatch):
    clinic, told, url, data, path, says = decision
    db.session.commit()
    with mail_server_down(app, monkeypatch):
        response = moderator_client.post(url, data=data)
        assert decided(response)
        assert mailbox.to(told.email) == []  # refused by the server: it waits in the outbox
    assert db.session.scalars(select(Notification).where(Notification.user_id == told.id)).all()
    [message] = mailbox.to(told.email)  # the server is back: it arrives, once
    assert says in mailbox.body(message)


def test_a_decision_that_is_stale_mails_nobody(app, moderator_client, decision, mailbox):
    clinic, told, url, data, path, says = decision
    db.session.commit()
    response = moderator_client.post(url, data={**data, "version": int(data["version"]) + 1})
    assert response.status_code == 409
    assert mailbox.to(told.email) == []
    assert db.session.scalars(select(Notification).where(Notification.user_id == told.id)).all() == []
