"""A live server on its own database, and a real headless Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from provider_dir import create_app
from provider_dir.config import PROJECT_ROOT
from tests.conftest import TEST_CONFIG
from tests.databases import database_url
from tests.mailbox import delivering

CHROMIUM = "/usr/bin/chromium"
# Without these Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, smtp_server):
    """An app on its own migrated database, with CSRF on, as a browser sees it; mail goes to the test server."""
    url = database_url("e2e", tmp_path_factory.mktemp("e2e"))
    config = {
        **TEST_CONFIG,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": True,
        "MAIL_URL": smtp_server.url,
        "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("e2e-uploads")),
    }
    app = create_app(config)
    with app.app_context():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    smtp_server.mailbox.drainers.append(delivering(app))  # the browser tests read what the worker would send
    return app


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    """Serve the live app on a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def live_db(live_app):
    """An app context on the live server's database; what a test commits there the browser sees."""
    with live_app.app_context():
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser tab (own cookies) with the live server as its base URL."""
    context = browser.new_context(base_url=live_server)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
