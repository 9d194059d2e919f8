"""A page's result cards, filled into each shape's kept parts, are the macro's own rendering of every card."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from flask import get_template_attribute
from flask import url_for as flask_url_for

from provider_dir.geo.markup.cards import MACRO, card_text, clinic_url_builder, result_card_html, result_cards
from provider_dir.geo.search import SearchHit
from provider_dir.geo.summaries import ClinicSummary
from provider_dir.listings.vocab import Closure, Route
from provider_dir.models.base import to_mask

BASE = ClinicSummary(
    id=1, slug="harbor-light-7", name="Harbor Light Infusions", city="Portland", state="OR", latitude=45.52,
    longitude=-122.68, score_total=83.6, rating_avg=4.5, rating_bayes=4.31, rating_count=12,
    price_per_infusion_usd=450, accepting_new_patients=True, has_verified_credentials=True,
    routes_mask=to_mask([Route.IV], Route), conditions_mask=0, closure=Closure.OPEN, reopens_on=None,
)
AWKWARD = ["O'Brien & Sons <Ketamine> \"Care\"", "Café Ñandú {curly} 50%", "Nul\x00Byte", "Slot \x00name\x00 mark"]


def variants() -> list[ClinicSummary]:
    """Clinics of every shape a card has: score, rating and reviews, price, routes, closure, the two pills."""
    reopening = date.today() + timedelta(days=30)
    shapes = itertools.product(
        (None, 99.5), ((0, None, None), (1, 5.0, None), (7, 3.2, 3.9), (3, None, None)), (None, 1200),
        ((), (Route.IM, Route.ESKETAMINE)), ((Closure.OPEN, None), (Closure.TEMPORARY, reopening)),
        (True, False), (False, True),
    )
    clinics = []
    for n, (score, (count, avg, bayes), price, routes, (closure, reopens), verified, accepting) in enumerate(shapes):
        clinics.append(BASE._replace(
            id=n, slug=f"clinic-{n}", name=AWKWARD[n % len(AWKWARD)] if n % 3 == 0 else f"Clinic {n}",
            score_total=score, rating_count=count, rating_avg=avg, rating_bayes=bayes, price_per_infusion_usd=price,
            routes_mask=to_mask(list(routes), Route), closure=closure, reopens_on=reopens,
            has_verified_credentials=verified, accepting_new_patients=accepting,
        ))
    return clinics


def test_every_shape_of_card_is_what_the_macro_renders_for_it(app):
    macro_of = get_template_attribute(*MACRO)
    with app.test_request_context("/search"):
        for n, clinic in enumerate(variants()):
            for in_km in (False, True):
                card = card_text(SearchHit(clinic, 3.25 + n), n + 1, in_km)
                assert result_card_html(card) == str(macro_of(card)), clinic.name


def test_a_page_of_cards_numbers_them_and_escapes_every_name(app):
    clinics = variants()[:8]
    with app.test_request_context("/search"):
        html = str(result_cards([SearchHit(c, 1.0 + n) for n, c in enumerate(clinics)], 21, False))
    assert html.count('<li class="result-card"') == 8
    assert 'data-number="21"' in html and 'data-number="28"' in html
    assert "O&#39;Brien &amp; Sons &lt;Ketamine&gt; &#34;Care&#34;" in html
    assert "<Ketamine>" not in html
    assert 'href="/clinics/clinic-0"' in html
    closed = sum(c.closure == Closure.TEMPORARY for c in clinics)
    assert 0 < closed < 8 and html.count("Temporarily closed; reopens") == closed
    assert "2.0 mi" in html


def test_a_cards_link_is_the_url_flask_builds_for_its_clinic(app):
    with app.test_request_context("/search", base_url="http://localhost/guide/"):
        url = clinic_url_builder()
        for slug in ("harbor-light-7", "caf\u00e9 & co", "a/b", "u7rlcardslug0q"):
            assert url(slug) == flask_url_for("listings.clinic_page", slug=slug)
        assert url("harbor-light-7") == "/guide/clinics/harbor-light-7"
