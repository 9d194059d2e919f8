"""/clinics/<slug>: everything about a clinic, its staff's credentials and its approved reviews."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.listings.views import REVIEWS_PER_PAGE
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.reviews.vocab import ReviewStatus


@pytest.fixture
def clinic(create_clinic):
    return create_clinic(
        name="Aspen Ketamine Center",
        slug="aspen-ketamine-center",
        street="1550 Larimer Street",
        city="Denver",
        state="CO",
        zip_code="80202",
        phone="(303) 555-0142",
        website="https://aspen.example/ketamine",
        hours="Mon-Thu 8am-6pm\nFri 8am-2pm",
        description="Physician-led IV ketamine for depression and chronic pain.",
        routes=[Route.IV, Route.ESKETAMINE],
        conditions=[Condition.DEPRESSION, Condition.PTSD, Condition.CRPS],
        price_per_infusion_usd=495,
        price_series_usd=2700,
        series_infusions=6,
        insurance=InsuranceOption.SUPERBILL,
        languages=["English", "Spanish"],
        accessibility="Step-free entrance and an accessible restroom.",
        accepting_new_patients=True,
        telehealth_intake=True,
        last_verified_on=date(2026, 3, 7),
        rating_avg=4.5,
        rating_count=2,
    )


def test_clinic_page_shows_the_listing(client, clinic):
    response = client.get("/clinics/aspen-ketamine-center")
    html = response.text
    assert response.status_code == 200
    assert '<h1 id="clinic-name">Aspen Ketamine Center</h1>' in html
    assert "1550 Larimer Street, Denver, CO 80202" in html
    assert "Listing last verified" in html and "March 7, 2026" in html
    assert 'href="tel:+13035550142" class="key-phone-link">(303) 555-0142</a>' in html
    assert 'href="https://aspen.example/ketamine"' in html and ">aspen.example/ketamine</a>" in html
    assert "Mon-Thu 8am-6pm\nFri 8am-2pm" in html
    for label in ("IV infusion", "Esketamine nasal spray (Spravato)", "Depression", "PTSD", "CRPS"):
        assert label in html
    assert "IM injection" not in html and "Fibromyalgia" not in html
    assert "$495" in html and "$2,700" in html and "Series of 6 infusions" in html
    assert "Superbill for out-of-network claims" in html
    assert "English, Spanish" in html
    assert "Step-free entrance and an accessible restroom." in html
    assert "Accepting new patients" in html
    assert "Offered: first consultation by video" in html
    assert "Physician-led IV ketamine" in html
    assert "4.5" in html and "2 reviews" in html


def test_partials_from_other_features_are_optional(client, clinic):
    # The score and review summary partials belong to other features; the page works without them.
    assert client.get("/clinics/aspen-ketamine-center").status_code == 200


def test_clinic_page_without_optional_facts(client, create_clinic):
    create_clinic(slug="bare-clinic", name="Bare Clinic", website="", phone="", price_per_infusion_usd=None,
                  accepting_new_patients=False)
    html = client.get("/clinics/bare-clinic").text
    assert "Not accepting new patients" in html
    assert "Listing not yet verified" in html
    assert "Ask the clinic" in html
    assert "The clinic has not listed its staff yet." in html
    assert "No published reviews yet." in html
    assert "Website" not in html


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)",
     "data:text/html,<script>alert(1)</script>", "ftp://files.example", "//evil.example", "https:///nohost",
     "https://ok.example/\njavascript:alert(1)"],
)
def test_only_http_websites_become_links(client, create_clinic, website):
    create_clinic(slug="risky-site", website=website)
    html = client.get("/clinics/risky-site").text
    assert 'href="javascript' not in html.lower()
    assert "href=\"data:" not in html
    assert website.strip() not in html or "&lt;script&gt;" in html


def test_staff_with_roles_degrees_and_credential_badges(client, clinic, add_staff, create_user):
    today = date.today()
    moderator = create_user(role=UserRole.MODERATOR, display_name="Moderator Ines")
    add_staff(
        clinic,
        role=StaffRole.ANESTHESIOLOGIST,
        full_name="Maya Okafor",
        degree="MD",
        credentials=[
            Credential(kind=CredentialKind.NPI, identifier="1234567893", issuer="CMS NPPES",
                       status=CredentialStatus.VERIFIED, verified_by=moderator,
                       verified_at=datetime(2026, 2, 11, 9, 0, tzinfo=UTC)),
            Credential(kind=CredentialKind.STATE_LICENSE, identifier="DR.0048211", issuer="Colorado Medical Board",
                       expires_on=date(2031, 4, 30)),
            # Verified once, but its expiry date has passed: it shows expired with no job having run.
            Credential(kind=CredentialKind.ACLS, issuer="American Heart Association",
                       expires_on=today - timedelta(days=1), status=CredentialStatus.VERIFIED,
                       verified_at=datetime(2024, 1, 5, tzinfo=UTC)),
            # Marked verified, but nobody is on record as having checked it: it must not say "Verified".
            Credential(kind=CredentialKind.BLS, issuer="American Red Cross", expires_on=today,
                       status=CredentialStatus.VERIFIED, verified_at=datetime(2025, 6, 1, tzinfo=UTC)),
            Credential(kind=CredentialKind.DEA, identifier="BO1234563", issuer="DEA"),
        ],
    )
    add_staff(clinic, role=StaffRole.CRNA, full_name="Daniel Reyes", degree="CRNA", bio="Runs every infusion.")
    html = client.get("/clinics/aspen-ketamine-center").text

    assert "Maya Okafor, MD" in html and "Anesthesiologist" in html
    assert "Daniel Reyes, CRNA" in html and "Certified registered nurse anesthetist (CRNA)" in html
    assert "Runs every infusion." in html
    maya = html.split("Maya Okafor, MD", 1)[1].split("</tbody>", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r'data-kind="([a-z_]+)">(.*?)</tr>', maya, re.S)}
    assert "1234567893" in rows["npi"] and "CMS NPPES" in rows["npi"]
    assert "Verified</span>" in rows["npi"] and "by Moderator Ines, Feb 11, 2026" in rows["npi"]
    assert "Self-reported" in rows["state_license"] and "April 30, 2031" in rows["state_license"]
    assert "Colorado Medical Board" in rows["state_license"]
    assert 'class="badge badge-expired">Expired' in rows["acls"]
    assert "Verified" not in rows["acls"]
    assert "Unconfirmed" in rows["bls"] and "no record of who confirmed it or when" in rows["bls"]
    assert "Verified" not in rows["bls"]
    assert "BO1234563" not in html and "•••••4563" in rows["dea"]


def test_only_approved_reviews_show_with_pseudonym_and_month_only(client, clinic, add_review, create_user):
    author = create_user(display_name="quiet_heron", email="heron@example.test")
    add_review(clinic, rating=4, author=author, title="Careful with my blood pressure",
               body="They checked my vitals every 15 minutes.", created_at=datetime(2025, 7, 14, 15, 30, tzinfo=UTC))
    add_review(clinic, rating=1, status=ReviewStatus.PENDING, title="Pending words", body="Not yet moderated.")
    add_review(clinic, rating=2, status=ReviewStatus.REJECTED, title="Rejected words", body="Withheld.")
    add_review(clinic, rating=3, status=ReviewStatus.WITHDRAWN, title="Withdrawn words", body="Taken back.")
    html = client.get("/clinics/aspen-ketamine-center").text

    assert "Careful with my blood pressure" in html and "They checked my vitals every 15 minutes." in html
    assert "quiet_heron" in html and "heron@example.test" not in html
    assert "July 2025" in html and "July 14" not in html and "2025-07-14" not in html
    assert "4 out of 5" in html
    assert re.search(r"<strong>1</strong> published review\b", html)
    for hidden in ("Pending words", "Rejected words", "Withdrawn words"):
        assert hidden not in html


def test_review_text_is_rendered_as_text(client, clinic, add_review):
    add_review(clinic, title="<b>bold</b>", body='<script>alert("x")</script><img src=x onerror=alert(1)>')
    html = client.get("/clinics/aspen-ketamine-center").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_reviews_paginate_newest_first(app, client, clinic, add_review):
    per_page = REVIEWS_PER_PAGE
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(per_page + 1):
        review = add_review(clinic, title=f"Visit number {i:02d}")
        review.published_at = start + timedelta(days=i)
    first = client.get("/clinics/aspen-ketamine-center").text
    assert f"Visit number {per_page:02d}" in first and "Visit number 00" not in first
    assert first.index(f"Visit number {per_page:02d}") < first.index(f"Visit number {per_page - 1:02d}")
    assert 'href="/clinics/aspen-ketamine-center?page=2#reviews"' in first
    second = client.get("/clinics/aspen-ketamine-center?page=2")
    assert second.status_code == 200 and "Visit number 00" in second.text
    assert client.get("/clinics/aspen-ketamine-center?page=3").status_code == 404
    assert client.get("/clinics/aspen-ketamine-center?page=abc").status_code == 400


@pytest.mark.parametrize("status", [ClinicStatus.DRAFT, ClinicStatus.SUSPENDED])
def test_unpublished_clinics_are_404(client, create_clinic, status):
    create_clinic(slug="not-shown", status=status)
    response = client.get("/clinics/not-shown")
    assert response.status_code == 404
    assert "No published clinic has that address" in response.text


@pytest.mark.parametrize("slug", ["no-such-clinic", "x" * 500, "%00", "..%2F..%2Fetc"])
def test_unknown_slugs_are_404(client, slug):
    assert client.get(f"/clinics/{slug}").status_code == 404
