"""A staff member as Plan-Net Practitioner and PractitionerRole, and the evidence behind each credential."""

from __future__ import annotations

from datetime import date

from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole, VerificationMethod
from provider_dir.opendata.fhir import codes
from provider_dir.opendata.fhir.common import (
    concept,
    fast_public_id,
    instant,
    meta,
    new_patients,
    pruned,
    reference,
    resource_id,
    telecom,
)
from provider_dir.opendata.fhir.records import ClinicRow, CredentialRow, StaffRow
from provider_dir.registry.checks.rules import ALL_MATCH

VALIDATION_TYPE = "http://terminology.hl7.org/CodeSystem/validation-type"
VALIDATION_STATUS = "http://terminology.hl7.org/CodeSystem/validation-status"
PRIMARY_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/primary-source-type"
NPPES = "NPPES, the CMS National Plan and Provider Enumeration System"
CERTIFICATES = {
    CredentialKind.ACLS: "Advanced Cardiovascular Life Support (ACLS)",
    CredentialKind.BLS: "Basic Life Support (BLS)",
}


def published(credential: CredentialRow) -> bool:
    """Return True for a credential the export carries: never one a moderator refused."""
    return credential.status != CredentialStatus.REFUSED and bool(credential.identifier.strip() or
                                                                  credential.issuer.strip())


def in_force(credential: CredentialRow, today: date) -> bool:
    """Return True when the credential counts today (not expired, not refused)."""
    return credential.status_on(today) in (CredentialStatus.SELF_REPORTED, CredentialStatus.VERIFIED)


def human_name(full_name: str) -> dict:
    """Return the name as FHIR HumanName: the last word the family name, the words before it given names."""
    words = full_name.split()
    name = {"use": "official", "text": full_name.strip(), "family": words[-1] if words else full_name}
    if len(words) > 1:
        name["given"] = words[:-1]
    return name


def _degree(member: StaffRow) -> str:
    return member.degree.upper().replace(".", "").strip()


def qualification_id(credential: CredentialRow) -> str:
    """Return the element id of a credential's qualification (VerificationResult.targetLocation names it)."""
    return f"credential-{fast_public_id('credential', credential.id)}"


def _qualification_code(member: StaffRow, credential: CredentialRow) -> dict:
    if credential.kind == CredentialKind.STATE_LICENSE:
        text = f"State licence ({member.degree})" if member.degree else "State licence"
        degree = _degree(member)
        if degree in codes.DEGREE_CODES:
            return concept(codes.DEGREE_SYSTEM, "PA" if degree == "PA-C" else degree, codes.DEGREE_CODES[degree],
                           text=text)
        return {"text": text}
    if credential.kind == CredentialKind.BOARD_CERTIFICATION:
        text = f"Board certification: {credential.issuer}" if credential.issuer else "Board certification"
        nucc = codes.BOARD_TAXONOMY.get(credential.issuer.strip().lower())
        return concept(codes.NUCC, nucc, codes.NUCC_NAMES[nucc], text=text) if nucc else {"text": text}
    return concept(codes.DEGREE_SYSTEM, "CER", "Certificate", text=CERTIFICATES[credential.kind])


def qualification(member: StaffRow, credential: CredentialRow, today: date) -> dict:
    """Return one licence or certification as Practitioner.qualification, with issuer and period."""
    value: dict = {"id": qualification_id(credential)}
    state = credential.issuer.strip().upper() if credential.kind == CredentialKind.STATE_LICENSE else ""
    if in_force(credential, today):
        # Plan-Net's own extension; its status is fixed to "active", so it goes only on credentials in force.
        parts = [{"url": "status", "valueCode": "active"}]
        if len(state) == 2 and state.isalpha():
            parts.append({"url": "whereValid", "valueCodeableConcept": concept(codes.USPS_STATE, state)})
        value["extension"] = [{"url": codes.extension("practitioner-qualification"), "extension": parts}]
    if credential.identifier.strip():
        value["identifier"] = [{"value": credential.identifier.strip()}]
    value["code"] = _qualification_code(member, credential)
    if credential.issuer.strip():
        value["issuer"] = {"display": f"State of {state}" if len(state) == 2 else credential.issuer.strip()}
    if credential.expires_on is not None:
        value["period"] = {"end": credential.expires_on.isoformat()}
    return value


def npis(member: StaffRow) -> list[str]:
    """Return the staff member's published NPIs, in order, without repeats."""
    found: list[str] = []
    for c in member.credentials:
        number = c.identifier.strip()
        if c.kind == CredentialKind.NPI and published(c) and number and number not in found:
            found.append(number)
    return found


def practitioner(member: StaffRow, today: date) -> dict:
    """Return the staff member as Plan-Net Practitioner: NPI, name, licences and certifications."""
    identifiers = [{"use": "official", "system": codes.NPI_SYSTEM, "value": npi} for npi in npis(member)]
    identifiers.append({"system": codes.URI_SYSTEM, "value": f"urn:uuid:{resource_id('Practitioner', member.id)}"})
    qualifications = [qualification(member, c, today) for c in member.credentials
                      if c.kind in codes.QUALIFICATION_KINDS and published(c)]
    return pruned({
        "resourceType": "Practitioner",
        "id": resource_id("Practitioner", member.id),
        "meta": meta("Practitioner"),
        "identifier": identifiers,
        "active": True,
        "name": [human_name(member.full_name)],
        "qualification": qualifications,
    })


def specialty(member: StaffRow) -> list[dict]:
    """Return the staff member's NUCC specialty: by board certification, else by role or degree."""
    found: list[str] = []
    for c in member.credentials:
        nucc = codes.BOARD_TAXONOMY.get(c.issuer.strip().lower()) if c.kind == CredentialKind.BOARD_CERTIFICATION \
            else None
        if nucc and published(c) and nucc not in found:
            found.append(nucc)
    fallback = codes.ROLE_TAXONOMY.get(member.role) or codes.DEGREE_TAXONOMY.get(_degree(member))
    if fallback and fallback not in found and (not found or member.role in codes.ROLE_TAXONOMY):
        found.append(fallback)
    return [concept(codes.NUCC, code, codes.NUCC_NAMES[code]) for code in found]


def role_code(member: StaffRow) -> dict:
    """Return the Plan-Net provider role of the staff member, with our role's words as its text."""
    code, display = codes.ROLE_CODES.get(member.role, ("", ""))
    if member.role == StaffRole.MEDICAL_DIRECTOR and _degree(member) not in ("MD", "DO"):
        code, display = codes.NON_PHYSICIAN_DIRECTOR_ROLE
    if not code:
        return {"text": member.role.label}
    return concept(codes.PROVIDER_ROLE, code, display, text=member.role.label)


def practitioner_role(member: StaffRow, clinic: ClinicRow, accepting: bool) -> dict:
    """Return the staff member's role at the clinic: who, where, what, and whether new patients are taken."""
    return pruned({
        "resourceType": "PractitionerRole",
        "id": resource_id("PractitionerRole", member.id),
        "meta": meta("PractitionerRole"),
        "extension": [new_patients(accepting)],
        "active": True,
        "practitioner": reference("Practitioner", member.id, member.full_name),
        "organization": reference("Organization", clinic.id, clinic.name),
        "code": [role_code(member)],
        "specialty": specialty(member),
        "location": [reference("Location", clinic.id, clinic.name)],
        "healthcareService": [reference("HealthcareService", clinic.id)],
        # US Core's pd-1: contact details or an endpoint; the website stands in when a clinic gives no phone.
        "telecom": telecom(clinic),
    })


def verification(member: StaffRow, credential: CredentialRow, today: date) -> dict | None:
    """Return the evidence behind one credential as a FHIR VerificationResult, or None when there is none.

    Evidence is a moderator's check (against the registry or a document) and our automatic NPPES check.
    """
    check = credential.check
    verified = credential.status == CredentialStatus.VERIFIED and credential.verified_at is not None
    if not (verified or check) or not published(credential):
        return None
    if credential.kind == CredentialKind.NPI:
        location = (f"Practitioner.identifier.where(system='{codes.NPI_SYSTEM}' and "
                    f"value='{credential.identifier.strip()}')")
    elif credential.kind in codes.QUALIFICATION_KINDS:
        location = f"Practitioner.qualification.where(id='{qualification_id(credential)}')"
    else:
        return None
    expired = credential.status_on(today) == CredentialStatus.EXPIRED
    status = "req-revalid" if expired else "validated" if verified else "attested"
    dates = [moment for moment in (credential.verified_at, check.checked_at if check else None) if moment]
    registry_used = check is not None or credential.verification_method == VerificationMethod.REGISTRY
    resource: dict = {
        "resourceType": "VerificationResult",
        "id": resource_id("VerificationResult", credential.id),
        "target": [reference("Practitioner", member.id, member.full_name)],
        "targetLocation": [location],
        "status": status,
        "statusDate": instant(max(dates)),
        "validationType": concept(VALIDATION_TYPE, "primary", "Primary Source") if registry_used else None,
        "validationProcess": [{"text": _process(verified, credential.verification_method, check is not None)}],
        "lastPerformed": instant(max(dates)),
    }
    if check is not None:
        outcome = "successful" if check.result in ALL_MATCH else "failed"
        source = NPPES + (" (online NPI Registry)" if check.via == "api" else
                          f" (monthly file of {check.source_date.isoformat()})" if check.source_date else "")
        resource["primarySource"] = [{
            "who": {"display": source},
            "type": [concept(PRIMARY_SOURCE_TYPE, "reg-auth", "Registration Authority")],
            "validationStatus": concept(VALIDATION_STATUS, outcome, outcome.title(), text=check.result),
            "validationDate": instant(check.checked_at),
        }]
    return pruned(resource)


def _process(verified: bool, method: VerificationMethod | None, checked: bool) -> str:
    parts = []
    if verified:
        parts.append(f"Checked by a moderator ({method.label.lower()})" if method else "Checked by a moderator")
    if checked:
        parts.append("compared automatically with the NPPES registry")
    text = "; ".join(parts)
    return text[0].upper() + text[1:]
