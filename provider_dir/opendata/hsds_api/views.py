"""GET /hsds/...: the HSDS 3.0 API, read-only and rate-limited like /api/v1/search."""

from __future__ import annotations

import json
import math

from flask import Blueprint, Response, abort, jsonify, request, stream_with_context, url_for

from provider_dir.extensions import csrf, db, limiter
from provider_dir.geo.api import api_error
from provider_dir.geo.views import SEARCH_RATE_LIMIT, current_locator
from provider_dir.opendata.hsds import mapping
from provider_dir.opendata.hsds_api import queries
from provider_dir.opendata.hsds_api.openapi import NDJSON, document
from provider_dir.opendata.hsds_api.params import BadParameters, ListQuery, parse

bp = Blueprint("hsds_api", __name__, url_prefix="/hsds")
csrf.exempt(bp)
limiter.limit(SEARCH_RATE_LIMIT)(bp)

def refuse(status: int, message: str, fields: dict | None = None):
    """Stop the request with a JSON error of the /api/v1 shape."""
    body, status = api_error(status, message, fields)
    body.status_code = status
    abort(body)


NOT_FOUND = "No published {what} has the id '{id}'. Ids are the UUIDs the lists and the HSDS files show."


def page_json(contents: list, total: int, query: ListQuery) -> dict:
    """Return one page in the standard's Page wrapper."""
    pages = math.ceil(total / query.per_page)
    return {"total_items": total, "total_pages": pages, "page_number": query.page, "size": len(contents),
            "first_page": query.page == 1, "last_page": query.page >= pages, "empty": not contents,
            "contents": contents}


def ndjson(items) -> Response:
    """Stream items as one JSON object a line."""
    lines = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n" for item in items)
    return Response(stream_with_context(lines), mimetype=NDJSON)


def _query(endpoint: str) -> ListQuery:
    try:
        return parse(endpoint, request.args.to_dict(flat=False))
    except BadParameters as exc:
        refuse(400, f"Some parameters cannot be used. {exc}", exc.fields)


def _point(query: ListQuery) -> queries.Point | None:
    if query.postcode is None:
        return None
    origin = current_locator().locate(db.session, query.postcode)
    if origin is None:
        message = f"We do not know the postcode {query.postcode}. Give a 5-digit US ZIP code in use."
        refuse(404, message, {"postcode": [message]})
    if query.proximity_m is None:
        return None
    return queries.Point(origin.latitude, origin.longitude, query.proximity_m)


def _clinic_list(endpoint: str, shape):
    query = _query(endpoint)
    point = _point(query)
    if query.format == "ndjson":
        return ndjson(shape(row) for row in queries.every(db.session, query, point))
    found = queries.page(db.session, query, point)
    return jsonify(page_json([shape(row) for row in found.rows], found.total, query))


def _listed(items: list[dict], query: ListQuery):
    if query.format == "ndjson":
        return ndjson(items)
    start = (query.page - 1) * query.per_page
    return jsonify(page_json(items[start:start + query.per_page], len(items), query))


def _matches(item: dict, search: str | None) -> bool:
    return not search or search.lower() in f"{item['name']}\n{item.get('description', '')}".lower()


def service_list_item(row) -> dict:
    """Return a service with its one-to-one fields (the standard's service_list)."""
    return {**mapping.service(row), "organization": mapping.organization(row)}


def service_at_location_list_item(row) -> dict:
    """Return a service at a location with its location and service (the standard's service_at_location_list)."""
    return {**mapping.service_at_location(row), "location": mapping.location(row), "service": service_list_item(row)}


@bp.get("/")
def index():
    """Return the HSDS version, profile and where the OpenAPI document is."""
    return jsonify(version=mapping.HSDS_VERSION, profile=mapping.PROFILE,
                   openapi_url=url_for("hsds_api.openapi", _external=True))


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 document of /hsds/."""
    return jsonify(document())


@bp.get("/services")
def services():
    """Return a page of services with their one-to-one fields."""
    return _clinic_list("services", service_list_item)


@bp.get("/services/<id>")
def service(id: str):  # noqa: A002 - the standard's name
    """Return one fully nested service."""
    row = queries.published_clinic(db.session, "service", id)
    if row is None:
        refuse(404, NOT_FOUND.format(what="service", id=id[:60]))
    return jsonify(mapping.service_object(row, queries.staff_of(db.session, row.id)))


@bp.get("/organizations")
def organizations():
    """Return a page of organizations."""
    return _clinic_list("organizations", mapping.organization)


@bp.get("/organizations/<id>")
def organization(id: str):  # noqa: A002 - the standard's name
    """Return one organization with its location and its services."""
    row = queries.published_clinic(db.session, "clinic", id)
    if row is None:
        refuse(404, NOT_FOUND.format(what="organization", id=id[:60]))
    place = {**mapping.location(row), "addresses": [mapping.address(row)], "accessibility": mapping.accessibility(row)}
    return jsonify({**mapping.organization(row), "locations": [{k: v for k, v in place.items() if v}],
                    "services": [service_list_item(row)]})


@bp.get("/service_at_locations")
def service_at_locations():
    """Return a page of services at locations, nearest first when a postcode and proximity are given."""
    return _clinic_list("service_at_locations", service_at_location_list_item)


@bp.get("/taxonomies")
def taxonomies():
    """Return the published taxonomies (routes and conditions)."""
    query = _query("taxonomies")
    return _listed([t for t in mapping.taxonomies() if _matches(t, query.search)], query)


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    """Return the terms of the published taxonomies."""
    query = _query("taxonomy_terms")
    terms = [t for t in mapping.taxonomy_terms() if _matches(t, query.search)
             and (query.taxonomy_id is None or t["taxonomy_id"] == query.taxonomy_id)
             and query.parent_id is None]  # no published term has a parent
    return _listed(terms, query)


