"""Turn models into the JSON shapes of the public API."""

from __future__ import annotations

from datetime import date

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.listings.models import Clinic
from provider_dir.scoring.serializers import clinic_score_json


def credential_json(credential: Credential, today: date | None = None) -> dict:
    """Return a credential as JSON, with its status as of today."""
    return {
        "kind": credential.kind.value,
        "label": credential.kind.label,
        "identifier": credential.identifier,
        "issuer": credential.issuer,
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        "status": credential.effective_status(today).value,
        "verified_at": credential.verified_at.isoformat() if credential.verified_at else None,
    }


def staff_json(member: StaffMember) -> dict:
    """Return a staff member with their credentials."""
    return {
        "name": member.full_name,
        "degree": member.degree,
        "role": member.role.value,
        "role_label": member.role.label,
        "credentials": [credential_json(c) for c in member.credentials],
    }


def clinic_detail(clinic: Clinic) -> dict:
    """Return what the clinic page shows."""
    return {
        "slug": clinic.slug,
        "name": clinic.name,
        "description": clinic.description,
        "address": {
            "street": clinic.street,
            "city": clinic.city,
            "state": clinic.state,
            "zip": clinic.zip_code,
        },
        "lat": clinic.latitude,
        "lon": clinic.longitude,
        "phone": clinic.phone,
        "website": clinic.website,
        "hours": clinic.hours,
        "routes": [r.value for r in clinic.routes],
        "conditions": [c.value for c in clinic.conditions],
        "prices": {
            "per_infusion_usd": clinic.price_per_infusion_usd,
            "series_usd": clinic.price_series_usd,
            "series_infusions": clinic.series_infusions,
        },
        "insurance": clinic.insurance.value,
        "languages": list(clinic.languages or []),
        "accessibility": clinic.accessibility,
        "accepting_new_patients": clinic.accepting_new_patients,
        "telehealth_intake": clinic.telehealth_intake,
        "last_verified_on": clinic.last_verified_on.isoformat() if clinic.last_verified_on else None,
        "staff": [staff_json(m) for m in clinic.staff],
        "rating": {
            "average": clinic.rating_avg,
            "bayesian": clinic.rating_bayes,
            "count": clinic.rating_count,
        },
        "score": clinic_score_json(clinic),
    }
