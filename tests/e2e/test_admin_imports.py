"""In a real browser: an admin uploads a file, reads the dry run, cancels or confirms, and undoes an import.

The pages pass axe-core with no serious or critical violation; the imported listing's page says where it came from.
"""

from __future__ import annotations

import random
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import assert_no_serious, axe_violations
from tests.e2e.test_accessibility import tab as tab  # noqa: F401, PLC0414 - the fixture, reused
from tests.e2e.test_review_flow import log_in
from tests.imports.conftest import csv_text, row
from tests.second_factor import give_second_factor

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_db, tmp_path):
    """An admin account and a CSV of two good rows and one bad, all named uniquely for this test."""
    tag = uuid.uuid4().hex[:8]
    admin = User(email=f"importer-{tag}@e2e.test", display_name=f"importer_{tag}", password_hash=hashed_password(),
                 role=UserRole.ADMIN, email_confirmed_at=utcnow())  # fmt: skip
    db.session.add(admin)
    db.session.flush()
    give_second_factor(admin.id)  # as the site requires of admins
    db.session.commit()
    email = admin.email
    db.session.remove()
    digits = random.SystemRandom()
    rows = [row(f"{tag}-1", name=f"Aspen {tag} Ketamine", zip_code="59101", city="Billings", state="MT",
                phone=f"406-{digits.randint(200, 999)}-{digits.randint(1000, 9999)}"),
            row(f"{tag}-2", name=f"Juniper {tag} Infusions", zip_code="82001", city="Cheyenne", state="WY",
                phone=f"307-{digits.randint(200, 999)}-{digits.randint(1000, 9999)}"),
            row(f"{tag}-3", name=f"Broken {tag}", zip_code="ABCDE")]  # fmt: skip
    path = tmp_path / f"clinics-{tag}.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    return {"admin": email, "tag": tag, "file": path, "source": f"Public list {tag}"}


def _upload(page: Page, world) -> None:
    page.goto("/admin/imports")
    page.get_by_label(re.compile("Source name")).fill(world["source"])
    page.get_by_label(re.compile("File: CSV")).set_input_files(world["file"])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name=re.compile("What importing"))).to_be_visible()


def test_upload_then_cancel_imports_nothing(tab: Page, world):
    log_in(tab, world["admin"])
    _upload(tab, world)
    expect(tab.locator(".import-counts")).to_have_text("created 2, updated 0, unchanged 0, refused 1, duplicates 0")
    expect(tab.locator(".import-report")).to_contain_text("line 4: zip: Enter a 5-digit ZIP code")
    assert_no_serious(axe_violations(tab, "import dry run"))

    tab.get_by_role("button", name="Cancel and delete the upload").click()

    expect(tab.get_by_role("status")).to_contain_text("was not imported, and the uploaded file was deleted")
    expect(tab.locator(".import-runs")).not_to_contain_text(world["source"])
    tab.goto(f"/clinics/aspen-{world['tag']}-ketamine-billings-mt")
    expect(tab.get_by_role("heading", name=re.compile("not found|no published clinic", re.I))).to_be_visible()


def test_upload_confirm_show_provenance_then_undo(tab: Page, world):
    log_in(tab, world["admin"])
    _upload(tab, world)

    tab.get_by_role("button", name=re.compile("Confirm: import 2 new")).click()

    expect(tab.get_by_role("status")).to_contain_text("created 2, updated 0, unchanged 0, refused 1, duplicates 0")
    run_url = tab.url
    assert_no_serious(axe_violations(tab, "import record"))
    tab.goto("/admin/imports")
    past = tab.locator(".import-runs tr").filter(has_text=world["source"])
    expect(past).to_contain_text(f"importer_{world['tag']}")
    expect(past).to_contain_text("2")
    assert_no_serious(axe_violations(tab, "imports list"))

    slug = f"aspen-{world['tag']}-ketamine-billings-mt"
    tab.goto(f"/clinics/{slug}")
    notice = tab.get_by_role("complementary", name="Where this listing comes from")
    expect(notice).to_contain_text("Compiled from public sources on")
    expect(notice).to_contain_text("not yet confirmed by the clinic")
    expect(notice.get_by_role("link", name="Is this your clinic? Claim it")).to_be_visible()
    assert_no_serious(axe_violations(tab, "imported clinic page"))

    tab.goto(run_url)
    tab.get_by_role("button", name="Undo this import").click()

    expect(tab.get_by_role("status")).to_contain_text("Undone: removed 2 listings, kept 0.")
    expect(tab.locator(".undo-report")).to_contain_text(f"removed {slug}")
    response = tab.goto(f"/clinics/{slug}")
    assert response.status == 404
