"""In a real browser: markup stored in a review, a listing and a staff bio shows as text and never runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from provider_dir.accounts.models import User
from provider_dir.credentials.models import StaffMember
from provider_dir.credentials.vocab import StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from tests.conftest import test_password_hash as hashed_password

pytestmark = pytest.mark.e2e

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'


@pytest.fixture
def world(live_db):
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(
        name=f"Stored Markup Ketamine {tag}", slug=f"stored-markup-{tag}", street="1 Test Way", city="Seattle",
        state="WA", zip_code="98101", latitude=47.61, longitude=-122.33, status=ClinicStatus.PUBLISHED,
        description=f"Listing text {SCRIPT} and {IMG} end of listing",
    )  # fmt: skip
    author = User(email=f"author-{tag}@e2e.test", display_name=f"author_{tag}", password_hash=hashed_password())
    review = Review(
        clinic=clinic, author=author, rating_overall=4, would_recommend=True, status=ReviewStatus.APPROVED,
        published_at=datetime.now(UTC), title=f"Title {SCRIPT}"[:120],
        body=f"Review body {SCRIPT} then {IMG} and the nurse stayed in the room throughout.",
    )  # fmt: skip
    member = StaffMember(clinic=clinic, role=StaffRole.MEDICAL_DIRECTOR, full_name=f"Dana Markup {tag}",
                         degree="MD", bio=f"Staff bio {IMG} {SCRIPT}")  # fmt: skip
    db.session.add_all([clinic, author, review, member])
    slug = clinic.slug
    db.session.commit()
    # Reading an expired attribute now would open a write transaction on SQLite and lock out the server.
    db.session.remove()
    return slug


def test_stored_markup_is_shown_as_text_and_nothing_runs(page: Page, world):
    response = page.goto(f"/clinics/{world}")
    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy")
    assert csp is not None and "script-src 'self'" in csp
    page.get_by_text("About the clinic, in its own words").click()  # the listing's own text is folded away
    for text in (f"Listing text {SCRIPT} and {IMG} end of listing", f"Title {SCRIPT}",
                 f"Review body {SCRIPT} then {IMG}", f"Staff bio {IMG} {SCRIPT}"):  # fmt: skip
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
    # No element was made from the stored markup: the only <img> and <script> tags are the site's own.
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script:not([src])").count() == 0
    page.wait_for_timeout(300)  # give an onerror handler time to fire, were there one
    assert page.evaluate("window.__pwned") is None
