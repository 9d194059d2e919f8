"""pytest-alembic's built-in checks: upgrade from empty to head, downgrade back, no model drift."""

from pytest_alembic.tests import (  # noqa: F401 - collected as tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
