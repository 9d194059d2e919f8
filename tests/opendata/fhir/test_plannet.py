"""The export meets Plan-Net 1.2.0's must-haves, read from the guide's own FSH files, and US Core 7's beneath them."""

from __future__ import annotations

import pytest

from provider_dir.opendata.fhir import codes
from tests.opendata.fhir import plannet_rules as rules

PLAN_NET_TYPES = ("Organization", "Location", "HealthcareService", "Practitioner", "PractitionerRole")

# US Core 7.0.0 must-haves of the parent profiles (not in Plan-Net's files): element paths that must be present.
US_CORE_REQUIRED = {
    "Organization": ["name"],
    "Location": ["name"],
    "Practitioner": ["identifier", "name", "name.family"],
    "PractitionerRole": ["telecom"],  # pd-1: contact information or an endpoint (we publish no endpoints)
    "HealthcareService": [],
}


def _fixed(value: str):
    if value in ("true", "false"):
        return value == "true"
    return value.split("#", 1)[1] if "#" in value else value.strip('"')


@pytest.mark.parametrize("resource_type", PLAN_NET_TYPES)
def test_every_resource_claims_its_plan_net_profile(demo_export, resource_type):
    profile = rules.profiles()[resource_type]
    for resource in demo_export[resource_type]:
        assert resource["meta"]["profile"] == [f"{codes.PLAN_NET}/StructureDefinition/{profile.id}"]


@pytest.mark.parametrize("resource_type", PLAN_NET_TYPES)
def test_cardinalities_and_fixed_values_of_the_profile_hold(demo_export, resource_type):
    profile = rules.profiles()[resource_type]
    assert profile.cardinalities or profile.fixed
    for resource in demo_export[resource_type]:
        for path, (low, high) in profile.cardinalities.items():
            parent, _, leaf = path.rpartition(".")
            holders = rules.values_at(resource, parent) if parent else [resource]
            for holder in holders:
                found = rules.values_at(holder, leaf)
                assert len(found) >= low, f"{resource_type}.{path} needs at least {low}"
                assert high == "*" or len(found) <= int(high), f"{resource_type}.{path} allows at most {high}"
        for path, value in profile.fixed.items():
            assert rules.values_at(resource, path) == [_fixed(value)], f"{resource_type}.{path} is fixed"
        for path in US_CORE_REQUIRED[resource_type]:
            assert rules.values_at(resource, path), f"US Core needs {resource_type}.{path}"


def test_specialties_come_from_the_required_value_sets(demo_export):
    checked = 0
    for resource_type in ("HealthcareService", "PractitionerRole"):
        allowed = rules.value_set_codes(rules.profiles()[resource_type].required_bindings["specialty"])
        for resource in demo_export[resource_type]:
            for concept in resource.get("specialty", []):
                for coding in concept["coding"]:
                    assert (coding["system"], coding["code"]) in allowed
                    checked += 1
    assert checked > 300


def test_service_category_is_from_plan_net_categories(demo_export):
    allowed = rules.value_set_codes("HealthcareServiceCategoryVS")
    for service in demo_export["HealthcareService"]:
        assert any((c["system"], c["code"]) in allowed for concept in service["category"] for c in concept["coding"])


def test_every_plan_net_code_and_extension_used_is_defined_by_the_guide(demo_export):
    systems = rules.code_systems()
    used, extensions = set(), set()

    def walk(value):
        if isinstance(value, dict):
            if value.get("system", "").startswith(f"{codes.PLAN_NET}/CodeSystem/") and "code" in value:
                used.add((value["system"].rsplit("/", 1)[1], value["code"]))
            if value.get("url", "").startswith(f"{codes.PLAN_NET}/StructureDefinition/"):
                extensions.add(value["url"].rsplit("/", 1)[1])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource_type in PLAN_NET_TYPES:
        walk(demo_export[resource_type])
    assert {"OrgTypeCS", "AcceptingPatientsCS", "HealthcareServiceCategoryCS", "ProviderRoleCS"} <= {s for s, _ in used}
    for system, code in used:
        assert code in systems[system], f"{system}#{code} is not in the guide"
    assert {"newpatients", "practitioner-qualification", "delivery-method"} <= extensions
    assert extensions <= rules.extension_ids()


def test_npis_and_nucc_codes_use_their_official_systems(demo_export):
    npis = [i for p in demo_export["Practitioner"] for i in p["identifier"] if i["system"] == codes.NPI_SYSTEM]
    assert len(npis) == len(demo_export["Practitioner"])  # every demo clinician has an NPI
    assert all(len(i["value"]) == 10 and i["value"].isdigit() for i in npis)
    assert ("$NPICS", "http://hl7.org/fhir/sid/us-npi") in rules.aliases().items()
    assert rules.aliases()["$NUCCProviderTaxonomy"] == codes.NUCC


def test_new_patients_is_on_every_role_location_and_service(demo_export):
    for resource_type in ("PractitionerRole", "Location", "HealthcareService"):
        for resource in demo_export[resource_type]:
            found = rules.values_at(resource, "extension[newpatients].extension[acceptingPatients]")
            assert len(found) == 1
            assert found[0]["valueCodeableConcept"]["coding"][0]["code"] in ("newpt", "nopt")


def test_every_code_the_mapping_can_give_is_in_the_guide():
    individual = rules.value_set_codes("IndividualAndGroupSpecialtiesVS")
    for code in {*codes.BOARD_TAXONOMY.values(), *codes.ROLE_TAXONOMY.values(), *codes.DEGREE_TAXONOMY.values()}:
        assert (codes.NUCC, code) in individual
        assert codes.NUCC_NAMES[code]
    services = rules.value_set_codes("SpecialtiesVS")
    assert {(codes.NUCC, code) for code in codes.CLINIC_TAXONOMIES} <= services
    roles = rules.code_systems()["ProviderRoleCS"]
    assert {code for code, _ in (*codes.ROLE_CODES.values(), codes.NON_PHYSICIAN_DIRECTOR_ROLE)} <= roles
