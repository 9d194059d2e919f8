"""GET /compare?c=slug&c=slug (the page, no JavaScript needed) and GET /api/v1/compare (the same as JSON)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from provider_dir.compare import services
from provider_dir.compare.serializers import comparison_json
from provider_dir.extensions import csrf, db
from provider_dir.geo.api import api_error

bp = Blueprint("compare", __name__)
api_bp = Blueprint("compare_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)


def _page(status: int, **context):
    context.setdefault("comparison", None)
    context.setdefault("error", None)
    context.setdefault("choices", [])
    return render_template("compare/compare.html", max_clinics=services.MAX_CLINICS, **context), status


@bp.get("/compare")
def page():
    """Show up to three clinics side by side; duplicates collapse into one canonical address."""
    asked = request.args.getlist("c")
    try:
        slugs = services.parse_slugs(asked)
    except services.CompareError as exc:
        # Too many: offer the chosen clinics again, so the person only has to untick some.
        found = services.published_by_slug(db.session, exc.slugs) if exc.slugs else {}
        choices = [found[slug] for slug in exc.slugs if slug in found]
        return _page(exc.status, error=exc.message, choices=choices)
    if list(slugs) != asked:
        return redirect(url_for("compare.page", c=list(slugs)))
    comparison = services.compare(db.session, slugs)
    if not comparison.clinics:
        message = f"No published clinic has the address name {', '.join(slugs)}. It may have moved or been withdrawn."
        return _page(404, error=message)
    return _page(200, comparison=comparison)


@api_bp.get("/compare")
def api():
    """Return the comparison of up to three clinics (c=slug, repeated) as JSON."""
    unknown = sorted(set(request.args) - {"c"})
    if unknown:
        return api_error(400, f"Unknown parameter {', '.join(unknown)}. Give the clinics as c=slug, up to three times.")
    try:
        slugs = services.parse_slugs(request.args.getlist("c"))
    except services.CompareError as exc:
        return api_error(exc.status, exc.message, {"c": [exc.message]})
    comparison = services.compare(db.session, slugs)
    if comparison.missing:
        message = f"No published clinic has the slug {', '.join(comparison.missing)}. Check the address and try again."
        return api_error(404, message, {"c": [message]})
    return jsonify(comparison_json(comparison))
