"""pytest-alembic's built-in checks: upgrade from empty to head, downgrade back, no model drift."""

import pytest
from pytest_alembic.tests import (  # noqa: F401 - collected as tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from provider_dir.config import PROJECT_ROOT


@pytest.fixture
def alembic_config():
    """Point pytest-alembic at the project's migrations."""
    return {
        "file": str(PROJECT_ROOT / "migrations" / "alembic.ini"),
        "script_location": str(PROJECT_ROOT / "migrations"),
    }


@pytest.fixture
def alembic_engine(migrations_engine):
    """Run the migration tests on their own empty database."""
    return migrations_engine
