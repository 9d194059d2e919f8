"""/clinics: every published clinic by state and city, paginated."""

import re

import pytest

from provider_dir.listings.views import DIRECTORY_PER_PAGE
from provider_dir.listings.vocab import ClinicStatus, Route


def test_directory_groups_published_clinics_by_state_and_city(client, create_clinic):
    create_clinic(name="Mile High Infusions", city="Denver", state="CO", routes=[Route.IV, Route.IM],
                  price_per_infusion_usd=475, rating_count=12, rating_avg=4.62)
    create_clinic(name="Front Range Ketamine", city="Boulder", state="CO", rating_count=1, rating_avg=5.0)
    create_clinic(name="Harbor Ketamine", city="Boston", state="MA", price_per_infusion_usd=None)
    create_clinic(name="Draft Clinic", state="MA", status=ClinicStatus.DRAFT)
    create_clinic(name="Suspended Clinic", state="MA", status=ClinicStatus.SUSPENDED)

    response = client.get("/clinics")
    html = response.text
    assert response.status_code == 200
    assert "3 published clinics" in html
    assert "Draft Clinic" not in html and "Suspended Clinic" not in html
    # State headings by full name, each city under its state, in order.
    order = [html.index(s) for s in ("Colorado", "Boulder", "Front Range Ketamine", "Denver",
                                     "Mile High Infusions", "Massachusetts", "Boston", "Harbor Ketamine")]
    assert order == sorted(order)
    denver = html.split("Mile High Infusions", 1)[1].split('class="clinic-row"', 1)[0]
    assert "IV infusion" in denver and "IM injection" in denver
    assert "$475 per infusion" in denver
    assert "4.6" in denver and "12 reviews" in denver
    assert "1 review<" in html
    assert "Ask the clinic" in html  # no listed price
    assert re.search(r'href="/clinics/[a-z0-9-]+">Mile High Infusions</a>', html)


def test_directory_with_no_clinics_says_so(client):
    response = client.get("/clinics")
    assert response.status_code == 200
    assert "No clinics are published yet." in response.text


@pytest.fixture
def many_clinics(create_clinic):
    """One clinic more than fits on a page, all in Texas."""
    return [
        create_clinic(name=f"Lone Star Clinic {i:03d}", city="Austin", state="TX")
        for i in range(DIRECTORY_PER_PAGE + 1)
    ]


def test_directory_paginates(client, many_clinics):
    first = client.get("/clinics").text
    assert "Lone Star Clinic 000" in first and f"Lone Star Clinic {DIRECTORY_PER_PAGE - 1:03d}" in first
    assert f"Lone Star Clinic {DIRECTORY_PER_PAGE:03d}" not in first
    assert 'href="/clinics?page=2"' in first and "Page 1 of 2" in first

    second = client.get("/clinics?page=2")
    assert second.status_code == 200
    assert f"Lone Star Clinic {DIRECTORY_PER_PAGE:03d}" in second.text
    assert "Lone Star Clinic 000" not in second.text
    assert "Texas" in second.text and "(continued)" in second.text
    assert 'href="/clinics?page=1"' in second.text


def test_page_past_the_end_is_404_with_a_message(client, many_clinics):
    response = client.get("/clinics?page=3")
    assert response.status_code == 404
    assert "There is no page 3; the last page is 2." in response.text


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "", "%20", "²", "1e3"])
def test_bad_page_numbers_are_400_with_a_message(client, page):
    response = client.get(f"/clinics?page={page}")
    assert response.status_code == 400
    assert "The page number must be a whole number of 1 or more" in response.text


def test_absurdly_large_page_is_404_not_a_database_error(client):
    response = client.get("/clinics?page=99999999999999999999999")
    assert response.status_code == 404
