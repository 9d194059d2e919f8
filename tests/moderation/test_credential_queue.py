"""The credential queue: oldest first, verify by registry or document, refuse with a reason, version-checked, logged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.models import Notification
from provider_dir.moderation.vocab import RefusalReason
from tests.credentials.helpers import NEXT_YEAR, PDF, fresh, log_rows
from tests.reviews.helpers import text_of


@pytest.fixture
def moderator(create_user):
    return create_user(role=UserRole.MODERATOR, display_name="Moderator Rivera")


@pytest.fixture
def clinic(create_clinic):
    return create_clinic(name="Harbor Ketamine")


@pytest.fixture
def owner(clinic, make_owner):
    return make_owner(clinic)


def submit(clinic, add_staff, kind=CredentialKind.STATE_LICENSE, minutes_ago=10, **fields) -> Credential:
    """Add a staff member with one credential an owner sent minutes_ago."""
    fields.setdefault("identifier", "MD123456")
    fields.setdefault("issuer", "NY")
    fields.setdefault("expires_on", NEXT_YEAR)
    fields.setdefault("status", CredentialStatus.SELF_REPORTED)
    credential = Credential(kind=kind, submitted_at=datetime.now(UTC) - timedelta(minutes=minutes_ago), **fields)
    add_staff(clinic, role=StaffRole.PSYCHIATRIST, full_name=f"Person {kind.value} {minutes_ago}",
              credentials=[credential])
    return credential


def verify_by_registry(client, credential, **overrides):
    data = {"version": credential.version, "method": "registry", "reference": "NYSED licence page, 2026-12-01",
            "verify": "Verify"}
    data.update(overrides)
    return client.post(f"/moderation/credentials/{credential.id}/decision", data=data)


def test_the_queue_lists_pending_credentials_oldest_first(client, auth, moderator, clinic, add_staff, owner):
    newer = submit(clinic, add_staff, CredentialKind.ACLS, minutes_ago=5, issuer="AHA", identifier="")
    older = submit(clinic, add_staff, CredentialKind.DEA, minutes_ago=50, identifier="AB1234563", issuer="DEA")
    submit(clinic, add_staff, CredentialKind.NPI, minutes_ago=1, status=CredentialStatus.VERIFIED)  # decided
    add_staff(clinic)  # a seeded credential with no submission date is not queued
    db.session.commit()
    assert [c.id for c in db.session.scalars(credential_queue.queue(moderator))] == [older.id, newer.id]
    assert credential_queue.pending_count(moderator) == 2
    auth.login(moderator)
    page = text_of(client.get("/moderation/credentials/"))
    assert "2 credentials waiting" in page
    assert page.index("DEA registration") < page.index("ACLS")
    assert "AB1234563" in page  # moderators see a DEA number whole
    assert "Harbor Ketamine" in page and "Person dea 50" in page


def test_verifying_by_registry_records_who_when_how_and_shows_publicly(client, auth, moderator, clinic, add_staff,
                                                                        owner, mailbox):
    credential = submit(clinic, add_staff)
    db.session.commit()
    auth.login(moderator)
    response = verify_by_registry(client, credential)
    assert response.status_code == 302
    credential = fresh(credential.id)
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.verified_by_id == moderator.id and credential.verified_at is not None
    assert credential.verification_method == VerificationMethod.REGISTRY
    assert credential.verification_reference == "NYSED licence page, 2026-12-01"
    assert credential.decision_reason == "registry_match"
    clinic_now = db.session.get(Clinic, clinic.id)
    assert clinic_now.last_verified_on == date.today()
    assert clinic_now.has_verified_credentials is True
    [row] = log_rows("credential", credential.id)
    assert (row.action, row.actor_id, row.reason, row.clinic_id) == ("credential_verified", moderator.id,
                                                                     "registry_match", clinic.id)
    assert row.changes["status"] == ["self_reported", "verified"]
    assert credential_queue.pending_count(moderator) == 0
    # The owners hear of it in the app and by email.
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert "verified the State licence" in note.message
    assert "Matches the public registry" in mailbox.body(mailbox.last_to(owner.email))
    # The public page shows who verified it and when.
    page = text_of(client.get(f"/clinics/{clinic.slug}"))
    assert "Verified by Moderator Rivera," in page


def test_a_registry_verification_needs_the_registry_reference(client, auth, moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff)
    db.session.commit()
    auth.login(moderator)
    response = verify_by_registry(client, credential, reference="  ")
    assert response.status_code == 422
    assert "Give the registry's reference" in text_of(response)
    assert fresh(credential.id).status == CredentialStatus.SELF_REPORTED
    assert verify_by_registry(client, credential, method="").status_code == 422


def test_verifying_by_the_attached_document(client, auth, app, moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff, CredentialKind.ACLS, issuer="AHA", identifier="")
    db.session.commit()
    auth.login(moderator)
    no_document = verify_by_registry(client, credential, method="document", reference="")
    assert no_document.status_code == 422 and "No document is attached" in text_of(no_document)
    with app.test_request_context():
        credential = fresh(credential.id)
        credential.document = save_upload(FileStorage(BytesIO(PDF), "acls.pdf"), clinic.id, owner,
                                          DocumentPurpose.CREDENTIAL)
        db.session.commit()
    credential = fresh(credential.id)
    download = client.get(f"/moderation/credentials/{credential.id}/document")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    response = verify_by_registry(client, credential, method="document", reference="")
    assert response.status_code == 302
    credential = fresh(credential.id)
    assert credential.verification_method == VerificationMethod.DOCUMENT
    assert credential.decision_reason == "document_match"
    assert credential.verification_reference == f"document {credential.document_id}"


def test_refusing_needs_a_reason_from_the_list_and_tells_the_owner(client, auth, moderator, clinic, add_staff, owner,
                                                                    mailbox):
    credential = submit(clinic, add_staff)
    db.session.commit()
    auth.login(moderator)
    url = f"/moderation/credentials/{credential.id}/decision"
    missing = client.post(url, data={"version": credential.version, "refuse": "Refuse"})
    assert missing.status_code == 422 and "Choose the reason for refusing" in text_of(missing)
    off_list = client.post(url, data={"version": credential.version, "refuse": "Refuse", "reason": "rude"})
    assert off_list.status_code == 422
    not_for_credentials = client.post(url, data={"version": credential.version, "refuse": "Refuse",
                                                 "reason": RefusalReason.PROHIBITED_CLAIM.value})
    assert not_for_credentials.status_code == 422
    response = client.post(url, data={"version": credential.version, "refuse": "Refuse", "reason": "no_match",
                                      "note": "Board lists a different number."})
    assert response.status_code == 302
    credential = fresh(credential.id)
    assert credential.status == CredentialStatus.REFUSED and credential.decision_reason == "no_match"
    assert credential.verified_by_id is None
    [row] = log_rows("credential", credential.id)
    assert (row.action, row.reason, row.note) == ("credential_refused", "no_match", "Board lists a different number.")
    body = mailbox.body(mailbox.last_to(owner.email))
    assert "The registry or document does not match what was stated" in body
    assert "Board lists a different number" not in body  # the note is for the log only
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert 'class="badge badge-expired">Refused</span>' in page
    assert db.session.get(Clinic, clinic.id).last_verified_on is None  # only a verification moves "last verified"


def test_a_stale_decision_gets_409_and_changes_nothing(client, auth, moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff)
    db.session.commit()
    seen = credential.version
    # The owner edits it after the moderator opened it.
    credential.identifier = "MD999999"
    db.session.commit()
    auth.login(moderator)
    response = verify_by_registry(client, credential, version=seen)
    assert response.status_code == 409
    assert "changed after you opened it" in text_of(response)
    assert fresh(credential.id).status == CredentialStatus.SELF_REPORTED
    assert log_rows("credential", credential.id) == []


def test_a_second_decision_on_the_same_version_gets_409(client, auth, moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff)
    db.session.commit()
    seen = credential.version
    auth.login(moderator)
    assert verify_by_registry(client, credential, version=seen).status_code == 302
    again = client.post(f"/moderation/credentials/{credential.id}/decision",
                        data={"version": seen, "refuse": "Refuse", "reason": "no_match"})
    assert again.status_code == 409
    assert fresh(credential.id).status == CredentialStatus.VERIFIED


def test_a_concurrent_change_at_flush_is_caught(moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff)
    db.session.commit()
    seen = credential.version
    db.session.execute(
        update(Credential).where(Credential.id == credential.id).values(version=seen + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(StaleDataError):
        credential_queue.refuse(credential, moderator, seen, RefusalReason.NO_MATCH)
        db.session.flush()
    db.session.rollback()
    assert log_rows("credential", credential.id) == []


def test_a_moderator_of_the_clinic_neither_sees_nor_decides_it(client, auth, moderator, clinic, add_staff, owner):
    credential = submit(clinic, add_staff)
    db.session.add(ClinicMembership(user=moderator, clinic=clinic, role=MembershipRole.STAFF))
    db.session.commit()
    assert credential_queue.pending_count(moderator) == 0
    assert credential_queue.left_for_others(moderator) == 1
    auth.login(moderator)
    page = text_of(client.get("/moderation/credentials/"))
    assert "0 credentials waiting" in page and "1 more concern clinics you belong to" in page
    assert client.get(f"/moderation/credentials/{credential.id}").status_code == 403
    assert client.get(f"/moderation/credentials/{credential.id}/document").status_code == 403
    assert verify_by_registry(client, credential).status_code == 403
    assert fresh(credential.id).status == CredentialStatus.SELF_REPORTED
    assert log_rows("credential", credential.id) == []


def test_an_expired_credential_cannot_be_verified_but_can_be_refused_as_expired(client, auth, moderator, clinic,
                                                                                  add_staff, owner):
    credential = submit(clinic, add_staff, expires_on=date.today() - timedelta(days=1))
    db.session.commit()
    auth.login(moderator)
    response = verify_by_registry(client, credential)
    assert response.status_code == 422 and "has expired" in text_of(response)
    response = client.post(f"/moderation/credentials/{credential.id}/decision",
                           data={"version": credential.version, "refuse": "Refuse", "reason": "expired"})
    assert response.status_code == 302
    assert fresh(credential.id).status == CredentialStatus.REFUSED


@pytest.mark.parametrize("role", [None, UserRole.PATIENT, UserRole.CLINIC_OWNER])
def test_only_moderators_reach_the_queue(client, auth, create_user, clinic, add_staff, role):
    credential = submit(clinic, add_staff)
    db.session.commit()
    urls = ["/moderation/credentials/", f"/moderation/credentials/{credential.id}",
            f"/moderation/credentials/{credential.id}/document"]
    if role is not None:
        user = create_user(role=role)
        if role == UserRole.CLINIC_OWNER:
            db.session.add(ClinicMembership(user=user, clinic=clinic, role=MembershipRole.OWNER))
        db.session.commit()
        auth.login(user)
    for url in urls:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and response.headers["Location"].startswith("/login")
        else:
            assert response.status_code == 403
    decision = verify_by_registry(client, credential)
    assert decision.status_code == (302 if role is None else 403)
    assert fresh(credential.id).status == CredentialStatus.SELF_REPORTED



def test_a_mail_failure_does_not_undo_the_decision(client, auth, app, moderator, clinic, add_staff, owner,
                                                    mailbox, monkeypatch):
    from tests.mailbox import mail_server_down

    credential = submit(clinic, add_staff)
    db.session.commit()
    auth.login(moderator)
    with mail_server_down(app, monkeypatch):
        response = verify_by_registry(client, credential)
        assert response.status_code == 302
        assert mailbox.to(owner.email) == []  # refused by the server: it waits in the outbox
    page = text_of(client.get(response.headers["Location"]))
    assert "Decision recorded" in page and "could not be sent" not in page
    assert fresh(credential.id).status == CredentialStatus.VERIFIED
    assert len(mailbox.to(owner.email)) == 1  # the server is back: it arrives, once
    assert db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
