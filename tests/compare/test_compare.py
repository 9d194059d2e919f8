"""/compare and /api/v1/compare: up to three clinics side by side, from the same figures as their pages."""

import re
from html import unescape

import pytest

from provider_dir.compare.services import CompareError, compare, parse_slugs
from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind, CredentialStatus
from provider_dir.extensions import db
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.reviews.vocab import TimeToRelief
from provider_dir.scoring.checklist.items import CATEGORIES, CATEGORY_MAX
from tests.scoring import builders


@pytest.fixture
def trio(app, create_clinic, add_staff, add_review):
    """A fully verified clinic, an unchecked one with a safety warning, and a third with reviews."""
    safe = builders.exemplary_clinic(db.session, slug="safe-harbor-ketamine", name="Safe Harbor Ketamine",
                                     price_per_infusion_usd=550, price_series_usd=3000, series_infusions=6)
    bare = create_clinic(slug="bare-minimum-infusions", name="Bare Minimum Infusions", price_per_infusion_usd=300,
                         routes=[Route.IM, Route.ESKETAMINE], insurance=InsuranceOption.SUPERBILL)
    add_staff(bare, full_name="Robin Unchecked", credentials=[
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="LIC-1", issuer="NY", status=CredentialStatus.EXPIRED),
    ])
    rated = create_clinic(slug="well-rated-wellness", name="Well Rated Wellness", price_per_infusion_usd=None)
    for stars, relief in [(5, TimeToRelief.DAYS), (4, TimeToRelief.DAYS), (2, TimeToRelief.NONE)]:
        add_review(rated, rating=stars, condition=Condition.DEPRESSION, would_recommend=stars > 3,
                   time_to_relief=relief)
    return safe, bare, rated


def row(html: str, name: str) -> str:
    """Return one comparison row's cells, as text."""
    found = re.search(rf'<tr data-row="{name}">(.*?)</tr>', html, re.S)
    assert found, name
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1))))


def test_slugs_are_deduplicated_in_order_and_at_most_three_are_allowed():
    assert parse_slugs([" b ", "a", "b", ""]) == ("b", "a")
    with pytest.raises(CompareError) as too_many:
        parse_slugs(["a", "b", "c", "d"])
    assert too_many.value.status == 422 and "at most 3" in too_many.value.message
    assert too_many.value.slugs == ("a", "b", "c", "d")
    with pytest.raises(CompareError) as none:
        parse_slugs(["", " "])
    assert none.value.status == 400
    with pytest.raises(CompareError) as bad:
        parse_slugs(["ok", "no/such\x00thing"])
    assert bad.value.status == 400 and "address name" in bad.value.message


def test_compare_keeps_the_order_asked_and_reports_missing_slugs(trio):
    safe, bare, rated = trio
    result = compare(db.session, ("well-rated-wellness", "gone-clinic", "safe-harbor-ketamine"))
    assert [c.clinic.slug for c in result.clinics] == ["well-rated-wellness", "safe-harbor-ketamine"]
    assert result.missing == ("gone-clinic",)
    assert result.clinics[1].score.total == 100 and result.clinics[1].score.safety.ok
    assert result.clinics[0].figures.summary.count == 3


def test_the_page_shows_safety_score_by_category_staff_price_routes_rating_and_outcomes(client, trio):
    page = client.get("/compare?c=safe-harbor-ketamine&c=bare-minimum-infusions&c=well-rated-wellness")
    assert page.status_code == 200
    html = page.text
    heads = re.findall(r'<th scope="col" class="compare-clinic">\s*<a href="([^"]+)">([^<]+)</a>', html)
    assert [name for _, name in heads] == ["Safe Harbor Ketamine", "Bare Minimum Infusions", "Well Rated Wellness"]
    assert heads[0][0] == "/clinics/safe-harbor-ketamine"

    safety = row(html, "safety")
    assert safety.index("All met on the evidence we have") < safety.index("Safety warning")
    assert "Not shown by the clinic" in safety
    assert re.search(r"100 / 100 .*? \d+ / 100", row(html, "score"))
    assert len(re.findall(r'<tr data-row="category">', html)) == len(CATEGORIES)
    assert "of 12 points" in html and "of 32 points" in html
    staff = row(html, "staff")
    assert "Dana Reyes, MD" in staff and "Verified" in staff
    assert "Robin Unchecked" in staff and "State licence: Expired" in staff
    price = row(html, "price")
    assert "$550 per infusion" in price and "$3,000 for a series of 6" in price and "$300 per infusion" in price
    assert "Ask the clinic" in price
    assert "IM injection, Esketamine nasal spray (Spravato)" in row(html, "routes")
    assert "Superbill" in row(html, "insurance")
    rating = row(html, "rating")
    assert rating.count("No reviews yet") == 2 and "3.7 out of 5 from 3 reviews" in rating
    assert "2 of 3 (67 %)" in row(html, "recommend")
    assert re.search(r"Depression ?: 3 reviews, 3\.7 stars; 67 % reported relief", row(html, "outcomes"))


def test_duplicates_redirect_to_the_one_address_of_the_comparison(client, trio):
    page = client.get("/compare?c=bare-minimum-infusions&c=safe-harbor-ketamine&c=bare-minimum-infusions")
    assert page.status_code == 302
    assert page.headers["Location"] == "/compare?c=bare-minimum-infusions&c=safe-harbor-ketamine"


def test_more_than_three_is_refused_with_a_form_to_untick_some(client, trio, create_clinic):
    fourth = create_clinic(slug="fourth-choice-clinic", name="Fourth Choice Clinic")
    page = client.get(f"/compare?c=safe-harbor-ketamine&c=bare-minimum-infusions&c=well-rated-wellness&c={fourth.slug}")
    assert page.status_code == 422
    html = unescape(page.text)
    assert "You chose 4 clinics; a comparison holds at most 3" in html
    assert re.findall(r'name="c" value="([^"]+)"[^>]*checked', page.text) == [
        "safe-harbor-ketamine", "bare-minimum-infusions", "well-rated-wellness", "fourth-choice-clinic"]


def test_no_clinic_is_a_400_and_only_unknown_clinics_a_404(client, trio):
    empty = client.get("/compare")
    assert empty.status_code == 400 and "Choose one to three clinics" in unescape(empty.text)
    unknown = client.get("/compare?c=no-such-clinic")
    assert unknown.status_code == 404 and "no-such-clinic" in unknown.text


def test_a_withdrawn_clinic_in_a_shared_link_is_named_and_the_rest_shown(client, trio, create_clinic):
    create_clinic(slug="withdrawn-clinic", status=ClinicStatus.SUSPENDED)
    page = client.get("/compare?c=withdrawn-clinic&c=safe-harbor-ketamine")
    assert page.status_code == 200
    assert "Not shown: no published clinic has the address name withdrawn-clinic" in page.text
    assert "Safe Harbor Ketamine" in page.text


def test_removing_a_clinic_links_to_the_comparison_of_the_others(client, trio):
    html = client.get("/compare?c=safe-harbor-ketamine&c=bare-minimum-infusions").text
    assert '<a class="compare-remove" href="/compare?c=bare-minimum-infusions">' in html
    assert '<a class="compare-remove" href="/compare?c=safe-harbor-ketamine">' in html


def test_the_json_twin_has_the_same_figures(client, trio):
    body = client.get("/api/v1/compare?c=safe-harbor-ketamine&c=well-rated-wellness&c=safe-harbor-ketamine").get_json()
    assert body["slugs"] == ["safe-harbor-ketamine", "well-rated-wellness"]
    assert body["url"].endswith("/compare?c=safe-harbor-ketamine&c=well-rated-wellness")
    safe, rated = body["clinics"]
    assert safe["safety"]["ok"] is True and safe["score"]["total"] == 100
    assert [(c["name"], c["max_points"]) for c in safe["score"]["categories"]] == list(CATEGORY_MAX.items())
    assert "items" not in safe["score"]
    assert safe["staff"][0]["credentials"][0]["status"]["code"] == "verified"
    assert safe["prices"] == {"per_infusion_usd": 550, "series_usd": 3000, "series_infusions": 6}
    assert rated["safety"]["ok"] is False and "Safety warning" in rated["safety"]["message"]
    assert rated["rating"]["count"] == 3 and rated["rating"]["average"] == pytest.approx(11 / 3)
    outcome = rated["outcomes"]["by_condition"][0]
    assert outcome["condition"]["code"] == "depression" and outcome["reviews"] == 3
    assert outcome["any_relief"] == {"count": 2, "total": 3, "percent": 67}


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("", 400, "Choose one to three clinics"),
        ("?c=a&c=b&c=c&c=d", 422, "at most 3"),
        ("?c=safe-harbor-ketamine&c=nope-clinic", 404, "nope-clinic"),
        ("?c=safe-harbor-ketamine&sort=price", 400, "Unknown parameter sort"),
    ],
)
def test_the_json_twin_refuses_with_a_message(client, trio, query, status, says):
    answer = client.get(f"/api/v1/compare{query}")
    assert answer.status_code == status
    assert says in answer.get_json()["error"]["message"]


def test_search_results_carry_a_compare_tick_in_a_get_form(client, create_clinic):
    create_clinic(slug="tickable-clinic", name="Tickable Clinic")
    html = client.get("/search?location=10001").text
    form = html[html.index('<form class="compare-form"'):]
    assert 'method="get" action="/compare"' in form[:200]
    assert '<input type="checkbox" name="c" value="tickable-clinic" id="compare-tickable-clinic">' in form
    assert "Compare selected clinics" in form
