"""A page of search results as HTML: each card's markup made once per shape, its values put into slots.

templates/geo/_result_card.html stays the source of a card. Its macro reads a CardText: text values that the
template only prints, and a shape (which parts show: a score, reviews, a price, routes, a closure, the pills) that
decides its branches. For each shape the macro is rendered once with a marker in every text slot and split at the
markers; a card is then that shape's parts joined with its own values, escaped as Jinja escapes them. Twenty
cards went through the macro per search, some 50 microseconds each of Jinja's per-expression work; filling a
shape's parts costs a tenth of that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from flask import get_template_attribute, url_for
from markupsafe import Markup, escape

from provider_dir.core.kept import Kept
from provider_dir.core.urls import plain_path_value
from provider_dir.listings.closures import closure_text
from provider_dir.listings.display import usd
from provider_dir.listings.vocab import Closure, Route

MACRO = ("geo/_result_card.html", "result_card")
_MARK = "\x00{}\x00"
_URL_MARK = "u7rlcardslug0q"  # unreserved, so built as it is, and in no route of ours
_SPLIT = re.compile("\x00(\\w+)\x00")


class CardText(NamedTuple):
    """One result card's values: the text slots (printed as they are, escaped) and the shape (its branches)."""

    # Text slots.
    number: str
    url: str
    name: str
    slug: str
    latitude: str
    longitude: str
    distance: str
    city: str
    state: str
    score: str
    rating: str
    reviews: str
    price: str
    closure: str
    # Shape.
    in_km: bool
    scored: bool
    rated: bool  # a rating to show beside the review count
    review_count: str  # "none", "one" or "many"
    priced: bool
    routes: tuple[Route, ...]
    closed: bool
    verified: bool
    accepting: bool


# The text slots come first: a card's shape is the rest of the tuple, from its first field on.
TEXT_SLOTS = CardText._fields[:CardText._fields.index("in_km")]


def card_text(hit, number: int, in_km: bool, today: date | None = None,
              clinic_url: Callable[[str], str] | None = None) -> CardText:
    """Return what a card shows of a search hit (a SearchHit of a ClinicSummary), numbered in the page.

    clinic_url gives a clinic page's URL from its slug (clinic_url_builder) when the caller made one.
    """
    clinic = hit.clinic
    count = clinic.rating_count or 0
    shown = (clinic.rating_bayes if clinic.rating_bayes is not None else clinic.rating_avg) if count else None
    closure = clinic.effective_closure(today)
    return CardText(
        number=str(number), url=(clinic_url or _clinic_url)(clinic.slug), name=clinic.name,
        slug=clinic.slug, latitude=str(clinic.latitude), longitude=str(clinic.longitude),
        distance="%.1f" % (hit.distance_km if in_km else hit.distance_miles),  # noqa: UP031 - as the template had it
        city=clinic.city, state=clinic.state,
        score="" if clinic.score_total is None else str(int(round(clinic.score_total))),
        rating="" if shown is None else "%.1f" % shown, reviews=str(count),  # noqa: UP031
        price=usd(clinic.price_per_infusion_usd),
        closure=closure_text(clinic, today) if closure != Closure.OPEN else "",
        in_km=in_km, scored=clinic.score_total is not None, rated=shown is not None,
        review_count="none" if not count else "one" if count == 1 else "many",
        priced=clinic.price_per_infusion_usd is not None, routes=tuple(clinic.routes),
        closed=closure != Closure.OPEN, verified=bool(clinic.has_verified_credentials),
        accepting=bool(clinic.accepting_new_patients),
    )


def _clinic_url(slug: str) -> str:
    return url_for("listings.clinic_page", slug=slug)


def clinic_url_builder() -> Callable[[str], str]:
    """Return slug -> its clinic page's URL, the URL built once around a marker (a page links to twenty)."""
    head, marker, tail = _clinic_url(_URL_MARK).partition(_URL_MARK)
    if not marker:
        return _clinic_url

    def clinic_url(slug: str) -> str:
        return head + slug + tail if plain_path_value(slug) else _clinic_url(slug)

    return clinic_url


def _parts(card: CardText) -> tuple[list[str], tuple[tuple[int, int], ...]]:
    """Render the macro once for this card's shape, with markers for its text.

    Return its pieces (literal text at even positions, slots at odd ones) and, per slot, (position, value index).
    """
    marked = card._replace(**{name: _MARK.format(name) for name in TEXT_SLOTS})
    pieces = _SPLIT.split(str(get_template_attribute(*MACRO)(marked)))  # literal, slot name, literal, ...
    slots = tuple((2 * i + 1, TEXT_SLOTS.index(name)) for i, name in enumerate(pieces[1::2]))
    return pieces, slots


_KEPT_SHAPES: Kept[tuple] = Kept(512)
_SLOTS = len(TEXT_SLOTS)


def result_card_html(card: CardText) -> str:
    """Return one card's HTML (a str of markup), as the macro renders it for these values."""
    pieces, slots = _KEPT_SHAPES.get(card[_SLOTS:], lambda: _parts(card))
    # Escaped as Jinja escapes them, all in one call: the values joined by NUL, which escaping leaves as it is.
    values = str.split(escape("\x00".join(card[:_SLOTS])), "\x00")
    if len(values) != _SLOTS:  # a value held a NUL after all
        values = [str(escape(value)) for value in card[:_SLOTS]]
    html = pieces.copy()
    for position, index in slots:
        html[position] = values[index]
    return "".join(html)


def result_cards(hits, first_number: int, in_km: bool) -> Markup:
    """Return the cards of a page of results, numbered from first_number."""
    # The literal text came out of the autoescaped macro; every value was escaped in result_card_html.
    clinic_url = clinic_url_builder()
    cards = [result_card_html(card_text(hit, first_number + i, in_km, clinic_url=clinic_url))
             for i, hit in enumerate(hits)]
    return Markup("".join(cards))  # noqa: S704 # nosec B704 - the macro's own text, each value escaped
