"""Fixtures of the portal's listing, claim and dashboard tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.models.base import utcnow


def listing_form(**overrides) -> dict:
    """Return a complete, valid submission of the owner's listing form."""
    data = {
        "description": "Ketamine infusions with an anesthesiologist present for every session.",
        "street": "1600 Blake Street",
        "city": "Denver",
        "state": "CO",
        "zip_code": "80202",
        "phone": "(303) 555-0100",
        "website": "https://calm-mind.example",
        "hours": "Mon-Fri 8-18",
        "routes": ["iv_infusion", "esketamine_nasal"],
        "conditions": ["depression", "ptsd"],
        "price_per_infusion_usd": "475",
        "price_series_usd": "2600",
        "series_infusions": "6",
        "insurance": "superbill",
        "languages": "English, Spanish",
        "accessibility": "Step-free entrance",
        "accepting_new_patients": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def confirmed_user(create_user) -> Callable[..., User]:
    """Return a factory for accounts whose email address is confirmed."""

    def make(role: UserRole = UserRole.PATIENT, **fields) -> User:
        fields.setdefault("email_confirmed_at", utcnow())
        return create_user(role=role, **fields)

    return make


@pytest.fixture
def moderator(create_user) -> User:
    """A moderator account."""
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
