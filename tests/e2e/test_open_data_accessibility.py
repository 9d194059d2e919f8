"""axe-core in real Chromium on /open-data, before the first publication and with files listed: no serious one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.opendata.publish.files import publish
from tests.e2e.test_accessibility import OFF_MACHINE, assert_no_serious, axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_data_dir(live_app, tmp_path):
    previous = live_app.config["OPEN_DATA_DIR"]
    live_app.config["OPEN_DATA_DIR"] = str(tmp_path / "open_data")
    yield tmp_path / "open_data"
    live_app.config["OPEN_DATA_DIR"] = previous


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.route(OFF_MACHINE, lambda route: route.abort())
    yield page
    context.close()


def test_the_open_data_page_has_no_serious_violation(live_app, open_data_dir, tab):
    tab.goto("/open-data")
    expect(tab.get_by_text("No files have been published yet")).to_be_visible()
    assert_no_serious(axe_violations(tab, "open data, nothing published"))

    with live_app.app_context():
        tag = uuid.uuid4().hex[:6]
        db.session.add(Clinic(name=f"Open Data Clinic {tag}", slug=f"open-data-{tag}", street="1 Main St",
                              city="Cheyenne", state="WY", zip_code="82001", latitude=41.14, longitude=-104.82,
                              status=ClinicStatus.PUBLISHED))
        db.session.commit()
        publish(db.session, open_data_dir, datetime(2026, 12, 4, 6, 0, tzinfo=UTC))
        db.session.rollback()

    tab.goto("/")
    tab.get_by_role("link", name="Open data").click()
    expect(tab.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    expect(tab.get_by_role("link", name="hsds-datapackage.zip")).to_be_visible()
    assert_no_serious(axe_violations(tab, "open data, files listed"))
    with tab.expect_download() as download:
        tab.get_by_role("link", name="hsds-services.json").click()
    assert download.value.suggested_filename == "hsds-services.json"
