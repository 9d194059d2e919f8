"""/api/v1/clinics/<slug>: what the clinic page shows, as JSON."""

from datetime import UTC, date, datetime, timedelta

import pytest

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route


@pytest.fixture
def clinic(create_clinic, add_staff):
    clinic = create_clinic(
        name="Harbor Ketamine", slug="harbor-ketamine", street="12 Pier Road", city="Boston", state="MA",
        zip_code="02108", latitude=42.3588, longitude=-71.0707, phone="(617) 555-0100",
        website="https://harbor.example", hours="Mon-Fri 9-5", routes=[Route.IV, Route.IM],
        conditions=[Condition.ANXIETY, Condition.MIGRAINE], price_per_infusion_usd=520, price_series_usd=2900,
        series_infusions=6, insurance=InsuranceOption.IN_NETWORK, languages=["English", "Portuguese"],
        accessibility="Lift to the second floor.", telehealth_intake=True, last_verified_on=date(2026, 2, 1),
        rating_avg=4.25, rating_bayes=4.1, rating_count=8, score_total=72.5,
    )
    add_staff(
        clinic, role=StaffRole.PSYCHIATRIST, full_name="Lena Park", degree="MD",
        credentials=[
            Credential(kind=CredentialKind.NPI, identifier="1234567893", issuer="CMS NPPES",
                       status=CredentialStatus.VERIFIED, verified_at=datetime(2026, 1, 20, tzinfo=UTC)),
            Credential(kind=CredentialKind.ACLS, issuer="AHA", status=CredentialStatus.VERIFIED,
                       expires_on=date.today() - timedelta(days=3)),
            Credential(kind=CredentialKind.DEA, identifier="BP7654321", issuer="DEA"),
        ],
    )
    return clinic


def test_clinic_json_has_what_the_page_shows(client, clinic):
    response = client.get("/api/v1/clinics/harbor-ketamine")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.json
    assert body["slug"] == "harbor-ketamine"
    assert body["name"] == "Harbor Ketamine"
    assert body["url"].endswith("/clinics/harbor-ketamine")
    assert body["address"] == {"street": "12 Pier Road", "city": "Boston", "state": "MA", "zip": "02108",
                               "line": "12 Pier Road, Boston, MA 02108"}
    assert (body["lat"], body["lon"]) == (42.3588, -71.0707)
    assert body["routes"] == [{"code": "iv_infusion", "label": "IV infusion"},
                              {"code": "im_injection", "label": "IM injection"}]
    assert [c["code"] for c in body["conditions"]] == ["anxiety", "migraine"]
    assert body["prices"] == {"per_infusion_usd": 520, "series_usd": 2900, "series_infusions": 6}
    assert body["insurance"] == {"code": "in_network", "label": "Some insurance accepted"}
    assert body["languages"] == ["English", "Portuguese"]
    assert body["website"] == "https://harbor.example"
    assert body["phone"] == "(617) 555-0100"
    assert body["telehealth_intake"] is True and body["accepting_new_patients"] is True
    assert body["last_verified_on"] == "2026-02-01"
    assert body["rating"] == {"average": 4.25, "bayesian": 4.1, "count": 8}
    assert "score" in body


def test_staff_credentials_carry_their_status_as_of_today(client, clinic):
    staff = client.get("/api/v1/clinics/harbor-ketamine").json["staff"]
    assert len(staff) == 1
    member = staff[0]
    assert member["name"] == "Lena Park" and member["degree"] == "MD"
    assert member["role"] == {"code": "psychiatrist", "label": "Psychiatrist"}
    npi, acls, dea = member["credentials"]
    assert npi["kind"]["code"] == "npi" and npi["identifier"] == "1234567893"
    assert npi["status"]["code"] == "verified" and npi["verified_at"].startswith("2026-01-20")
    assert acls["status"] == {"code": "expired", "label": "Expired"}
    assert dea["identifier"] == "•••••4321"


def test_unsafe_website_is_null_in_json(client, create_clinic):
    create_clinic(slug="js-site", website="javascript:alert(1)")
    assert client.get("/api/v1/clinics/js-site").json["website"] is None


@pytest.mark.parametrize("status", [ClinicStatus.DRAFT, ClinicStatus.SUSPENDED])
def test_unpublished_clinic_is_a_json_404(client, create_clinic, status):
    create_clinic(slug="hidden-one", status=status)
    response = client.get("/api/v1/clinics/hidden-one")
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404


@pytest.mark.parametrize("slug", ["%00", "x" * 300, "a%20b"])
def test_slugs_that_cannot_exist_are_404_not_database_errors(client, slug):
    response = client.get(f"/api/v1/clinics/{slug}")
    assert response.status_code == 404
    assert response.json["error"]["message"]


def test_unknown_slug_is_a_json_404_with_a_message(client):
    response = client.get("/api/v1/clinics/no-such-clinic")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert "No published clinic has the slug 'no-such-clinic'" in response.json["error"]["message"]


def test_unknown_api_path_is_json_too(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["message"]
