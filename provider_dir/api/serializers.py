"""Turn models into the JSON shapes of the public API."""

from __future__ import annotations

from datetime import date

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.listings.closures import closure_json
from provider_dir.listings.display import public_identifier, safe_web_url
from provider_dir.listings.models import Clinic
from provider_dir.scoring.serializers import clinic_score_json


def coded(member) -> dict:
    """Return a vocabulary member as its stable code and its label."""
    return {"code": member.value, "label": member.label}


def credential_json(credential: Credential, today: date | None = None) -> dict:
    """Return a credential as JSON, with its status as of today."""
    return {
        "kind": coded(credential.kind),
        "identifier": public_identifier(credential.kind, credential.identifier),
        "issuer": credential.issuer,
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        "status": coded(credential.effective_status(today)),
        "verified_at": credential.verified_at.isoformat() if credential.verified_at else None,
    }


def staff_json(member: StaffMember, today: date | None = None) -> dict:
    """Return a staff member with their credentials."""
    return {
        "name": member.full_name,
        "degree": member.degree,
        "role": coded(member.role),
        "bio": member.bio,
        "credentials": [credential_json(c, today) for c in member.credentials],
    }


def clinic_detail(clinic: Clinic, today: date | None = None) -> dict:
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
            "line": clinic.address_line,
        },
        "lat": clinic.latitude,
        "lon": clinic.longitude,
        "phone": clinic.phone or None,
        "website": safe_web_url(clinic.website),
        "hours": clinic.hours or None,
        "routes": [coded(r) for r in clinic.routes],
        "conditions": [coded(c) for c in clinic.conditions],
        "prices": {
            "per_infusion_usd": clinic.price_per_infusion_usd,
            "series_usd": clinic.price_series_usd,
            "series_infusions": clinic.series_infusions,
        },
        "insurance": coded(clinic.insurance),
        "languages": list(clinic.languages or []),
        "accessibility": clinic.accessibility or None,
        "accepting_new_patients": clinic.accepting_new_patients,
        "telehealth_intake": clinic.telehealth_intake,
        "last_verified_on": clinic.last_verified_on.isoformat() if clinic.last_verified_on else None,
        **closure_json(clinic, today),
        "has_verified_credentials": clinic.has_verified_credentials,
        "staff": [staff_json(m, today) for m in clinic.staff],
        "rating": {
            "average": clinic.rating_avg,
            "bayesian": clinic.rating_bayes,
            "count": clinic.rating_count,
        },
        "score": clinic_score_json(clinic),
    }
