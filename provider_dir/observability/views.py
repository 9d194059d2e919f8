"""GET /metrics: Prometheus figures for whoever holds METRICS_TOKEN; 404 for everyone else."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from provider_dir.extensions import limiter
from provider_dir.observability.metrics import scrape_registry

bp = Blueprint("observability", __name__)


def bearer_matches(header: str, token: str) -> bool:
    """Return True when the Authorization header is 'Bearer <token>' (compared in constant time)."""
    scheme, _, given = header.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@bp.get("/metrics")
@limiter.exempt
def metrics():
    """Serve the metrics to a scraper with the token; without one configured, or with a wrong one, 404."""
    # 404 rather than 401: a visitor learns nothing, not even that the page exists; the README says so.
    if not bearer_matches(request.headers.get("Authorization", ""), current_app.config.get("METRICS_TOKEN", "")):
        abort(404)
    body = generate_latest(scrape_registry())
    return body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}
