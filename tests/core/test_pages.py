"""The home page, the about page and what every page carries (layout, notices, headers)."""

import re

import pytest

from provider_dir.listings.vocab import ClinicStatus


def test_home_has_a_search_form_to_search_with_location_and_radius(client):
    response = client.get("/")
    html = response.text
    assert response.status_code == 200
    assert re.search(r'<form[^>]*method="get"[^>]*action="/search"', html)
    assert re.search(r'<label for="location">ZIP code or city</label>', html)
    assert 'name="location"' in html
    radii = re.findall(r'<option value="(\d+)"', html.split('name="radius"', 1)[1].split("</select>", 1)[0])
    assert radii == ["10", "25", "50", "100"]
    assert '<option value="25" selected>' in html


def test_home_explains_what_the_directory_checks(client):
    html = client.get("/").text
    for check in ("Staff credentials", "A safety checklist", "Moderated patient reviews"):
        assert check in html


def test_home_features_cities_with_published_clinics_linking_to_search(client, create_clinic):
    for _ in range(2):
        create_clinic(city="Denver", state="CO", zip_code="80202", latitude=39.75, longitude=-104.99)
    create_clinic(city="Boise", state="ID", zip_code="83702", latitude=43.61, longitude=-116.2)
    create_clinic(city="Hidden Town", state="OR", status=ClinicStatus.DRAFT)
    html = client.get("/").text
    assert 'href="/search?location=Denver%2C%20CO"' in html
    assert "Denver, CO" in html and "2 clinics" in html
    assert 'href="/search?location=Boise%2C%20ID"' in html and "1 clinic<" in html
    assert "Hidden Town" not in html
    assert html.index("Denver, CO") < html.index("Boise, ID")  # the busiest city first


def test_home_without_clinics_leaves_out_the_city_list(client):
    html = client.get("/").text
    assert "Browse popular areas" not in html


@pytest.mark.parametrize("path", ["/", "/about", "/clinics", "/login", "/register", "/no-such-page"])
def test_every_page_has_the_layout_notices_and_no_inline_script_or_style(client, path):
    html = client.get(path).text
    assert '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert 'class="skip-link" href="#main"' in html and 'id="main"' in html
    assert "every clinic, person and review here is fictional" in html
    assert "988" in html and "Not medical advice" in html
    assert "GeoNames" in html and "CC BY 4.0" in html
    assert 'href="/methodology"' in html
    assert 'href="/clinics"' in html and 'href="/about"' in html
    assert 'href="/login"' in html and 'href="/register"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script would break the CSP"
    assert "<style" not in html and " style=" not in html, "inline style would break the CSP"
    assert re.search(r"\son[a-z]+=", html) is None, "inline event handlers would break the CSP"


def test_the_stylesheet_is_served(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert ":focus-visible" in response.text and ".skip-link" in response.text


def test_navigation_marks_the_current_page(client):
    html = client.get("/clinics").text
    assert re.search(r'href="/clinics" aria-current="page">All clinics<', html)


def test_about_page_credits_data_sources(client):
    response = client.get("/about")
    assert response.status_code == 200
    assert "fictional" in response.text
    assert "https://creativecommons.org/licenses/by/4.0/" in response.text
    assert "zxcvbn" in response.text


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain http in development
    assert response.mimetype == "text/html"
    assert response.mimetype_params.get("charset") == "utf-8"


def test_session_cookie_is_httponly_and_samesite(client, create_user, auth):
    user = create_user()
    response = auth.login(user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
