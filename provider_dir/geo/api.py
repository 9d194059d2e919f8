"""GET /api/v1/search: the search as JSON (origin, results with distances, total, page)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from provider_dir.extensions import csrf, db, limiter
from provider_dir.geo.distance import miles_to_km
from provider_dir.geo.filters.vocab import Feature
from provider_dir.geo.forms import ApiSearchForm
from provider_dir.geo.names.api import name_search_json
from provider_dir.geo.search import SearchHit
from provider_dir.geo.services import PlaceNotFound, search_near
from provider_dir.geo.views import SEARCH_RATE_LIMIT, current_locator
from provider_dir.listings.closures import closure_json
from provider_dir.pagecache.hooks import kept_for_visitors

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PARAMETERS = (
    "location", "q", "radius_mi", "radius_km", "condition", "route", "max_price", "min_score", "min_rating",
    "verified", "accepting", "include_closed", "sort", "page", "per_page", "language", "payment",
    *(feature.value for feature in Feature),
)  # fmt: skip


def api_error(status: int, message: str, fields: dict | None = None):
    """Return a JSON error with a message a person can act on (and, for bad parameters, which ones)."""
    error = {"status": status, "message": message}
    if fields:
        error["fields"] = fields
    return jsonify(error=error), status


def hit_json(hit: SearchHit) -> dict:
    """Return one result as the API shows it."""
    clinic = hit.clinic
    return {
        "slug": clinic.slug,
        "name": clinic.name,
        "url": url_for("listings.clinic_page", slug=clinic.slug, _external=True),
        "city": clinic.city,
        "state": clinic.state,
        "lat": clinic.latitude,
        "lon": clinic.longitude,
        "distance_mi": round(hit.distance_miles, 2),
        "distance_km": round(hit.distance_km, 2),
        "score": clinic.score_total,
        "rating_avg": clinic.rating_avg,
        "rating_bayes": clinic.rating_bayes,
        "rating_count": clinic.rating_count,
        "price_per_infusion_usd": clinic.price_per_infusion_usd,
        "accepting_new_patients": clinic.accepting_new_patients,
        "has_verified_credentials": clinic.has_verified_credentials,
        "conditions": [c.value for c in clinic.conditions],
        "routes": [r.value for r in clinic.routes],
        **closure_json(clinic),
    }


@bp.get("/search")
@limiter.limit(SEARCH_RATE_LIMIT)
@kept_for_visitors
def search():
    """Return the clinics near a place, with the filters, order and page asked for."""
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        return api_error(
            400, f"Unknown parameter {', '.join(unknown)}. Known parameters: {', '.join(PARAMETERS)}.",
            {name: ["Unknown parameter."] for name in unknown},
        )  # fmt: skip
    form = ApiSearchForm(request.args)
    if not form.validate():
        fields = form.field_errors()
        summary = " ".join(f"{name}: {' '.join(errors)}" for name, errors in fields.items())
        return api_error(400, f"Some parameters cannot be used. {summary}", fields)
    if form.q.data:
        return name_search_json(form, hit_json)
    try:
        outcome = search_near(
            db.session, current_locator(), form.location.data, with_counts=True,
            **form.criteria(current_app.config["PER_PAGE"]),
        )
    except PlaceNotFound as exc:
        # 404, not 422: the request is well formed (any text may name a place) and names a place that is not found.
        return api_error(404, str(exc), {"location": [str(exc)]})
    found, origin = outcome.results, outcome.origin
    if found.page > found.pages:
        return api_error(404, f"This search has {found.pages} page(s); there is no page {found.page}.")
    return jsonify(
        origin={"lat": origin.latitude, "lon": origin.longitude, "label": origin.label, "source": origin.source},
        radius_mi=round(found.query.radius_miles, 3),
        radius_km=round(miles_to_km(found.query.radius_miles), 3),
        sort=found.query.sort.value,
        results=[hit_json(hit) for hit in found.hits],
        total=found.total,
        total_exact=found.total_is_exact,
        page=found.page,
        pages=found.pages,
        per_page=found.query.per_page,
        nearest=hit_json(outcome.nearest) if outcome.nearest else None,  # only when nothing is within the radius
        filter_counts=outcome.counts.as_json(),
    )
