"""The clinic page's review filters: condition, verified patients only, stars; newest first; paginated."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from provider_dir.listings.views import REVIEWS_PER_PAGE
from provider_dir.listings.vocab import Condition
from provider_dir.reviews.filters import parse_filters


def titles(html: str) -> list[str]:
    """Return the review titles on the page, in order."""
    return re.findall(r'<article class="rv-review"[^>]*>.*?<h3>(.*?)</h3>', html, re.S)


@pytest.fixture
def reviewed(create_clinic, add_review):
    clinic = create_clinic()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    specs = [
        ("PTSD five verified", 5, Condition.PTSD, True),
        ("Depression four", 4, Condition.DEPRESSION, False),
        ("PTSD two", 2, Condition.PTSD, False),
        ("Depression five verified", 5, Condition.DEPRESSION, True),
        ("Pain three", 3, Condition.CRPS, False),
    ]
    for day, (title, rating, condition, verified) in enumerate(specs):
        review = add_review(clinic, rating=rating, title=title, condition=condition, verified_patient=verified)
        review.published_at = start + timedelta(days=day)
    return clinic


def test_parse_filters_reads_good_values_and_explains_bad_ones():
    good = parse_filters({"condition": "ptsd", "verified": "1", "stars": "4"})
    assert (good.condition, good.verified_only, good.stars, good.errors) == (Condition.PTSD, True, 4, {})
    assert good.active
    bad = parse_filters({"condition": "flu", "verified": "maybe", "stars": "6"})
    assert (bad.condition, bad.verified_only, bad.stars) == (None, False, None)
    assert set(bad.errors) == {"condition", "verified", "stars"}
    assert "1 to 5" in bad.errors["stars"]
    assert not parse_filters({}).active


def test_without_filters_reviews_are_newest_first(client, reviewed):
    html = client.get(f"/clinics/{reviewed.slug}").get_data(as_text=True)
    assert titles(html)[:3] == ["Pain three", "Depression five verified", "PTSD two"][:REVIEWS_PER_PAGE]
    assert "Showing 1–3 of 5 reviews, newest first." in re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("condition=ptsd", ["PTSD two", "PTSD five verified"]),
        ("verified=1", ["Depression five verified", "PTSD five verified"]),
        ("stars=5", ["Depression five verified", "PTSD five verified"]),
        ("condition=depression&stars=4", ["Depression four"]),
        ("condition=ptsd&verified=1&stars=5", ["PTSD five verified"]),
        ("condition=migraine", []),
    ],
)
def test_each_filter_narrows_the_list(client, reviewed, query, expected):
    response = client.get(f"/clinics/{reviewed.slug}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert titles(html) == expected
    if not expected:
        assert "No published reviews match these filters." in html
    assert "Clear filters" in html


def test_the_form_keeps_the_chosen_filters(client, reviewed):
    html = client.get(f"/clinics/{reviewed.slug}?condition=ptsd&verified=1&stars=5").get_data(as_text=True)
    assert '<option value="ptsd" selected>PTSD</option>' in html
    assert '<option value="5" selected>5 stars</option>' in html
    assert re.search(r'id="rv-verified" name="verified" value="1" checked', html)
    # The condition list offers the conditions patients wrote about.
    assert '<option value="crps">CRPS</option>' in html and 'value="migraine"' not in html


def test_bad_filters_get_a_400_with_a_message_and_keep_what_was_typed(client, reviewed):
    response = client.get(f"/clinics/{reviewed.slug}?condition=flu&stars=9")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose a condition from the list" in html and "(you asked for “flu”)" in html
    assert "Stars must be a whole number from 1 to 5" in html and "(you asked for “9”)" in html
    assert len(titles(html)) == 3  # the page still shows the reviews, unfiltered


def test_pages_keep_the_filters(client, create_clinic, add_review):
    clinic = create_clinic()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(REVIEWS_PER_PAGE + 2):
        review = add_review(clinic, rating=5, title=f"Five {i}", condition=Condition.ANXIETY)
        review.published_at = start + timedelta(days=i)
    add_review(clinic, rating=1, title="One star", condition=Condition.ANXIETY)
    first = client.get(f"/clinics/{clinic.slug}?stars=5").get_data(as_text=True)
    assert f'href="/clinics/{clinic.slug}?stars=5&amp;page=2#reviews"' in first
    second = client.get(f"/clinics/{clinic.slug}?stars=5&page=2").get_data(as_text=True)
    assert titles(second) == ["Five 1", "Five 0"]
    assert client.get(f"/clinics/{clinic.slug}?stars=5&page=3").status_code == 404
