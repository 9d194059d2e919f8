"""Fixtures for account administration: a logged-in admin's client."""

from __future__ import annotations

import pytest

from provider_dir.accounts.vocab import UserRole
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def admin(create_user):
    """An admin account."""
    return create_user(role=UserRole.ADMIN, display_name="site_admin")


@pytest.fixture
def admin_client(app, admin):
    """A test client logged in as the admin."""
    client = app.test_client()
    client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD})
    return client


def logged_in(app, user):
    """Return a new test client logged in as user."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client
