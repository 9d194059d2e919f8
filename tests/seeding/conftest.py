"""A database holding the demo data for a whole module, loaded once through `flask seed` and rolled back."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db


@pytest.fixture(scope="module")
def demo_app(base_app):
    """The app with the demo data loaded by the seed command, inside a transaction undone after the module.

    Tests using it must not also use the function-scoped `app`/`client` fixtures (they swap the engines).
    """
    with base_app.app_context():
        engines = db.engines
        originals = dict(engines)
        opened = []
        for key, engine in originals.items():
            connection = engine.connect()
            transaction = connection.begin()
            engines[key] = connection
            opened.append((connection, transaction))
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            result = base_app.test_cli_runner().invoke(args=["seed"])
            assert result.exit_code == 0, result.output
            base_app.config["DEMO_SEED_OUTPUT"] = result.output
            yield base_app
        finally:
            base_app.config.pop("DEMO_SEED_OUTPUT", None)
            db.session.remove()
            for connection, transaction in opened:
                transaction.rollback()
                connection.close()
            engines.update(originals)
