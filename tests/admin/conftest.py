"""Fixtures for account administration: a logged-in admin's client."""

from __future__ import annotations

import pytest

from provider_dir.accounts.vocab import UserRole
from tests.conftest import TEST_PASSWORD
from tests.second_factor import log_in


@pytest.fixture
def admin(create_user):
    """An admin account."""
    return create_user(role=UserRole.ADMIN, display_name="site_admin")


@pytest.fixture
def admin_client(app, admin):
    """A test client logged in as the admin."""
    client = app.test_client()
    log_in(client, admin, TEST_PASSWORD)
    return client


def logged_in(app, user):
    """Return a new test client logged in as user."""
    client = app.test_client()
    response = log_in(client, user, TEST_PASSWORD)
    assert response.status_code == 302
    return client
