"""The search panel (the form, its filters and their counts) is rendered once per state of the form and filled in:
each page shows its own typed words and counts, exactly as a panel rendered afresh would."""

import re

import pytest
from geopy.distance import geodesic
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms.meta import DefaultMeta

import provider_dir.geo.forms as forms
import provider_dir.geo.markup.panel as panel
from provider_dir.core.kept import Kept
from provider_dir.extensions import db
from provider_dir.geo.filters.counts import FilterCounts
from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.hours.services import set_hours_from_text

ZIP_10001 = (40.7484, -73.9967)

# In this order, so that later pages reuse panels kept from earlier ones in another state of their slots.
SEARCHES = [
    "/search?location=10001&radius=10",
    "/search?location=Denver%2C+CO&radius=12.5",
    "/search?location=10001&radius=30&max_price=600",
    "/search?location=10001&radius=8&max_price=250&weekends=1",
    "/search?location=10001&radius=10&language=Spanish&payment=in_network",
    "/search?location=10001&radius=3&language=Vietnamese&payment=superbill",
    "/search?location=10001&q=O%27Brien+%26+%22Sons%22+%3Cb%3E&radius=13.5",
    "/search?location=10001&radius=abc",
    "/search?location=10001&radius=xyz&min_rating=nan",
    "/search?location=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/search?location=Nowhereville%2C+ZZ",
    "/search?location=10001&unit=km&radius=16&min_score=40&min_rating=3.5&telehealth=1&evenings=y",
    "/search?location=10001&max_price=",
    "/search",
]


@pytest.fixture
def nearby(create_clinic):
    """Four clinics near ZIP 10001 with different languages, ways to pay and hours, so each search counts its own."""
    for i, (name, facts, hours) in enumerate([
        ("Chelsea Infusions", {"languages": ["English", "Spanish"], "telehealth_intake": True}, "Mon-Fri 9-5"),
        ("Hudson Yards Ketamine", {"languages": ["Vietnamese"], "offers_psychotherapy": True}, "Sat-Sun 12:00-21:00"),
        ("Midtown Calm", {"languages": ["English"], "wheelchair_accessible": True}, "Mon-Thu 10:00-20:00"),
        ("Far Rockaway Care", {"languages": ["Spanish"], "price_per_infusion_usd": 300}, "Tue-Sat 9-5"),
    ]):
        there = geodesic(miles=1 + 6 * i).destination(ZIP_10001, 70 * i)
        clinic = create_clinic(name=name, latitude=there.latitude, longitude=there.longitude, **facts)
        set_hours_from_text(clinic, hours)
    db.session.commit()


@pytest.fixture
def fresh_panels(monkeypatch):
    """An empty store of panels, so a test sees which pages made one."""
    shapes = Kept(panel._SHAPES.limit)
    monkeypatch.setattr(panel, "_SHAPES", shapes)
    return shapes


def panel_of(page: str) -> str:
    return re.search(r'<form class="search-panel".*?</form>', page, re.S).group(0)


def test_pages_from_kept_panels_equal_pages_rendered_afresh(client, nearby, fresh_panels, monkeypatch):
    kept = [client.get(url) for url in SEARCHES]
    assert len(fresh_panels) < len(SEARCHES)  # some pages took a panel made for another

    monkeypatch.setattr(panel, "panel_key", lambda form, results_shown, counts: None)  # the macro every time
    monkeypatch.setattr(forms, "_render_key", lambda field, render_kw, slotted=False: None)  # WTForms every time
    monkeypatch.setattr(forms.FilterForm.Meta, "bind_field", DefaultMeta.bind_field)
    for url, page in zip(SEARCHES, kept, strict=True):
        afresh = client.get(url)
        assert (page.status_code, page.text) == (afresh.status_code, afresh.text), url
        assert not any("\ue000" <= character <= "\uf8ff" for character in page.text), url


def test_searches_that_differ_in_what_was_typed_share_one_panel_and_show_their_own(client, nearby, fresh_panels):
    near = client.get("/search?location=10001&radius=2&max_price=5000").text
    wide = client.get("/search?location=Denver%2C+CO&radius=40&max_price=4000").text
    assert len(fresh_panels) == 1

    assert 'value="10001"' in near and 'value="2"' in near and 'value="5000"' in near
    assert 'value="Denver, CO"' in wide and 'value="40"' in wide and 'value="4000"' in wide
    assert 'value="Denver, CO"' not in panel_of(near) and 'value="10001"' not in panel_of(wide)
    # Two miles from 10001 hold one clinic, which speaks Spanish and has telehealth; Denver has none of them.
    assert ">Spanish (1)</option>" in near and ">Spanish (0)</option>" in wide
    assert 'Telehealth intake <span class="filter-count">(1<span' in near
    assert 'Telehealth intake <span class="filter-count">(0<span' in wide


def test_the_filters_in_use_follow_each_pages_own_fields(client, nearby, fresh_panels):
    assert "Filters (0)" in client.get("/search?location=10001&max_price=").text
    assert "Filters (1)" in client.get("/search?location=10001&max_price=300").text
    assert "Filters (2)" in client.get("/search?location=10001&max_price=300&min_score=10").text
    assert "Filters (0)" in client.get("/search?location=10002").text


def test_a_field_with_an_error_shows_its_own_words_and_its_own_error(client, nearby, fresh_panels):
    first = client.get("/search?location=10001&radius=abc")
    second = client.get("/search?location=10001&radius=xyz")
    assert first.status_code == second.status_code == 400
    assert 'value="abc"' in first.text and "xyz" not in first.text
    assert 'value="xyz"' in second.text and "abc" not in second.text
    assert 'aria-invalid="true"' in panel_of(second.text)


def test_counts_show_with_thousands_marked_and_say_when_they_stopped_at_the_cap(app):
    def counts(exact: bool) -> FilterCounts:
        return FilterCounts(features={f.value: 1000 + i for i, f in enumerate(Feature)},
                            payments={p.value: 2500 for p in Payment}, languages=dict.fromkeys(LANGUAGES, 12_345),
                            exact=exact)

    with app.test_request_context("/search"):
        pages = {}
        for exact in (True, False, True):
            form = forms.SearchForm(MultiDict({"location": "10001"}))
            assert form.validate(), form.errors
            taken = counts(exact)
            form.show_counts(taken)
            pages.setdefault(exact, []).append(panel.search_panel_html(form, object(), taken))
    kept, capped, again = pages[True][0], pages[False][0], pages[True][1]
    assert isinstance(kept, Markup) and kept == again
    assert 'Telehealth intake <span class="filter-count">(1,000<span' in kept
    assert ">Spanish (12,345)</option>" in kept and "(2,500)</option>" in kept
    assert "counted among the first 1,000 matches" in capped and "counted among the first" not in kept
