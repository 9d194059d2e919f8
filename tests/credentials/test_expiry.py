"""Credentials expiring soon, and an expired one shown as expired everywhere on its own date, out of the score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.services import expiring_credentials
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.scoring.services import clinic_score
from tests.credentials.helpers import staff_url


def lic(expires_on, status=CredentialStatus.SELF_REPORTED, kind=CredentialKind.STATE_LICENSE, **fields):
    return Credential(
        kind=kind, identifier=f"X{expires_on}", issuer="NY", expires_on=expires_on, status=status, **fields
    )


def test_expiring_credentials_lists_today_to_sixty_days_soonest_first(app, create_clinic, add_staff, today):
    clinic, other = create_clinic(), create_clinic()
    soon = lic(today + timedelta(days=10))
    on_the_day = lic(today)
    edge = lic(today + timedelta(days=60))
    beyond = lic(today + timedelta(days=61))
    add_staff(
        clinic,
        credentials=[
            soon,
            beyond,
            lic(today - timedelta(days=1)),
            on_the_day,
            edge,
            lic(None, kind=CredentialKind.NPI),
            lic(today + timedelta(days=5), CredentialStatus.REFUSED),
        ],
    )
    add_staff(other, credentials=[lic(today + timedelta(days=3))])
    assert [c.id for c in expiring_credentials(clinic.id)] == [on_the_day.id, soon.id, edge.id]
    assert [c.id for c in expiring_credentials(clinic.id, within_days=10)] == [on_the_day.id, soon.id]
    later = today + timedelta(days=11)
    assert [c.id for c in expiring_credentials(clinic.id, today=later)] == [edge.id, beyond.id]


@pytest.fixture
def lapsing(create_clinic, add_staff, create_user, today):
    """A clinic whose verified prescriber licence and DEA expire today."""
    moderator = create_user(role=UserRole.MODERATOR)
    clinic = create_clinic(slug="lapsing-clinic")
    verified = {"status": CredentialStatus.VERIFIED, "verified_by": moderator, "verified_at": datetime.now(UTC)}
    add_staff(
        clinic,
        role=StaffRole.PSYCHIATRIST,
        credentials=[lic(today, **verified), lic(today + timedelta(days=400), kind=CredentialKind.DEA, **verified)],
    )
    db.session.commit()
    return clinic


def test_an_expired_credential_stops_counting_on_the_day_after_its_date(app, lapsing, today):
    assert clinic_score(db.session, lapsing.id, today).item("C01").status == "verified"
    tomorrow = clinic_score(db.session, lapsing.id, today + timedelta(days=1))
    assert tomorrow.item("C01").status == "expired" and tomorrow.item("C01").points == 0


def test_the_public_page_the_api_and_the_portal_show_it_expired(client, auth, make_owner, lapsing, today):
    licence = db.session.scalars(
        select(Credential).where(Credential.kind == CredentialKind.STATE_LICENSE, Credential.expires_on == today)
    ).one()
    # The stored row says verified; only its date has passed.
    licence.expires_on = today - timedelta(days=1)
    db.session.commit()
    assert licence.status == CredentialStatus.VERIFIED
    page = client.get("/clinics/lapsing-clinic").get_data(as_text=True)
    assert page.count('class="credential-status"><span class="badge badge-expired">Expired') == 1
    staff = client.get("/api/v1/clinics/lapsing-clinic").json["staff"]
    statuses = {c["kind"]["code"]: c["status"]["code"] for c in staff[0]["credentials"]}
    assert statuses == {"state_license": "expired", "dea": "verified"}
    auth.login(make_owner(db.session.get(Clinic, lapsing.id)))
    portal = client.get(staff_url(lapsing)).get_data(as_text=True)
    assert portal.count('data-label="Status"><span class="badge badge-expired">Expired') == 1
