"""Canonical URLs, code systems and the codes our vocabularies map to, from HL7 Da Vinci PDex Plan-Net 1.2.0.

Plan-Net 1.2.0 (FHIR R4 4.0.1, profiles on US Core 7.0.0); its FSH sources are shipped beside the tests in
tests/opendata/fhir/plannet/, and the tests check every code used here against them.
"""

from __future__ import annotations

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.listings.vocab import Condition, Route

PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
PLAN_NET_VERSION = "1.2.0"
FHIR_VERSION = "4.0.1"


def profile(name: str) -> str:
    """Return the canonical URL of a Plan-Net profile, e.g. profile("Practitioner")."""
    return f"{PLAN_NET}/StructureDefinition/plannet-{name}"


def extension(name: str) -> str:
    """Return the canonical URL of a Plan-Net extension, e.g. extension("newpatients")."""
    return f"{PLAN_NET}/StructureDefinition/{name}"


def code_system(name: str) -> str:
    """Return the canonical URL of a Plan-Net code system, e.g. code_system("OrgTypeCS")."""
    return f"{PLAN_NET}/CodeSystem/{name}"


NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NUCC = "http://nucc.org/provider-taxonomy"
DEGREE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0360"  # HL7 v2 table 0360, degree/licence/certificate
USPS_STATE = "https://www.usps.com/"
URI_SYSTEM = "urn:ietf:rfc:3986"  # identifier values that are URIs: our stable urn:uuid ids

# Plan-Net code systems used.
ORG_TYPE = code_system("OrgTypeCS")
SERVICE_CATEGORY = code_system("HealthcareServiceCategoryCS")
ACCEPTING_PATIENTS = code_system("AcceptingPatientsCS")
QUALIFICATION_STATUS = code_system("QualificationStatusCS")
PROVIDER_ROLE = code_system("ProviderRoleCS")
DELIVERY_METHOD = code_system("DeliveryMethodCS")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # FHIR days-of-week, Monday = 0 as in hours/

# NUCC codes (names as in Plan-Net's value sets) for the clinic as an organisation, by what it offers.
CLINIC_TAXONOMIES = {
    "261QI0500X": "Infusion Therapy Clinic/Center",
    "261QM0801X": "Mental Health Clinic/Center (Including Community Mental Health Center)",
    "261QP3300X": "Pain Clinic/Center",
}
PAIN_CONDITIONS = frozenset({Condition.FIBROMYALGIA, Condition.CRPS, Condition.NEUROPATHIC, Condition.MIGRAINE,
                             Condition.OTHER_PAIN})
INFUSION_ROUTES = frozenset({Route.IV})

# NUCC codes for a staff member's specialty: by board certification first, then by role (and degree).
NUCC_NAMES = {
    "207L00000X": "Anesthesiology Physician",
    "207LP2900X": "Pain Medicine (Anesthesiology) Physician",
    "2084P0800X": "Psychiatry Physician",
    "207P00000X": "Emergency Medicine Physician",
    "207Q00000X": "Family Medicine Physician",
    "367500000X": "Certified Registered Nurse Anesthetist",
    "363L00000X": "Nurse Practitioner",
    "363A00000X": "Physician Assistant",
    "163W00000X": "Registered Nurse",
    "1041C0700X": "Clinical Social Worker",
    "103T00000X": "Psychologist",
}
BOARD_TAXONOMY = {
    "american board of anesthesiology": "207L00000X",
    "american board of anesthesiology (pain medicine)": "207LP2900X",
    "american board of psychiatry and neurology": "2084P0800X",
    "american board of emergency medicine": "207P00000X",
    "american board of family medicine": "207Q00000X",
}
ROLE_TAXONOMY = {
    StaffRole.ANESTHESIOLOGIST: "207L00000X",
    StaffRole.PSYCHIATRIST: "2084P0800X",
    StaffRole.CRNA: "367500000X",
    StaffRole.NURSE_PRACTITIONER: "363L00000X",
    StaffRole.PHYSICIAN_ASSISTANT: "363A00000X",
    StaffRole.REGISTERED_NURSE: "163W00000X",
}
DEGREE_TAXONOMY = {"LCSW": "1041C0700X", "PHD": "103T00000X", "PSYD": "103T00000X"}

# Plan-Net ProviderRoleCS codes for PractitionerRole.code.
ROLE_CODES = {
    StaffRole.MEDICAL_DIRECTOR: ("ph", "Physician"),
    StaffRole.ANESTHESIOLOGIST: ("ph", "Physician"),
    StaffRole.PSYCHIATRIST: ("ph", "Physician"),
    StaffRole.CRNA: ("apn", "Advanced Practice Nursing Providers"),
    StaffRole.NURSE_PRACTITIONER: ("apn", "Advanced Practice Nursing Providers"),
    StaffRole.PHYSICIAN_ASSISTANT: ("pa", "Physician Assistant"),
    StaffRole.REGISTERED_NURSE: ("rn", "Registered Nurse"),
    StaffRole.THERAPIST: ("bh", "Behavioral Health & Social Service Providers"),
}
NON_PHYSICIAN_DIRECTOR_ROLE = ("apn", "Advanced Practice Nursing Providers")

# HL7 v2 table 0360 codes for the degree a state licence is held under (only exact equivalents).
DEGREE_CODES = {
    "MD": "Doctor of Medicine",
    "DO": "Doctor of Osteopathy",
    "NP": "Nurse Practitioner",
    "PA": "Physician Assistant",
    "PA-C": "Physician Assistant",
    "RN": "Registered Nurse",
    "LPN": "Licensed Practical Nurse",
    "PHD": "Doctor of Philosophy",
}

# Credential kinds published as Practitioner.qualification; NPIs are identifiers, DEA numbers stay masked.
QUALIFICATION_KINDS = (CredentialKind.STATE_LICENSE, CredentialKind.BOARD_CERTIFICATION, CredentialKind.ACLS,
                       CredentialKind.BLS)
