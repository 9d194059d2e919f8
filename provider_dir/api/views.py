"""JSON endpoints under /api/v1."""

from datetime import date

from flask import Blueprint, abort, jsonify, url_for

from provider_dir.api.openapi import document
from provider_dir.api.serializers import clinic_detail
from provider_dir.extensions import csrf, db
from provider_dir.imports.provenance import (
    outside_ratings_json,
    provenance_json,
    provenance_of,
    shown_outside_ratings,
)
from provider_dir.listings import services

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/clinics/<slug>")
def clinic(slug: str):
    """Return what the clinic page shows, as JSON."""
    found = services.get_published_clinic(slug)
    if found is None:
        abort(404, description=f"No published clinic has the slug '{slug[:120]}'. Check the address and try again.")
    body = clinic_detail(found)
    body["provenance"] = provenance_json(provenance_of(db.session, found.id))
    body["outside_ratings"] = outside_ratings_json(shown_outside_ratings(db.session, found.id, date.today()))
    body["url"] = url_for("listings.clinic_page", slug=found.slug, _external=True)
    return jsonify(body)


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 document describing every /api/v1 endpoint."""
    return jsonify(document())
