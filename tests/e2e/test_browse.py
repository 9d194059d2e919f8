"""A person opens the site, browses to a clinic and reads its staff credentials and a review (real Chromium)."""

import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from provider_dir.accounts.models import User
from provider_dir.accounts.passwords import hash_password
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, Route
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

pytestmark = pytest.mark.e2e


@pytest.fixture
def published_clinic(live_db):
    """Commit a clinic in Anchorage (first in the directory) with a verified doctor and an approved review."""
    tag = uuid.uuid4().hex[:8]
    clinic = Clinic(
        name=f"Aurora Ketamine Care {tag}", slug=f"aurora-ketamine-care-{tag}", street="420 L Street",
        city="Anchorage", state="AK", zip_code="99501", latitude=61.2181, longitude=-149.9003,
        status=ClinicStatus.PUBLISHED, price_per_infusion_usd=450, rating_avg=5.0, rating_count=1,
    )
    clinic.routes = [Route.IV]
    clinic.conditions = [Condition.DEPRESSION, Condition.PTSD]
    doctor = StaffMember(clinic=clinic, full_name="Ines Halvorsen", degree="MD", role=StaffRole.MEDICAL_DIRECTOR)
    checker = User(email=f"checker-{tag}@example.test", display_name=f"checker_{tag}",
                   password_hash=hash_password(uuid.uuid4().hex), role=UserRole.MODERATOR)
    doctor.credentials = [
        Credential(kind=CredentialKind.NPI, identifier="1234567893", issuer="CMS NPPES",
                   status=CredentialStatus.VERIFIED, verified_by=checker, verified_at=datetime(2026, 4, 2, tzinfo=UTC)),
    ]
    author = User(email=f"reviewer-{tag}@example.test", display_name=f"north_light_{tag}",
                  password_hash=hash_password(uuid.uuid4().hex))
    review = Review(
        clinic=clinic, author=author, rating_overall=5, status=ReviewStatus.APPROVED,
        title="They watched my blood pressure the whole time",
        body="A nurse sat with me for the full infusion and my partner drove me home.",
        published_at=datetime.now(UTC),
    )
    db.session.add_all([clinic, doctor, author, review, checker])
    db.session.commit()
    yield clinic
    db.session.remove()


def tag_of(clinic) -> str:
    return clinic.slug[-8:]


def test_browse_from_home_to_a_clinic(page, published_clinic):
    errors = []  # a CSP violation or a missing file shows up here
    # Map tiles would come from off the machine: they are refused, and their failures are not the site's.
    page.route("https://**/*", lambda route: route.abort())
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.location.get("url", "").startswith("https://") else None)
    page.goto("/")
    assert "fictional" in page.locator(".demo-banner").inner_text()
    assert page.get_by_label("ZIP code or city").is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="All clinics").click()
    page.wait_for_url("**/clinics")
    assert page.get_by_role("heading", name="Alaska").is_visible()
    page.get_by_role("link", name=published_clinic.name).click()

    page.wait_for_url(f"**/clinics/{published_clinic.slug}")
    assert page.get_by_role("heading", level=1).inner_text() == published_clinic.name
    assert "420 L Street, Anchorage, AK 99501" in page.locator(".clinic-address").inner_text()

    staff = page.locator("#staff tbody", has_text="Ines Halvorsen, MD")
    assert "Medical director" in staff.inner_text()
    badge = staff.locator(".badge-verified")
    assert badge.inner_text().strip() == "✓ Verified"
    assert badge.is_visible()
    assert f"by checker_{tag_of(published_clinic)}, Apr 2, 2026" in staff.locator(".credential-note").inner_text()

    reviews = page.locator("#reviews")
    assert "They watched my blood pressure the whole time" in reviews.inner_text()
    assert "A nurse sat with me for the full infusion" in reviews.inner_text()
    assert f"north_light_{published_clinic.slug[-8:]}" in reviews.inner_text()
    assert "5 out of 5" in reviews.locator(".rv-rating").first.inner_text()
    assert errors == []


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    # The fragment navigation reaches page.url a moment after the key press: wait for it rather than read at once.
    expect(page).to_have_url(re.compile(r"#main$"))


def test_the_page_fits_a_small_phone(browser, live_server, published_clinic):
    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    tab = context.new_page()
    try:
        for path in ("/", "/clinics", f"/clinics/{published_clinic.slug}"):
            tab.goto(path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways on a 360 px screen"
    finally:
        context.close()
