"""Home page, static pages and health checks."""

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text

from provider_dir.extensions import db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """Show the search form and a short introduction."""
    return render_template("core/home.html")


@bp.get("/about")
def about():
    """Explain what the site is, that the demo data is fictional, and credit data sources."""
    return render_template("core/about.html")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Answer while the process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Answer 200 only when the database answers and its migrations are at head."""
    from provider_dir.core.readiness import migration_state

    try:
        db.session.execute(text("SELECT 1"))
        current, head = migration_state(db.session.connection(), current_app.extensions["migrate"].directory)
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure as not ready
        current_app.logger.warning("readiness check failed: %s", exc)
        return jsonify(status="unavailable", reason="database not reachable"), 503
    if current != head:
        return jsonify(status="unavailable", reason="migrations not at head", current=current, head=head), 503
    return jsonify(status="ok", revision=current)
