"""Fixtures for the scoring tests: a moderator and builders bound to the rolled-back session."""

import pytest

from provider_dir.extensions import db
from tests.scoring import builders


@pytest.fixture
def moderator(app):
    """A moderator account that verifies evidence."""
    return builders.make_moderator(db.session, builders.unique("Moderator Kim"))


@pytest.fixture
def exemplary(app, moderator):
    """Return a factory of clinics with every item verified."""
    return lambda **fields: builders.exemplary_clinic(db.session, moderator, **fields)
