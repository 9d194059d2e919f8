"""Fixtures of the claim, new-listing and held-edit queue tests."""

from __future__ import annotations

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.models.base import utcnow


@pytest.fixture
def moderator(create_user):
    """A moderator account with a confirmed address."""
    return create_user(role=UserRole.MODERATOR, email_confirmed_at=utcnow())
