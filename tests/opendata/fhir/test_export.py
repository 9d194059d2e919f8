"""What `flask export fhir` publishes, and what it leaves out, as a health plan or a researcher would read it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.extensions import db
from provider_dir.hours.parse import END_OF_DAY, Period
from provider_dir.hours.services import set_opening_hours
from provider_dir.listings.vocab import ClinicStatus, Closure, Condition, Route
from provider_dir.opendata.fhir.export import RESOURCE_TYPES, write_fhir
from provider_dir.opendata.ids import public_id
from provider_dir.registry.models import ExclusionMatch, RegistryCheck
from tests.opendata.fhir.conftest import read_export
from tests.opendata.fhir.plannet_rules import values_at

TODAY = date.today()


def _export(tmp_path, **options) -> dict:
    write_fhir(db.session, tmp_path, **options)
    return read_export(tmp_path)


def _by_id(resources: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in resources}


def test_the_command_writes_one_ndjson_file_per_type_and_a_bulk_manifest(app, runner, create_clinic, add_staff,
                                                                          tmp_path):
    clinic = create_clinic(name="Harbor Ketamine Care")
    add_staff(clinic)
    db.session.commit()
    app.config["SITE_URL"] = "https://clinics.example.org"
    try:
        result = runner.invoke(args=["export", "fhir", str(tmp_path / "out")])
    finally:
        app.config["SITE_URL"] = ""
    assert result.exit_code == 0, result.output
    assert "Writing FHIR bulk data" in result.stderr  # the progress bar goes to stderr
    assert "1 Organization" in result.stdout
    exported = read_export(tmp_path / "out")
    manifest = exported["manifest"]
    assert manifest["requiresAccessToken"] is False and manifest["error"] == []
    assert datetime.fromisoformat(manifest["transactionTime"].replace("Z", "+00:00")) <= datetime.now(UTC)
    assert [item["type"] for item in manifest["output"]] == list(RESOURCE_TYPES)
    for item in manifest["output"]:
        assert item["url"] == f"https://clinics.example.org/open-data/fhir/{item['type']}.ndjson"
        assert item["count"] == len(exported[item["type"]])
        assert all(r["resourceType"] == item["type"] for r in exported[item["type"]])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [f"{t}.ndjson" for t in RESOURCE_TYPES] + ["manifest.json"])


def test_a_path_that_is_a_file_is_refused_by_name(runner, tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = runner.invoke(args=["export", "fhir", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output
    assert target.read_text() == "not a folder"


def test_ids_are_the_public_ids_and_the_same_in_every_export(app, create_clinic, add_staff, tmp_path):
    clinic = create_clinic()
    member = add_staff(clinic)
    first = _export(tmp_path / "a")
    second = _export(tmp_path / "b")
    for resource_type in RESOURCE_TYPES:
        assert [r["id"] for r in first[resource_type]] == [r["id"] for r in second[resource_type]]
    assert first["Organization"][0]["id"] == public_id("clinic", clinic.id)
    role = first["PractitionerRole"][0]
    assert role["practitioner"]["reference"] == f"Practitioner/{public_id('staff', member.id)}"
    assert role["organization"]["reference"] == f"Organization/{public_id('clinic', clinic.id)}"


def test_only_listed_clinics_that_are_not_closed_for_good_are_published(app, create_clinic, tmp_path):
    shown = create_clinic(name="Open Clinic")
    create_clinic(name="Draft Clinic", status=ClinicStatus.DRAFT)
    create_clinic(name="Suspended Clinic", status=ClinicStatus.SUSPENDED)
    create_clinic(name="Closed Clinic", closure=Closure.PERMANENT)
    exported = _export(tmp_path)
    assert [o["name"] for o in exported["Organization"]] == [shown.name]
    assert [loc["name"] for loc in exported["Location"]] == [shown.name]


def test_organization_has_address_phone_website_and_is_active(app, create_clinic, tmp_path):
    create_clinic(name="Harbor Ketamine Care", street="12 Pier Rd", city="Boston", state="MA", zip_code="02110",
                  phone="(617) 555-0100", website="https://harbor.example", description="Infusions by a CRNA.")
    organization = _export(tmp_path)["Organization"][0]
    assert organization["active"] is True
    assert organization["address"] == [{"use": "work", "type": "physical", "text": "12 Pier Rd, Boston, MA 02110",
                                         "line": ["12 Pier Rd"], "city": "Boston", "state": "MA",
                                         "postalCode": "02110", "country": "US"}]
    assert {"system": "phone", "value": "(617) 555-0100", "use": "work", "rank": 1} in organization["telecom"]
    assert {"system": "url", "value": "https://harbor.example", "use": "work"} in organization["telecom"]
    assert values_at(organization, "extension[org-description].valueString") == ["Infusions by a CRNA."]


def test_location_carries_position_structured_hours_and_the_note(app, create_clinic, tmp_path):
    clinic = create_clinic(latitude=42.3601, longitude=-71.0589)
    set_opening_hours(clinic, [
        *(Period(day, time(9), time(17)) for day in range(5)),
        Period(1, time(18), time(20)),
        Period(5, time(0), END_OF_DAY),
        Period(6, time(10), END_OF_DAY),
    ], "First Saturday of the month by appointment")
    db.session.flush()
    exported = _export(tmp_path)
    location = exported["Location"][0]
    assert location["position"] == {"longitude": -71.0589, "latitude": 42.3601}
    assert location["hoursOfOperation"] == [
        {"daysOfWeek": ["mon", "tue", "wed", "thu", "fri"], "openingTime": "09:00:00", "closingTime": "17:00:00"},
        {"daysOfWeek": ["tue"], "openingTime": "18:00:00", "closingTime": "20:00:00"},
        {"daysOfWeek": ["sat"], "allDay": True},
        {"daysOfWeek": ["sun"], "openingTime": "10:00:00", "closingTime": "23:59:59"},
    ]
    assert location["availabilityExceptions"] == "First Saturday of the month by appointment"
    service = exported["HealthcareService"][0]
    assert service["availableTime"][0] == {"daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
                                           "availableStartTime": "09:00:00", "availableEndTime": "17:00:00"}
    assert service["availabilityExceptions"] == location["availabilityExceptions"]


def test_a_temporarily_closed_clinic_takes_no_new_patients_and_says_when_it_reopens(app, create_clinic, tmp_path):
    reopening = TODAY + timedelta(days=20)
    create_clinic(closure=Closure.TEMPORARY, reopens_on=reopening, accepting_new_patients=True)
    exported = _export(tmp_path)
    location, service = exported["Location"][0], exported["HealthcareService"][0]
    for resource in (location, service):
        accepting = values_at(resource, "extension[newpatients].extension[acceptingPatients]")
        assert accepting[0]["valueCodeableConcept"]["coding"][0]["code"] == "nopt"
    assert location["availabilityExceptions"] == f"Temporarily closed, reopening on {reopening.isoformat()}."
    assert service["notAvailable"] == [{"description": "Temporarily closed", "during": {"end": reopening.isoformat()}}]


def test_service_has_category_nucc_specialties_routes_and_conditions(app, create_clinic, tmp_path):
    create_clinic(routes=[Route.IV, Route.ESKETAMINE], conditions=[Condition.DEPRESSION, Condition.CRPS])
    service = _export(tmp_path)["HealthcareService"][0]
    assert service["category"][0]["coding"][0]["code"] == "behav"
    assert [c["coding"][0]["code"] for c in service["specialty"]] == ["261QI0500X", "261QM0801X", "261QP3300X"]
    assert {c["coding"][0]["system"] for c in service["specialty"]} == {"http://nucc.org/provider-taxonomy"}
    assert [t["text"] for t in service["type"]] == ["Ketamine treatment: IV infusion",
                                                    "Ketamine treatment: Esketamine nasal spray (Spravato)"]
    assert [c["text"] for c in service["characteristic"]] == ["Treats Depression", "Treats CRPS"]


def test_practitioner_has_npi_licences_and_certifications_with_issuer_and_period(app, create_clinic, add_staff,
                                                                                tmp_path):
    clinic = create_clinic()
    expiry = TODAY + timedelta(days=400)
    lapsed = TODAY - timedelta(days=3)
    add_staff(clinic, role=StaffRole.ANESTHESIOLOGIST, full_name="Ana María Ruiz", degree="MD", credentials=[
        Credential(kind=CredentialKind.NPI, identifier="1234567893", issuer="NPPES"),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="MA", expires_on=expiry),
        Credential(kind=CredentialKind.BOARD_CERTIFICATION, identifier="4411",
                   issuer="American Board of Anesthesiology", expires_on=expiry),
        Credential(kind=CredentialKind.ACLS, identifier="A-77", issuer="American Heart Association",
                   expires_on=lapsed),
        Credential(kind=CredentialKind.DEA, identifier="BR1234563", issuer="DEA", expires_on=expiry),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD999", issuer="NH",
                   status=CredentialStatus.REFUSED),
    ])
    exported = _export(tmp_path)
    practitioner = exported["Practitioner"][0]
    assert {"use": "official", "system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"} in \
        practitioner["identifier"]
    assert practitioner["name"] == [{"use": "official", "text": "Ana María Ruiz", "family": "Ruiz",
                                     "given": ["Ana", "María"]}]
    licence, board, acls = practitioner["qualification"]  # DEA and the refused licence are not published
    assert licence["identifier"] == [{"value": "MD123456"}]
    assert licence["code"]["coding"] == [{"system": "http://terminology.hl7.org/CodeSystem/v2-0360", "code": "MD",
                                          "display": "Doctor of Medicine"}]
    assert licence["issuer"] == {"display": "State of MA"}
    assert licence["period"] == {"end": expiry.isoformat()}
    status = values_at(licence, "extension[practitioner-qualification].extension")
    assert status == [{"url": "status", "valueCode": "active"},
                      {"url": "whereValid", "valueCodeableConcept": {"coding": [
                          {"system": "https://www.usps.com/", "code": "MA"}]}}]
    assert board["code"]["coding"][0]["code"] == "207L00000X"
    assert board["issuer"] == {"display": "American Board of Anesthesiology"}
    assert acls["period"] == {"end": lapsed.isoformat()}
    assert "extension" not in acls  # lapsed: Plan-Net's status is fixed to "active", so it is left off
    assert "MD999" not in str(exported) and "BR1234563" not in str(exported)
    role = exported["PractitionerRole"][0]
    assert role["specialty"][0]["coding"][0]["code"] == "207L00000X"
    assert role["code"][0]["coding"][0]["code"] == "ph"


def test_verification_evidence_is_published_beside_the_credential(app, create_clinic, add_staff, create_user,
                                                                  tmp_path):
    clinic = create_clinic()
    verified_at = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    member = add_staff(clinic, credentials=[
        Credential(kind=CredentialKind.NPI, identifier="1234567893", issuer="NPPES",
                   status=CredentialStatus.VERIFIED, verified_at=verified_at,
                   verification_method=VerificationMethod.REGISTRY),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="NY"),
        Credential(kind=CredentialKind.BLS, identifier="B-1", issuer="American Red Cross"),
    ])
    npi, licence, _bls = member.credentials
    db.session.add(RegistryCheck(staff_member_id=member.id, credential_id=licence.id, what="licence",
                                 source="NPPES", via="file", source_date=date(2026, 11, 9), result="other_state",
                                 checked_at=datetime(2026, 11, 20, 5, 0, tzinfo=UTC)))
    db.session.flush()
    exported = _export(tmp_path)
    evidence = _by_id(exported["VerificationResult"])
    assert len(evidence) == 2  # the BLS card has neither a moderator's check nor a registry check
    on_npi = evidence[public_id("credential_verification", npi.id)]
    assert on_npi["status"] == "validated"
    assert on_npi["targetLocation"] == [
        "Practitioner.identifier.where(system='http://hl7.org/fhir/sid/us-npi' and value='1234567893')"]
    assert on_npi["statusDate"] == "2026-03-02T15:30:00Z"
    on_licence = evidence[public_id("credential_verification", licence.id)]
    assert on_licence["status"] == "attested"  # self-reported: the registry check did not confirm it
    source = on_licence["primarySource"][0]
    assert source["validationStatus"]["coding"][0]["code"] == "failed"
    assert source["validationStatus"]["text"] == "other_state"
    assert "2026-11-09" in source["who"]["display"]
    practitioner = exported["Practitioner"][0]
    qualification_ids = [q["id"] for q in practitioner["qualification"]]
    assert on_licence["targetLocation"] == [f"Practitioner.qualification.where(id='{qualification_ids[0]}')"]
    assert on_licence["target"] == [{"reference": f"Practitioner/{practitioner['id']}",
                                     "display": member.full_name}]


def test_a_clinician_confirmed_as_excluded_by_the_oig_is_not_published(app, create_clinic, add_staff, tmp_path):
    clinic = create_clinic()
    kept = add_staff(clinic, full_name="Kept Person")
    excluded = add_staff(clinic, full_name="Excluded Person")
    db.session.add(ExclusionMatch(staff_member_id=excluded.id, matched_by="npi", leie_name="PERSON, EXCLUDED",
                                  state="confirmed"))
    db.session.flush()
    exported = _export(tmp_path)
    assert [p["name"][0]["text"] for p in exported["Practitioner"]] == [kept.full_name]
    assert len(exported["PractitionerRole"]) == 1


def test_the_export_walks_the_clinics_in_batches_and_reports_progress(app, create_clinic, add_staff, tmp_path):
    for _ in range(5):
        add_staff(create_clinic())
    done = []
    exported = _export(tmp_path, batch=2, progress=done.append)
    assert done == [2, 2, 1]
    assert len(exported["Organization"]) == 5 and len(exported["Practitioner"]) == 5


def test_a_folder_that_cannot_be_made_is_refused_with_the_reason(runner, tmp_path):
    (tmp_path / "file").write_text("x")
    result = runner.invoke(args=["export", "fhir", str(tmp_path / "file" / "fhir")])
    assert result.exit_code == 1
    assert "Cannot create the folder" in result.output and "Not a directory" in result.output


def test_an_export_that_fails_half_way_leaves_the_previous_one_whole(app, create_clinic, tmp_path):
    for _ in range(3):
        create_clinic()
    before = _export(tmp_path)

    def interrupted(done: int) -> None:
        raise KeyboardInterrupt

    create_clinic(name="Added Since")
    with pytest.raises(KeyboardInterrupt):
        write_fhir(db.session, tmp_path, batch=2, progress=interrupted)
    assert read_export(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []
