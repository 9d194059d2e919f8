"""A clinic as Plan-Net Organization, Location and HealthcareService resources."""

from __future__ import annotations

from datetime import date

from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.base import from_mask
from provider_dir.opendata.fhir import codes
from provider_dir.opendata.fhir.common import (
    address,
    availability_note,
    closed_for_now,
    concept,
    last_updated,
    meta,
    new_patients,
    opening_times,
    pruned,
    reference,
    resource_id,
    telecom,
    uuid_identifier,
)
from provider_dir.opendata.fhir.records import ClinicRow


def _meta(resource_type: str, clinic: ClinicRow) -> dict:
    value = meta(resource_type)
    if (updated := last_updated(clinic)) is not None:
        value["lastUpdated"] = updated
    return value


def organization(clinic: ClinicRow) -> dict:
    """Return the clinic as the organisation that runs it (Plan-Net Organization, a provider group)."""
    resource = {
        "resourceType": "Organization",
        "id": resource_id("Organization", clinic.id),
        "meta": _meta("Organization", clinic),
        "identifier": [uuid_identifier("Organization", clinic.id)],
        "active": True,
        "type": [concept(codes.ORG_TYPE, "prvgrp", "Provider Group")],
        "name": clinic.name,
        "telecom": telecom(clinic),
        "address": [address(clinic)],
    }
    if clinic.description.strip():
        resource["extension"] = [{"url": codes.extension("org-description"), "valueString": clinic.description}]
    return pruned(resource)


def location(clinic: ClinicRow, today: date) -> dict:
    """Return the clinic's premises: address, position, opening hours and whether it takes new patients."""
    extensions = [new_patients(clinic.accepting_new_patients and not closed_for_now(clinic, today))]
    if clinic.accessibility.strip():
        # Plan-Net's accessibility codes are an extensible binding: our free text goes in as the concept's text.
        extensions.append({"url": codes.extension("accessibility"),
                           "valueCodeableConcept": {"text": clinic.accessibility.strip()}})
    resource = {
        "resourceType": "Location",
        "id": resource_id("Location", clinic.id),
        "meta": _meta("Location", clinic),
        "extension": extensions,
        "identifier": [uuid_identifier("Location", clinic.id)],
        "status": "active",
        "name": clinic.name,
        "telecom": telecom(clinic, website=False),
        "address": address(clinic),
        "position": {"longitude": clinic.longitude, "latitude": clinic.latitude},
        "managingOrganization": reference("Organization", clinic.id, clinic.name),
        "hoursOfOperation": opening_times(clinic.opening_hours or [], "openingTime", "closingTime"),
        "availabilityExceptions": availability_note(clinic, today),
    }
    return pruned(resource)


def clinic_specialties(clinic: ClinicRow) -> list[dict]:
    """Return the NUCC clinic types that fit what the clinic offers (infusions, mental health, pain)."""
    routes = set(from_mask(clinic.routes_mask or 0, Route))
    conditions = set(from_mask(clinic.conditions_mask or 0, Condition))
    found = []
    if routes & codes.INFUSION_ROUTES:
        found.append("261QI0500X")
    if conditions - codes.PAIN_CONDITIONS:
        found.append("261QM0801X")
    if conditions & codes.PAIN_CONDITIONS:
        found.append("261QP3300X")
    return [concept(codes.NUCC, code, codes.CLINIC_TAXONOMIES[code]) for code in found]


def healthcare_service(clinic: ClinicRow, today: date) -> dict:
    """Return the clinic's ketamine treatment: category, NUCC specialties, routes, conditions and hours."""
    routes = from_mask(clinic.routes_mask or 0, Route)
    conditions = from_mask(clinic.conditions_mask or 0, Condition)
    closed = closed_for_now(clinic, today)
    resource = {
        "resourceType": "HealthcareService",
        "id": resource_id("HealthcareService", clinic.id),
        "meta": _meta("HealthcareService", clinic),
        "extension": [
            new_patients(clinic.accepting_new_patients and not closed),
            {"url": codes.extension("delivery-method"),
             "extension": [{"url": "type",
                            "valueCodeableConcept": concept(codes.DELIVERY_METHOD, "physical", "Physical")}]},
        ],
        "identifier": [uuid_identifier("HealthcareService", clinic.id)],
        "active": True,
        "providedBy": reference("Organization", clinic.id, clinic.name),
        "category": [concept(codes.SERVICE_CATEGORY, "behav", "Behavioral Health")],
        "type": [{"text": f"Ketamine treatment: {route.label}"} for route in routes],
        "specialty": clinic_specialties(clinic),
        "location": [reference("Location", clinic.id, clinic.name)],
        "name": f"Ketamine treatment at {clinic.name}",
        "comment": "Ketamine treatment: " + ", ".join(r.label for r in routes) if routes else "",
        "telecom": telecom(clinic),
        "characteristic": [{"text": f"Treats {condition.label}"} for condition in conditions],
        "availableTime": opening_times(clinic.opening_hours or [], "availableStartTime", "availableEndTime"),
        "availabilityExceptions": availability_note(clinic, today),
    }
    if closed:
        during = {"end": clinic.reopens_on.isoformat()} if clinic.reopens_on else {}
        resource["notAvailable"] = [{"description": "Temporarily closed", **({"during": during} if during else {})}]
    return pruned(resource)
