"""The stored score changes at once when a moderator verifies or refuses a credential and when an owner edits it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from tests.credentials.helpers import NEXT_YEAR, VALID_DEA, staff_url


def stored_total(clinic_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Clinic, clinic_id).score_total


def decide(client, credential_id: int, **data):
    db.session.expire_all()
    credential = db.session.get(Credential, credential_id)
    url = f"/moderation/credentials/{credential_id}/decision"
    return client.post(url, data={"version": credential.version, **data})


def test_the_score_follows_each_decision_and_edit(client, auth, create_clinic, add_staff, make_owner, create_user):
    clinic = create_clinic()
    sent = datetime.now(UTC) - timedelta(hours=1)
    licence = Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD1", issuer="NY", expires_on=NEXT_YEAR,
                         submitted_at=sent)
    dea = Credential(kind=CredentialKind.DEA, identifier=VALID_DEA, issuer="DEA", expires_on=NEXT_YEAR,
                     submitted_at=sent)
    member = add_staff(clinic, role=StaffRole.PSYCHIATRIST, credentials=[licence, dea])
    owner = make_owner(clinic)
    moderator = create_user(role=UserRole.MODERATOR)
    db.session.commit()
    ids = (licence.id, dea.id)
    self_reported = stored_total(clinic.id)
    assert self_reported > 0

    auth.login(moderator)
    registry = {"verify": "Verify", "method": "registry", "reference": "NPPES and NYSED, 2026-12-03"}
    for credential_id in ids:
        assert decide(client, credential_id, **registry).status_code == 302
    verified = stored_total(clinic.id)
    assert verified > self_reported

    # The owner changes the licence number: it is self-reported again, and the score drops back at once.
    auth.logout()
    auth.login(owner)
    response = client.post(staff_url(clinic, member.id, "credentials", ids[0]),
                           data={"issuer": "NY", "identifier": "MD2", "expires_on": NEXT_YEAR.isoformat()})
    assert response.status_code == 302
    assert stored_total(clinic.id) == self_reported

    # A refused licence counts nothing: the item falls to unknown.
    auth.logout()
    auth.login(moderator)
    assert decide(client, ids[0], refuse="Refuse", reason="no_match").status_code == 302
    assert db.session.get(Credential, ids[0]).status == CredentialStatus.REFUSED
    assert stored_total(clinic.id) < self_reported


def test_removing_a_credential_or_a_staff_member_lowers_the_score_at_once(client, auth, create_clinic, add_staff,
                                                                          make_owner):
    clinic = create_clinic()
    member = add_staff(clinic, role=StaffRole.PSYCHIATRIST, credentials=[
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD1", issuer="NY", expires_on=NEXT_YEAR),
        Credential(kind=CredentialKind.DEA, identifier=VALID_DEA, issuer="DEA", expires_on=NEXT_YEAR),
    ])
    owner = make_owner(clinic)
    db.session.commit()
    with_prescriber = stored_total(clinic.id)
    auth.login(owner)
    dea_id = member.credentials[1].id
    assert client.post(staff_url(clinic, member.id, "credentials", dea_id, "delete")).status_code == 302
    without_dea = stored_total(clinic.id)
    assert without_dea < with_prescriber
    add_staff(clinic, role=StaffRole.REGISTERED_NURSE, credentials=[
        Credential(kind=CredentialKind.ACLS, issuer="AHA", expires_on=NEXT_YEAR)])
    db.session.commit()
    nurse = stored_total(clinic.id)
    assert nurse > without_dea
    nurse_id = db.session.scalars(select(StaffMember.id).where(StaffMember.role == StaffRole.REGISTERED_NURSE,
                                                               StaffMember.clinic_id == clinic.id)).one()
    assert client.post(staff_url(clinic, nurse_id, "delete")).status_code == 302
    assert stored_total(clinic.id) == without_dea
