"""Owners add and change credentials of every kind with that kind's checks; a change sends it back to the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.documents.models import Document
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from tests.credentials.helpers import NEXT_YEAR, PDF, VALID, fresh, log_rows, pdf_upload, staff_url
from tests.reviews.helpers import input_value, text_of


@pytest.fixture
def clinic(create_clinic):
    return create_clinic()


@pytest.fixture
def owner(auth, clinic, make_owner):
    user = make_owner(clinic)
    auth.login(user)
    return user


@pytest.fixture
def member(clinic, add_staff):
    member = add_staff(clinic, role=StaffRole.PSYCHIATRIST, credentials=[])
    db.session.commit()
    return member


def new_url(clinic, member, kind) -> str:
    return staff_url(clinic, member.id, "credentials", f"new?kind={kind}")


def credentials_of(member) -> list[Credential]:
    db.session.expire_all()
    return list(db.session.scalars(select(Credential).where(Credential.staff_member_id == member.id)))


@pytest.mark.parametrize("kind", list(VALID))
def test_each_kind_is_added_self_reported_and_waiting(client, clinic, member, owner, kind):
    before = datetime.now(UTC)
    response = client.post(new_url(clinic, member, kind), data=VALID[kind])
    assert response.status_code == 302, text_of(response)
    [credential] = credentials_of(member)
    assert credential.kind == CredentialKind(kind)
    assert credential.status == CredentialStatus.SELF_REPORTED
    assert credential.submitted_at.replace(tzinfo=credential.submitted_at.tzinfo or UTC) >= before - timedelta(
        seconds=1)
    [row] = log_rows("credential", credential.id)
    assert (row.action, row.actor_id, row.clinic_id) == ("credential_added", owner.id, clinic.id)
    assert row.changes["kind"] == [None, kind]
    assert db.session.get(Clinic, clinic.id).last_edited_at is not None


def test_what_each_kind_stores(client, clinic, member, owner):
    for kind in VALID:
        client.post(new_url(clinic, member, kind), data=VALID[kind])
    stored = {c.kind.value: (c.identifier, c.issuer, c.expires_on) for c in credentials_of(member)}
    assert stored["npi"] == ("1234567893", "NPPES", None)
    assert stored["state_license"] == ("MD123456", "NY", NEXT_YEAR)
    assert stored["board_certification"] == ("Anesthesiology", "American Board of Anesthesiology", None)
    assert stored["dea"] == ("AB1234563", "DEA", NEXT_YEAR)
    assert stored["bls"] == ("", "American Red Cross", NEXT_YEAR)
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert page.count('class="credential-status"><span class="badge badge-self">Self-reported') == 6
    assert "AB1234563" not in page  # the public sees a DEA number masked
    assert "AB1234563" in text_of(client.get(staff_url(clinic)))  # the owner sees it whole


def test_an_npi_with_a_wrong_check_digit_is_refused_and_kept(client, clinic, member, owner):
    response = client.post(new_url(clinic, member, "npi"), data={"identifier": "1234567890"})
    assert response.status_code == 422
    assert "does not match its check digit" in text_of(response)
    assert input_value(response.get_data(as_text=True), "identifier") == "1234567890"
    assert credentials_of(member) == []


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "message"),
    [
        ("state_license", {"issuer": ""}, "identifier", "Choose the state that issued the licence."),
        ("state_license", {"issuer": "XX"}, "identifier", "Not a valid choice"),
        ("state_license", {"expires_on": ""}, "identifier", "Enter the licence's expiry date."),
        ("state_license", {"expires_on": "30/06/2027"}, "identifier", "is not a date we can read"),
        ("state_license", {"expires_on": "2020-01-01"}, "identifier", "That date has passed"),
        ("state_license", {"identifier": ""}, "expires_on", "Enter the licence number."),
        ("dea", {"identifier": "AB1234564"}, "identifier", "does not match its check digit"),
        ("dea", {"identifier": "A12345678"}, "identifier", "two letters followed by seven digits"),
        ("dea", {"expires_on": ""}, "identifier", "Enter the registration's expiry date."),
        ("acls", {"expires_on": ""}, "issuer", "Enter the card's expiry date."),
        ("bls", {"expires_on": "June 2027"}, "issuer", "is not a date we can read"),
        ("board_certification", {"identifier": ""}, "issuer", "Enter the specialty"),
        ("board_certification", {"issuer": ""}, "identifier", "Enter the board"),
        ("npi", {"identifier": "12345"}, "identifier", "exactly 10 digits"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, clinic, member, owner, kind, overrides, field,
                                                           message):
    data = {**VALID[kind], **overrides}
    response = client.post(new_url(clinic, member, kind), data=data)
    assert response.status_code == 422
    assert message in text_of(response)
    html = response.get_data(as_text=True)
    if data.get(field) and field != "issuer" or kind != "state_license" and data.get(field):
        assert input_value(html, field) == data[field]
    if "expires_on" in overrides and overrides["expires_on"]:
        assert input_value(html, "expires_on") == overrides["expires_on"]
    assert credentials_of(member) == []


def test_the_licence_state_choice_is_kept_after_an_error(client, clinic, member, owner):
    response = client.post(new_url(clinic, member, "state_license"), data={**VALID["state_license"],
                                                                           "expires_on": "soon"})
    assert response.status_code == 422
    assert '<option selected value="NY">' in response.get_data(as_text=True)


def test_an_unknown_kind_is_404_and_no_kind_shows_the_choices(client, clinic, member, owner):
    assert client.get(staff_url(clinic, member.id, "credentials", "new?kind=passport")).status_code == 404
    page = text_of(client.get(staff_url(clinic, member.id, "credentials", "new")))
    assert "DEA registration" in page and "State licence" in page


def test_changing_a_verified_credential_makes_it_self_reported_again(client, clinic, member, owner, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    credential = Credential(staff_member=member, kind=CredentialKind.STATE_LICENSE, identifier="MD1", issuer="NY",
                            expires_on=NEXT_YEAR, status=CredentialStatus.VERIFIED, verified_by=moderator,
                            verified_at=datetime.now(UTC), verification_method=VerificationMethod.REGISTRY,
                            verification_reference="NYSED lookup 2026-11-01", decision_reason="registry_match")
    db.session.add(credential)
    clinic.has_verified_credentials = True
    db.session.commit()
    form = client.get(staff_url(clinic, member.id, "credentials", credential.id)).get_data(as_text=True)
    assert input_value(form, "identifier") == "MD1"
    assert "shows as self-reported again" in form
    response = client.post(staff_url(clinic, member.id, "credentials", credential.id),
                           data={"issuer": "NY", "identifier": "MD2", "expires_on": NEXT_YEAR.isoformat()})
    assert response.status_code == 302
    credential = fresh(credential.id)
    assert credential.status == CredentialStatus.SELF_REPORTED
    assert (credential.verified_by_id, credential.verified_at, credential.verification_method) == (None, None, None)
    assert credential.verification_reference == "" and credential.submitted_at is not None
    [row] = log_rows("credential", credential.id)
    assert row.action == "credential_edited"
    assert row.changes == {"identifier": ["MD1", "MD2"], "status": ["verified", "self_reported"]}
    assert db.session.get(Clinic, clinic.id).has_verified_credentials is False


def test_saving_an_unchanged_credential_keeps_it_verified(client, clinic, member, owner, create_user):
    moderator = create_user(role=UserRole.MODERATOR)
    credential = Credential(staff_member=member, kind=CredentialKind.DEA, identifier="AB1234563", issuer="DEA",
                            expires_on=NEXT_YEAR, status=CredentialStatus.VERIFIED, verified_by=moderator,
                            verified_at=datetime.now(UTC))
    db.session.add(credential)
    db.session.commit()
    client.post(staff_url(clinic, member.id, "credentials", credential.id),
                data={"identifier": "ab-1234563", "expires_on": NEXT_YEAR.isoformat()})
    assert fresh(credential.id).status == CredentialStatus.VERIFIED
    assert log_rows("credential", credential.id) == []


def test_fields_an_owner_may_not_set_are_ignored(client, clinic, member, owner, create_user, create_clinic, add_staff):
    moderator = create_user(role=UserRole.MODERATOR)
    other_member = add_staff(create_clinic())
    db.session.commit()
    forbidden = {"status": "verified", "verified_by_id": str(moderator.id), "verified_by": str(moderator.id),
                 "verified_at": "2026-01-01T00:00:00", "verification_method": "registry",
                 "verification_reference": "made up", "decision_reason": "registry_match",
                 "staff_member_id": str(other_member.id), "kind": "dea", "submitted_at": "2000-01-01", "version": "9"}
    response = client.post(new_url(clinic, member, "state_license"), data={**VALID["state_license"], **forbidden})
    assert response.status_code == 302
    [credential] = credentials_of(member)
    assert credential.kind == CredentialKind.STATE_LICENSE
    assert credential.status == CredentialStatus.SELF_REPORTED
    assert (credential.verified_by_id, credential.verified_at, credential.verification_method) == (None, None, None)
    assert credential.verification_reference == "" and credential.decision_reason is None
    assert credential.submitted_at.date() >= date.today() - timedelta(days=1)
    assert credentials_of(other_member) == other_member.credentials
    client.post(staff_url(clinic, member.id, "credentials", credential.id),
                data={**VALID["state_license"], "identifier": "MD999", **forbidden})
    credential = fresh(credential.id)
    assert credential.status == CredentialStatus.SELF_REPORTED and credential.verified_by_id is None
    assert credential.staff_member_id == member.id and credential.kind == CredentialKind.STATE_LICENSE


def test_a_credential_of_another_staff_member_is_not_reachable_through_this_one(client, clinic, member, owner,
                                                                                 add_staff):
    colleague = add_staff(clinic)
    db.session.commit()
    credential = colleague.credentials[0]
    assert client.get(staff_url(clinic, member.id, "credentials", credential.id)).status_code == 404
    assert client.post(staff_url(clinic, member.id, "credentials", credential.id, "delete")).status_code == 404


def test_an_owner_attaches_a_document_and_downloads_it(client, clinic, member, owner):
    response = client.post(new_url(clinic, member, "acls"), data={**VALID["acls"], "document": pdf_upload()},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    [credential] = credentials_of(member)
    assert credential.document is not None and credential.document.clinic_id == clinic.id
    assert credential.document.purpose.value == "credential"
    download = client.get(staff_url(clinic, member.id, "credentials", credential.id, "document"))
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_attaching_a_document_to_a_refused_credential_sends_it_again(client, clinic, member, owner):
    credential = Credential(staff_member=member, kind=CredentialKind.ACLS, issuer="AHA", expires_on=NEXT_YEAR,
                            status=CredentialStatus.REFUSED, decision_reason="unreadable")
    db.session.add(credential)
    db.session.commit()
    assert "The document cannot be read" in text_of(client.get(staff_url(clinic)))
    client.post(staff_url(clinic, member.id, "credentials", credential.id),
                data={"issuer": "AHA", "identifier": "", "expires_on": NEXT_YEAR.isoformat(),
                      "document": pdf_upload()}, content_type="multipart/form-data")
    credential = fresh(credential.id)
    assert credential.status == CredentialStatus.SELF_REPORTED and credential.document is not None
    assert credential.decision_reason is None
    [row] = log_rows("credential", credential.id)
    assert row.changes == {"document": [None, credential.document_id], "status": ["refused", "self_reported"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "not a PDF, PNG or JPEG"),
        (PDF + b"0" * (6 * 1024 * 1024), "the limit is 5 MB"),
    ],
)
def test_a_bad_document_gets_a_message_and_keeps_the_typed_fields(client, clinic, member, owner, data, message):
    response = client.post(new_url(clinic, member, "dea"),
                           data={**VALID["dea"], "document": pdf_upload("card.pdf", data)},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in text_of(response) and "choose the file again" in text_of(response)
    assert input_value(response.get_data(as_text=True), "identifier") == VALID["dea"]["identifier"]
    assert credentials_of(member) == []
    assert db.session.scalars(select(Document).where(Document.clinic_id == clinic.id)).all() == []


def test_removing_a_credential_is_logged(client, clinic, member, owner):
    client.post(new_url(clinic, member, "npi"), data=VALID["npi"])
    [credential] = credentials_of(member)
    assert client.post(staff_url(clinic, member.id, "credentials", credential.id, "delete")).status_code == 302
    assert credentials_of(member) == []
    rows = log_rows("credential", credential.id)
    assert [r.action for r in rows] == ["credential_added", "credential_removed"]
    assert rows[1].changes["identifier"] == ["1234567893", None]


def test_editing_a_seeded_npi_keeps_its_issuer_and_status_when_nothing_changed(client, clinic, owner, add_staff):
    member = add_staff(clinic)  # its NPI was stored with the issuer "CMS"
    db.session.commit()
    credential = member.credentials[0]
    client.post(staff_url(clinic, member.id, "credentials", credential.id), data={"identifier": credential.identifier})
    assert fresh(credential.id).issuer == "CMS"
    assert log_rows("credential", credential.id) == []


def test_a_moderator_deciding_during_the_owners_save_gets_409_not_a_crash(client, clinic, member, owner):
    client.post(new_url(clinic, member, "npi"), data=VALID["npi"])
    [credential] = credentials_of(member)
    table = Credential.__table__

    def moderator_decides_first(mapper, connection, target):
        connection.execute(table.update().where(table.c.id == target.id).values(status="verified", version=99))

    event.listen(Credential, "before_update", moderator_decides_first)
    try:
        response = client.post(staff_url(clinic, member.id, "credentials", credential.id),
                               data={"identifier": "1987654328"})
    finally:
        event.remove(Credential, "before_update", moderator_decides_first)
    assert response.status_code == 409
    assert "A moderator decided about this credential while you were editing it" in text_of(response)
    assert fresh(credential.id).identifier == VALID["npi"]["identifier"]
