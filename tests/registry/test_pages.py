"""What moderators and patients see of the registry checks, through the app."""

from __future__ import annotations

import html
from datetime import date, timedelta

from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import Notification
from provider_dir.registry.checks.runner import run_all_checks
from provider_dir.registry.files.loading import load_leie, load_nppes
from provider_dir.registry.models import ExclusionMatch, RegistryCheck
from provider_dir.scoring.services import clinic_score
from tests.registry.conftest import NPI_ADA
from tests.registry.files import leie_row, nppes_row, write_leie, write_nppes

ANESTHESIA_NY = ("207L00000X", "MD123456", "NY", "Y")


def _clinic_with_ada(create_clinic, add_staff):
    clinic = create_clinic(state="NY")
    later = date.today() + timedelta(days=400)
    member = add_staff(clinic, role=StaffRole.ANESTHESIOLOGIST, full_name="Ada Park", credentials=[
        Credential(kind=CredentialKind.NPI, identifier=NPI_ADA, issuer="NPPES", submitted_at=utcnow()),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="NY", expires_on=later),
        Credential(kind=CredentialKind.DEA, identifier="BP1234563", issuer="DEA", expires_on=later),
    ])
    return clinic, member


def _load_and_check(app, tmp_path, name="npidata_pfile_20261102-20261108.csv", **changes):
    rows = [nppes_row(NPI_ADA, last="PARK", first="ADA", credential="MD", taxonomies=[ANESTHESIA_NY], **changes)]
    load_nppes(db.session, write_nppes(tmp_path / name, rows))
    return run_all_checks(db.session, app.config)


def test_the_moderator_sees_the_registry_record_and_verifies_in_one_click(app, client, auth, tmp_path, create_user,
                                                                         create_clinic, add_staff, make_owner):
    clinic, member = _clinic_with_ada(create_clinic, add_staff)
    owner = make_owner(clinic)
    moderator = create_user(role=UserRole.MODERATOR)
    _load_and_check(app, tmp_path)
    npi = member.credentials[0]
    auth.login(moderator)

    queue = html.unescape(client.get("/moderation/credentials/").get_data(as_text=True))
    assert "NPPES: active, an individual, name matches" in queue
    page = html.unescape(client.get(f"/moderation/credentials/{npi.id}").get_data(as_text=True))
    assert "ADA PARK, MD" in page and "Anesthesiology (physician)" in page and "MD123456" in page
    assert "Verify by the registry check" in page

    response = client.post(f"/moderation/registry/credentials/{npi.id}/verify", data={"version": npi.version})

    assert response.status_code == 302
    db.session.refresh(npi)
    assert npi.status == CredentialStatus.VERIFIED and npi.verification_method == VerificationMethod.REGISTRY
    assert npi.verification_reference.startswith("NPPES file dated 2026-11-08; NPI " + NPI_ADA)
    assert db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()


def test_one_click_is_refused_when_the_check_does_not_match(app, client, auth, tmp_path, create_user, create_clinic,
                                                            add_staff):
    _, member = _clinic_with_ada(create_clinic, add_staff)
    member.full_name = "Ada Parker"
    db.session.commit()
    _load_and_check(app, tmp_path)
    npi = member.credentials[0]
    auth.login(create_user(role=UserRole.MODERATOR))

    page = html.unescape(client.get(f"/moderation/credentials/{npi.id}").get_data(as_text=True))
    assert "NPPES: another name" in page and "Verify by the registry check" not in page
    response = client.post(f"/moderation/registry/credentials/{npi.id}/verify", data={"version": npi.version},
                           follow_redirects=True)
    assert "does not match in every part" in html.unescape(response.get_data(as_text=True))
    db.session.refresh(npi)
    assert npi.status == CredentialStatus.SELF_REPORTED


def test_patients_see_what_the_registry_says_on_the_page_and_in_the_json(app, client, tmp_path, create_clinic,
                                                                         add_staff):
    clinic, member = _clinic_with_ada(create_clinic, add_staff)
    _load_and_check(app, tmp_path)
    today = date.today()
    checked = f"{today:%B} {today.day}, {today.year}"

    page = html.unescape(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True))
    assert f"Active in the NPPES registry, checked on {checked}." in page
    assert f"Listed in the NPPES registry for this clinician's NPI, checked on {checked}." in page

    staff = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["staff"][0]
    npi, licence, dea = staff["credentials"]
    assert npi["registry"]["result"] == "match" and npi["registry"]["source_date"] == "2026-11-08"
    assert npi["registry"]["label"] == f"Active in the NPPES registry, checked on {checked}."
    assert licence["registry"]["result"] == "match"
    assert dea["registry"] is None and staff["exclusion"] is None


def test_a_deactivated_npi_is_said_so_to_patients(app, client, tmp_path, create_clinic, add_staff):
    clinic, _ = _clinic_with_ada(create_clinic, add_staff)
    _load_and_check(app, tmp_path, deactivated="11/01/2026")
    page = html.unescape(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True))
    assert "Deactivated in the NPPES registry since November 1, 2026, checked on" in page


def test_a_possible_exclusion_stays_private_until_confirmed(app, client, auth, tmp_path, create_user, create_clinic,
                                                            add_staff, make_owner):
    clinic, member = _clinic_with_ada(create_clinic, add_staff)
    make_owner(clinic)
    load_leie(db.session, write_leie(tmp_path / "UPDATED-20261101.csv",
                                     [leie_row("PARK", "ADA", excltype="1128b4", excldate="20240315")]))
    run_all_checks(db.session, app.config)
    [match] = db.session.scalars(select(ExclusionMatch)).all()
    before = {i.code: i.status for i in clinic_score(db.session, clinic.id).items}

    public = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert "Excluded" not in public and client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["staff"][0][
        "exclusion"] is None

    auth.login(create_user(role=UserRole.MODERATOR))
    queue = client.get("/moderation/registry/exclusions/").get_data(as_text=True)
    assert "Ada Park" in queue and "Name and state" in queue
    response = client.post(f"/moderation/registry/exclusions/{match.id}/decision", data={"confirm": "Confirm"})
    assert response.status_code == 302
    auth.logout()

    page = html.unescape(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True))
    assert "Excluded by the HHS Office of Inspector General" in page
    assert "since March 15, 2024: licence revocation, suspension or surrender (section 1128b4)" in page
    assert 'href="https://exclusions.oig.hhs.gov/"' in page
    exclusion = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["staff"][0]["exclusion"]
    assert exclusion["type"] == "1128b4" and exclusion["excluded_on"] == "2024-03-15"
    after = {i.code: i.status for i in clinic_score(db.session, clinic.id).items}
    assert before["C01"] == "self_reported" and after["C01"] == "unknown"


def test_a_dismissed_match_is_never_shown(app, client, auth, tmp_path, create_user, create_clinic, add_staff):
    clinic, _ = _clinic_with_ada(create_clinic, add_staff)
    load_leie(db.session, write_leie(tmp_path / "UPDATED.csv", [leie_row("PARK", "ADA")]))
    run_all_checks(db.session, app.config)
    [match] = db.session.scalars(select(ExclusionMatch)).all()
    auth.login(create_user(role=UserRole.MODERATOR))
    client.post(f"/moderation/registry/exclusions/{match.id}/decision", data={"dismiss": "Dismiss"})
    run_all_checks(db.session, app.config)  # the same row is not raised again
    assert [m.state for m in db.session.scalars(select(ExclusionMatch))] == ["dismissed"]
    assert "Excluded" not in client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)


def test_the_methodology_says_what_each_registry_proves_and_does_not(client):
    page = html.unescape(client.get("/methodology").get_data(as_text=True))
    assert "providers report their own details to NPPES" in page
    assert "It covers federal programmes only" in page


def test_checks_are_kept_per_credential(app, tmp_path, create_clinic, add_staff):
    _, member = _clinic_with_ada(create_clinic, add_staff)
    _load_and_check(app, tmp_path)
    _load_and_check(app, tmp_path, name="npidata_pfile_20261207-20261213.csv")
    rows = db.session.scalars(select(RegistryCheck).where(RegistryCheck.staff_member_id == member.id)).all()
    assert sorted(r.what for r in rows) == ["licence", "npi"]
    assert {r.source_date for r in rows} == {date(2026, 12, 13)}
