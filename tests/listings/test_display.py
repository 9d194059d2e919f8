"""The plain functions that decide how listing facts are shown."""

from datetime import UTC, date, datetime

import pytest

from provider_dir.credentials.vocab import CredentialKind
from provider_dir.listings.display import (
    long_date,
    month_year,
    public_identifier,
    safe_web_url,
    state_name,
    tel_href,
    usd,
    web_label,
)


@pytest.mark.parametrize(
    "url",
    ["https://clinic.example", "http://clinic.example/path?q=1", "HTTPS://CLINIC.EXAMPLE/", "  https://a.example "],
)
def test_http_and_https_urls_are_kept(url):
    assert safe_web_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [None, "", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", "data:text/html,hi",
     "vbscript:msgbox", "ftp://clinic.example", "//clinic.example", "clinic.example", "https://", "http:///x",
     "https://a.example/\nx", "https://a.example/\x00"],
)
def test_everything_else_is_refused(url):
    assert safe_web_url(url) is None


def test_web_label_reads_like_an_address():
    assert web_label("https://www.clinic.example/") == "clinic.example"
    assert web_label("http://clinic.example/denver") == "clinic.example/denver"


@pytest.mark.parametrize(
    ("phone", "href"),
    [("(303) 555-0142", "tel:+13035550142"), ("1-303-555-0142", "tel:+13035550142"), ("555-0142", None), ("", None)],
)
def test_tel_links(phone, href):
    assert tel_href(phone) == href


def test_money_and_dates():
    assert usd(2400) == "$2,400"
    assert usd(0) == "$0"
    assert usd(None) == ""
    assert month_year(datetime(2026, 3, 7, tzinfo=UTC)) == "March 2026"
    assert long_date(date(2026, 3, 7)) == "March 7, 2026"
    assert month_year(None) == long_date(None) == ""


def test_state_names():
    assert state_name("CO") == "Colorado"
    assert state_name("dc") == "District of Columbia"
    assert state_name("ZZ") == "ZZ"


def test_dea_numbers_are_masked_and_others_shown_whole():
    assert public_identifier(CredentialKind.DEA, "BO1234563") == "•••••4563"
    assert public_identifier(CredentialKind.NPI, "1234567893") == "1234567893"
    assert public_identifier(CredentialKind.DEA, "") == ""
