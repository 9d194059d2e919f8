"""The search page: /search?location=...&radius=... as HTML that works without JavaScript."""

from __future__ import annotations

import math

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup

from provider_dir.compare.services import MAX_CLINICS
from provider_dir.core.rate_limits import configured
from provider_dir.extensions import db, limiter
from provider_dir.geo.distance import miles_to_km
from provider_dir.geo.forms import SearchForm, kept_field_html
from provider_dir.geo.markup.cards import result_cards
from provider_dir.geo.markup.panel import search_panel_html
from provider_dir.geo.names.pages import name_search
from provider_dir.geo.places.geocoding import Locator, locator_from_config
from provider_dir.geo.search import MAX_RADIUS_MILES, SearchHit, Unit
from provider_dir.geo.services import PlaceNotFound, search_near
from provider_dir.pagecache.hooks import kept_for_visitors

bp = Blueprint("search", __name__)

LOCATOR_KEY = "geo_locator"
# Generous for a person paging through results; it stops one client from monopolising an online
# geocoder's one request per second.
SEARCH_RATE_LIMIT = configured("RATELIMIT_SEARCH")  # default 60 per minute
DEFAULT_ATTRIBUTION = "© OpenStreetMap contributors"


@bp.record_once
def _build_locator(state) -> None:
    # Built when the app starts, so that a misspelt GEOCODER fails at start-up rather than on a search.
    state.app.extensions.setdefault(LOCATOR_KEY, locator_from_config(state.app.config))


def current_locator() -> Locator:
    """Return the app's locator (tests may put their own in app.extensions)."""
    return current_app.extensions[LOCATOR_KEY]


bp.add_app_template_global(result_cards, "result_cards")
bp.add_app_template_global(search_panel_html, "search_panel")


@bp.app_template_global()
def kept_field(macro, field, **attrs) -> Markup:
    """Render a search form field with the given macro (partials/forms.html `field`), kept by the field's state.

    The macro's Markup is what is kept and returned, so nothing is escaped twice or left unescaped.
    """
    return kept_field_html(macro, field, attrs)


def widened_radius(hit: SearchHit | None, unit: str) -> int | None:
    """Return the whole radius, in the unit the person used, that takes in this clinic; None beyond the largest."""
    if hit is None:
        return None
    in_km = unit == Unit.KILOMETRES.value
    radius = math.floor(hit.distance_km if in_km else hit.distance_miles) + 1
    largest = math.floor(miles_to_km(MAX_RADIUS_MILES)) if in_km else MAX_RADIUS_MILES
    return radius if radius <= largest else None


def _render(form: SearchForm, outcome=None, status: int = 200, page_error: str | None = None, names=None):
    counts = outcome.counts if outcome else None
    if counts:
        form.show_counts(counts)
    return (
        render_template(
            "geo/search.html",
            form=form,
            outcome=outcome,
            widen_to=widened_radius(outcome.nearest if outcome else None, form.unit.data),
            page_error=page_error,
            tile_url=current_app.config.get("MAP_TILE_URL", ""),
            tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", DEFAULT_ATTRIBUTION),
            compare_max=MAX_CLINICS,
            counts=counts,
            names=names,
        ),
        status,
    )


@bp.get("/search")
@limiter.limit(SEARCH_RATE_LIMIT)
@kept_for_visitors
def results():
    """Show the search form, and the clinics near the place typed (a list, and a map where scripts run)."""
    form = SearchForm(request.args)
    if "location" not in request.args and "q" not in request.args:
        return _render(form)
    if not form.validate():
        return _render(form, status=400)
    if form.q.data:
        return _name_results(form)
    try:
        outcome = search_near(
            db.session, current_locator(), form.location.data, with_counts=True,
            **form.criteria(current_app.config["PER_PAGE"]),
        )
    except PlaceNotFound as exc:
        form.location.errors = [*form.location.errors, str(exc)]
        return _render(form, status=422)
    found = outcome.results
    if found.page > found.pages:
        message = f"This search has {found.pages} page{'s' if found.pages > 1 else ''}; there is no page {found.page}."
        return _render(form, status=404, page_error=message)
    return _render(form, outcome)


def _name_results(form: SearchForm):
    """Show the clinics whose names (or whose clinicians' names) match, near the place or anywhere."""
    try:
        named = name_search(db.session, current_locator(), form.location.data, form.q.data,
                            **form.criteria(current_app.config["PER_PAGE"]))  # fmt: skip
    except PlaceNotFound as exc:
        form.location.errors = [*form.location.errors, str(exc)]
        return _render(form, status=422)
    found = named.results
    if found.page > found.pages:
        message = f"This search has {found.pages} page{'s' if found.pages > 1 else ''}; there is no page {found.page}."
        return _render(form, status=404, page_error=message)
    return _render(form, names=named)
