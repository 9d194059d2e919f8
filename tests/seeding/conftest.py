"""A database holding the demo data for a whole module, loaded once through `flask seed` and rolled back."""

from __future__ import annotations

import pytest

from tests.conftest import rolled_back


@pytest.fixture(scope="module")
def demo_app(base_app):
    """The app with the demo data loaded by the seed command, inside a transaction undone after the module.

    Tests using it must not also use the function-scoped `app`/`client` fixtures (they swap the engines).
    """
    with rolled_back(base_app):
        result = base_app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code == 0, result.output
        base_app.config["DEMO_SEED_OUTPUT"] = result.output
        try:
            yield base_app
        finally:
            base_app.config.pop("DEMO_SEED_OUTPUT", None)
