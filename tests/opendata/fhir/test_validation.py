"""Every exported resource is valid FHIR R4 (4.0.1): fhirclient's R4 models read it strictly, and whole."""

from __future__ import annotations

import re

import pytest
from fhirclient.models import (
    healthcareservice,
    location,
    organization,
    practitioner,
    practitionerrole,
    verificationresult,
)
from fhirclient.models.fhirabstractbase import FHIRValidationError

from provider_dir.opendata.fhir.export import RESOURCE_TYPES

# fhirclient 4.x: classes generated from FHIR 4.0.1 (R4), strict by default.
MODELS = {
    "Organization": organization.Organization,
    "Location": location.Location,
    "HealthcareService": healthcareservice.HealthcareService,
    "Practitioner": practitioner.Practitioner,
    "PractitionerRole": practitionerrole.PractitionerRole,
    "VerificationResult": verificationresult.VerificationResult,
}
ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR R4 id datatype
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?")  # FHIR R4 time datatype


def empty_values(value, path="") -> list[str]:
    """Return the paths of values FHIR JSON forbids: empty strings, arrays and objects, nulls."""
    if value in ("", [], {}, None):
        return [path]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in empty_values(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in empty_values(item, f"{path}[{i}]")]
    if isinstance(value, str) and not value.strip():
        return [path]
    return []


def test_the_models_are_fhir_r4():
    source = practitioner.__file__
    with open(source, encoding="utf-8") as handle:
        assert "Generated from FHIR 4.0.1" in handle.read(400)


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
def test_every_resource_reads_strictly_as_an_r4_model_and_nothing_is_lost(demo_export, resource_type):
    resources = demo_export[resource_type]
    assert resources, f"the demo data gives no {resource_type}"
    model = MODELS[resource_type]
    for resource in resources:
        try:
            parsed = model(resource, strict=True)
        except FHIRValidationError as exc:
            pytest.fail(f"{resource_type}/{resource['id']} is not valid R4: {exc}")
        assert parsed.as_json() == resource  # every element was an R4 element of the right type
        assert not empty_values(resource), empty_values(resource)
        assert ID.fullmatch(resource["id"])


def test_ids_are_unique_and_every_reference_resolves_inside_the_export(demo_export):
    known = set()
    for resource_type in RESOURCE_TYPES:
        ids = [r["id"] for r in demo_export[resource_type]]
        assert len(ids) == len(set(ids))
        known |= {f"{resource_type}/{i}" for i in ids}

    def references(value):
        if isinstance(value, dict):
            if "reference" in value:
                yield value["reference"]
            for item in value.values():
                yield from references(item)
        elif isinstance(value, list):
            for item in value:
                yield from references(item)

    dangling = {ref for t in RESOURCE_TYPES for r in demo_export[t] for ref in references(r)} - known
    assert not dangling


def test_hours_are_fhir_times(demo_export):
    times = [t for loc in demo_export["Location"] for h in loc.get("hoursOfOperation", [])
             for t in (h.get("openingTime"), h.get("closingTime")) if t]
    assert times
    assert all(TIME.fullmatch(t) for t in times)


def test_the_validator_refuses_what_r4_does_not_have():
    # `availability` replaced availableTime in R5: a resource written for R5 must not pass as R4.
    with pytest.raises(FHIRValidationError):
        practitionerrole.PractitionerRole({"resourceType": "PractitionerRole", "availability": [{}]})
    with pytest.raises(FHIRValidationError):  # wrong type: active is a boolean
        practitioner.Practitioner({"resourceType": "Practitioner", "active": "yes"})
