"""Where pytest-alembic finds the migrations and the empty database it runs them on."""

import pytest

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
