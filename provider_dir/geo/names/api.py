"""GET /api/v1/suggest, and /api/v1/search when a name (q) is given."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from provider_dir.core.rate_limits import configured
from provider_dir.extensions import csrf, db, limiter
from provider_dir.geo.distance import miles_to_km
from provider_dir.geo.names.fold import MAX_QUERY_LENGTH
from provider_dir.geo.names.pages import name_search
from provider_dir.geo.names.suggest import MAX_SUGGESTIONS, MIN_LETTERS, Suggestion, suggestions
from provider_dir.geo.services import PlaceNotFound
from provider_dir.pagecache.hooks import kept_for_visitors

bp = Blueprint("suggest", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

SUGGEST_RATE_LIMIT = configured("RATELIMIT_SUGGEST")  # default 240 per minute


def _error(status: int, message: str, field: str | None = None):
    error = {"status": status, "message": message}
    if field:
        error["fields"] = {field: [message]}
    return jsonify(error=error), status


def suggestion_json(item: Suggestion) -> dict:
    """Return one suggestion as the API shows it, with the address it leads to."""
    if item.slug:
        url = url_for("listings.clinic_page", slug=item.slug)
    else:
        url = url_for("search.results", location=item.place)
    return {"label": item.label, "kind": item.kind, "detail": item.detail, "url": url}


@bp.get("/suggest")
@limiter.limit(SUGGEST_RATE_LIMIT)
@kept_for_visitors
def suggest():
    """Return up to eight clinics, clinicians and places whose names start like (or resemble) q."""
    unknown = sorted(set(request.args) - {"q"})
    if unknown:
        return _error(400, f"Unknown parameter {', '.join(unknown)}. The only parameter is q.", unknown[0])
    typed = request.args.get("q", "").strip()
    if len(typed) < MIN_LETTERS:
        return _error(400, f"Type at least {MIN_LETTERS} letters in q.", "q")
    if len(typed) > MAX_QUERY_LENGTH:
        return _error(400, f"Keep q under {MAX_QUERY_LENGTH} letters.", "q")
    found = suggestions(db.session, typed)
    return jsonify(q=typed, suggestions=[suggestion_json(item) for item in found], max=MAX_SUGGESTIONS)


def name_search_json(form, hit_json):
    """Answer /api/v1/search for a name: within the radius of location if given, else nationwide."""
    from provider_dir.geo.views import current_locator  # the search page's module imports this one's package

    try:
        named = name_search(db.session, current_locator(), form.location.data, form.q.data,
                            **form.criteria(current_app.config["PER_PAGE"]))  # fmt: skip
    except PlaceNotFound as exc:
        return _error(404, str(exc), "location")
    found, origin = named.results, named.origin
    if found.page > found.pages:
        return _error(404, f"This search has {found.pages} page(s); there is no page {found.page}.")
    results = []
    for hit in found.hits:
        item = hit_json(_Distanced(hit.clinic, hit.distance_miles or 0.0))
        if hit.distance_miles is None:
            item["distance_mi"] = item["distance_km"] = None
        item["clinician"] = hit.clinician
        results.append(item)
    return jsonify(
        q=form.q.data,
        origin=None if origin is None else
        {"lat": origin.latitude, "lon": origin.longitude, "label": origin.label, "source": origin.source},
        nationwide=origin is None,
        radius_mi=None if origin is None else round(found.query.radius_miles, 3),
        radius_km=None if origin is None else round(miles_to_km(found.query.radius_miles), 3),
        sort="name",
        results=results,
        total=found.total,
        total_exact=found.total_is_exact,
        page=found.page,
        pages=found.pages,
        per_page=found.query.per_page,
        nearest=None,
    )  # fmt: skip


class _Distanced:
    """What hit_json reads: a clinic and its distance."""

    def __init__(self, clinic, miles: float):
        self.clinic, self.distance_miles, self.distance_km = clinic, miles, miles_to_km(miles)
