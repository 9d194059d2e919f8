"""Object-level access to the staff pages: only the owners of that clinic reach its staff, credentials and files."""

from __future__ import annotations

from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import ClinicMembership
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialStatus
from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from tests.credentials.helpers import PDF, VALID, staff_url

# (method, path under the clinic's staff pages, form data)
ROUTES = [
    ("GET", "", None),
    ("GET", "new", None),
    ("POST", "new", {"full_name": "Intruder", "role": "other"}),
    ("GET", "{staff}", None),
    ("POST", "{staff}", {"full_name": "Renamed", "role": "other"}),
    ("POST", "{staff}/delete", {}),
    ("GET", "{staff}/credentials/new", None),
    ("GET", "{staff}/credentials/new?kind=npi", None),
    ("POST", "{staff}/credentials/new?kind=npi", VALID["npi"]),
    ("GET", "{staff}/credentials/{credential}", None),
    ("POST", "{staff}/credentials/{credential}", {"identifier": "9999999999"}),
    ("POST", "{staff}/credentials/{credential}/delete", {}),
    ("GET", "{staff}/credentials/{credential}/document", None),
]


@pytest.fixture
def target(app, create_clinic, add_staff, make_owner):
    """Clinic A with a staff member whose NPI has a document attached."""
    clinic = create_clinic()
    member = add_staff(clinic)
    owner = make_owner(clinic)
    credential = member.credentials[0]
    with app.test_request_context():
        credential.document = save_upload(FileStorage(BytesIO(PDF), "npi.pdf"), clinic.id, owner,
                                          DocumentPurpose.CREDENTIAL)
    db.session.commit()
    return clinic, member, credential


def request(client, method, clinic, path, member, credential, data):
    url = staff_url(clinic, path.format(staff=member.id, credential=credential.id)).rstrip("/")
    return client.get(url) if method == "GET" else client.post(url, data=data)


def unchanged(member, credential, name):
    db.session.expire_all()
    member_now = db.session.get(StaffMember, member.id)
    credential_now = db.session.get(Credential, credential.id)
    return (member_now is not None and member_now.full_name == name and credential_now is not None
            and credential_now.identifier and len(member_now.credentials) == 1)


@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_the_owner_of_another_clinic_gets_403_and_changes_nothing(client, auth, target, create_clinic, make_owner,
                                                                   method, path, data):
    clinic, member, credential = target
    name = member.full_name
    auth.login(make_owner(create_clinic()))
    response = request(client, method, clinic, path, member, credential, data)
    assert response.status_code == 403
    assert unchanged(member, credential, name)


@pytest.mark.parametrize(("method", "path", "data"), ROUTES)
def test_ids_of_clinic_a_under_clinic_b_are_404(client, auth, target, create_clinic, add_staff, make_owner,
                                                method, path, data):
    clinic, member, credential = target
    name = member.full_name
    own = create_clinic()
    add_staff(own)
    auth.login(make_owner(own))
    response = request(client, method, own, path, member, credential, data)
    if "{staff}" in path:
        assert response.status_code == 404
    assert unchanged(member, credential, name)


@pytest.mark.parametrize("role", [None, UserRole.PATIENT, UserRole.MODERATOR, UserRole.ADMIN])
def test_others_are_sent_to_log_in_or_refused(client, auth, create_user, target, role):
    clinic, member, credential = target
    name = member.full_name
    if role is not None:
        user = create_user(role=role)
        # Even a moderator who works at the clinic does not manage it through the portal.
        db.session.add(ClinicMembership(user=user, clinic=clinic, role=MembershipRole.STAFF))
        db.session.commit()
        auth.login(user)
    for method, path, data in ROUTES:
        response = request(client, method, clinic, path, member, credential, data)
        if role is None:
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login"), path
        else:
            assert response.status_code == 403, path
    assert unchanged(member, credential, name)


def test_a_staff_member_of_the_clinic_who_is_not_an_owner_is_refused(client, auth, create_user, target):
    clinic, member, credential = target
    user = create_user(role=UserRole.CLINIC_OWNER)
    db.session.add(ClinicMembership(user=user, clinic=clinic, role=MembershipRole.STAFF))
    db.session.commit()
    auth.login(user)
    assert client.get(staff_url(clinic)).status_code == 403
    assert client.get(staff_url(clinic, member.id, "credentials", credential.id, "document")).status_code == 403


def test_the_owner_reaches_every_route(client, auth, target, make_owner):
    clinic, member, credential = target
    auth.login(make_owner(clinic))
    for method, path, data in ROUTES:
        if path.endswith("delete"):
            continue
        response = request(client, method, clinic, path, member, credential, data)
        assert response.status_code in (200, 302, 422), (method, path, response.status_code)
    db.session.expire_all()
    assert db.session.get(Credential, credential.id).status == CredentialStatus.SELF_REPORTED
