"""Turn models into the JSON shapes of the public API."""

from __future__ import annotations

from datetime import date

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.hours.services import hours_text
from provider_dir.listings.closures import closure_json
from provider_dir.listings.display import public_identifier, safe_web_url
from provider_dir.listings.models import Clinic
from provider_dir.registry.services import OIG_SEARCH_URL, confirmed_exclusions, public_checks
from provider_dir.scoring.checklist.labels import exclusion_sentence, exclusion_type_label, registry_sentence
from provider_dir.scoring.serializers import clinic_score_json


def coded(member) -> dict:
    """Return a vocabulary member as its stable code and its label."""
    return {"code": member.value, "label": member.label}


def registry_json(check) -> dict | None:
    """Return a stored NPPES check as JSON (None when the credential was not checked)."""
    if check is None:
        return None
    return {
        "source": check.source,
        "via": check.via,
        "source_date": check.source_date.isoformat() if check.source_date else None,
        "result": check.result,
        "label": registry_sentence(check.what, check.result, check.checked_at, (check.detail or {}).get(
            "deactivated_on"), check.via),
        "checked_on": check.checked_at.date().isoformat(),
    }


def exclusion_json(match) -> dict | None:
    """Return a confirmed OIG exclusion as JSON (None when there is none)."""
    if match is None:
        return None
    return {
        "type": match.exclusion_type,
        "type_label": exclusion_type_label(match.exclusion_type),
        "excluded_on": match.excluded_on.isoformat() if match.excluded_on else None,
        "label": exclusion_sentence(match.exclusion_type, match.excluded_on),
        "oig_search_url": OIG_SEARCH_URL,
    }


def credential_json(credential: Credential, today: date | None = None, checks: dict | None = None) -> dict:
    """Return a credential as JSON, with its status as of today and its registry check."""
    return {
        "kind": coded(credential.kind),
        "identifier": public_identifier(credential.kind, credential.identifier),
        "issuer": credential.issuer,
        "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        "status": coded(credential.effective_status(today)),
        "verified_at": credential.verified_at.isoformat() if credential.verified_at else None,
        "registry": registry_json((checks or {}).get(credential.id)),
    }


def staff_json(member: StaffMember, today: date | None = None, checks: dict | None = None,
               exclusions: dict | None = None) -> dict:
    """Return a staff member with their credentials and any confirmed OIG exclusion."""
    return {
        "name": member.full_name,
        "degree": member.degree,
        "role": coded(member.role),
        "bio": member.bio,
        "credentials": [credential_json(c, today, checks) for c in member.credentials],
        "exclusion": exclusion_json((exclusions or {}).get(member.id)),
    }


def clinic_detail(clinic: Clinic, today: date | None = None) -> dict:
    """Return what the clinic page shows."""
    staff = list(clinic.staff)
    checks = public_checks(c.id for m in staff for c in m.credentials)
    exclusions = confirmed_exclusions(m.id for m in staff)
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
        "hours": hours_text(clinic) or None,
        "opening_hours": list(clinic.opening_hours or []),
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
        "staff": [staff_json(m, today, checks, exclusions) for m in staff],
        "rating": {
            "average": clinic.rating_avg,
            "bayesian": clinic.rating_bayes,
            "count": clinic.rating_count,
        },
        "score": clinic_score_json(clinic),
    }
