"""`st run URL --checks all` against a served copy (gunicorn on loopback with the demo data), for both documents.

This is how a new user would try the API: the schemathesis command line with every check on, nothing configured.
The example counts are bounded so that both runs take well under two minutes on two cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from provider_dir.extensions import db
from provider_dir.seeding.demo import load_demo
from tests.databases import database_url
from tests.served import Gunicorn, migrated_app

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 30
ST = Path(sys.executable).with_name("st")


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory):
    """The demo data served by gunicorn (2 workers, rate limits off as for any test server)."""
    folder = tmp_path_factory.mktemp("st-served")
    url = database_url("st_served", folder)
    app = migrated_app(url)
    with app.app_context():
        load_demo(db.session)
        db.session.commit()
        db.engine.dispose()
    with Gunicorn(url, workers=2, log_path=folder / "gunicorn.log") as server:
        yield server, folder


@pytest.mark.parametrize("document", ["/api/v1/openapi.json", "/hsds/openapi.json"])
def test_the_document_passes_every_schemathesis_check(served_demo, document):
    server, folder = served_demo
    run = subprocess.run(  # noqa: S603 - our own interpreter's schemathesis, a loopback URL
        [str(ST), "run", server.base_url + document, "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
         "--generation-deterministic", "--workers", "1", "--no-color",
         "--request-timeout", "30"],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    assert "No issues found" in report or " passed" in report
    assert "Missing test data" not in report, report  # every operation reached with real data
    assert "Schema Error" not in report, report
