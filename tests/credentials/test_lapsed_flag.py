"""`flask scores recompute --due` clears the "verified staff credentials" flag once its credentials have lapsed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic

VERIFIED_ONLY = "/search?location=10001&verified=y"


def cards(html: str) -> list[str]:
    return re.findall(r'<h3 class="result-name"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def flagged(create_clinic, add_staff, create_user):
    """Return a factory: a clinic whose verified credentials expire on the given dates, flagged as when verified."""
    moderator = create_user(role=UserRole.MODERATOR)

    def make(name: str, *expiries: date | None, kind: CredentialKind = CredentialKind.STATE_LICENSE) -> Clinic:
        clinic = create_clinic(name=name)
        add_staff(clinic, role=StaffRole.PSYCHIATRIST, credentials=[
            Credential(kind=kind, identifier=f"X{n}", issuer="NY", expires_on=expires_on,
                       status=CredentialStatus.VERIFIED, verified_by=moderator, verified_at=datetime.now(UTC))
            for n, expires_on in enumerate(expiries)
        ])  # fmt: skip
        # The flag was set the day a moderator verified them, while they were current.
        db.session.execute(update(Clinic).where(Clinic.id == clinic.id).values(has_verified_credentials=True))
        return clinic

    return make


@pytest.mark.parametrize("kind", [CredentialKind.STATE_LICENSE, CredentialKind.DEA, CredentialKind.BLS])
def test_a_clinic_whose_only_verified_credential_expired_yesterday_leaves_the_filter(
    client, runner, flagged, kind, today
):
    yesterday = today - timedelta(days=1)
    flagged("Lapsed Licence Clinic", yesterday, kind=kind)
    db.session.commit()
    before = client.get(VERIFIED_ONLY).text
    assert cards(before) == ["Lapsed Licence Clinic"]
    assert "Verified staff credentials" in before

    result = runner.invoke(args=["scores", "recompute", "--due"])

    assert result.exit_code == 0, result.output
    assert "Refreshing credential flags" in result.stderr  # the progress bar, as for the scores
    assert f"lapsed by {today.isoformat()}: cleared the flag of 1 clinic(s)" in result.output
    assert cards(client.get(VERIFIED_ONLY).text) == []
    everyone = client.get("/search?location=10001").text
    assert cards(everyone) == ["Lapsed Licence Clinic"]
    assert "Credentials not verified yet" in everyone


def test_a_clinic_with_a_verified_credential_still_current_keeps_the_flag(client, runner, flagged, today):
    yesterday = today - timedelta(days=1)
    flagged("Today Clinic", today)  # still valid on its expiry date
    flagged("Renewed Clinic", yesterday, today + timedelta(days=200))
    flagged("Undated Clinic", None, kind=CredentialKind.NPI)
    flagged("Lapsed Clinic", yesterday, yesterday - timedelta(days=30))
    db.session.commit()

    result = runner.invoke(args=["scores", "recompute", "--due"])

    assert "cleared the flag of 1 clinic(s)" in result.output
    assert sorted(cards(client.get(VERIFIED_ONLY).text)) == ["Renewed Clinic", "Today Clinic", "Undated Clinic"]
    again = runner.invoke(args=["scores", "recompute", "--due"])
    assert "cleared the flag of 0 clinic(s)" in again.output


def test_the_full_recompute_clears_lapsed_flags_too_and_leaves_last_edited_alone(client, runner, flagged, today):
    clinic = flagged("Lapsed Clinic", today - timedelta(days=1))
    db.session.commit()
    edited = db.session.get(Clinic, clinic.id).updated_at

    result = runner.invoke(args=["scores", "recompute"])

    assert "cleared the flag of 1 clinic(s)" in result.output
    db.session.expire_all()
    clinic = db.session.get(Clinic, clinic.id)
    assert clinic.has_verified_credentials is False
    assert clinic.updated_at == edited  # a lapse is not an edit of the listing
