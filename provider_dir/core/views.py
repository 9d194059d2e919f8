"""Home page, static pages and health checks."""

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text

from provider_dir.extensions import db, limiter
from provider_dir.listings import services as listings
from provider_dir.pagecache.hooks import kept_for_visitors

bp = Blueprint("core", __name__)

# The name patients see; the package and the command line stay provider_dir (see the README's "Name").
SITE_NAME = "Lantern Clinic Guide"
bp.add_app_template_global(SITE_NAME, "site_name")

RADIUS_CHOICES_MI = (10, 25, 50, 100)
DEFAULT_RADIUS_MI = 25


@bp.get("/")
@kept_for_visitors
def home():
    """Show the search form, what the directory checks, and the cities with the most clinics."""
    cities = db.session.execute(listings.busiest_cities(limit=8)).all()
    return render_template(
        "core/home.html", cities=cities, radius_choices=RADIUS_CHOICES_MI, default_radius=DEFAULT_RADIUS_MI
    )


@bp.get("/about")
def about():
    """Explain what the site is, that the demo data is fictional, and credit data sources."""
    return render_template("core/about.html")


@bp.get("/guide")
def guide():
    """Explain to a first-time patient what to expect, citing the brief and the checklist's sources."""
    from provider_dir.scoring.checklist.items import SOURCES

    return render_template("core/guide.html", sources=list(SOURCES.values()))


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Answer while the process is up."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Answer 200 only when the database answers, its migrations are at head and the front-end files are there."""
    from provider_dir.core.assets import missing_assets
    from provider_dir.core.readiness import migration_state

    try:
        db.session.execute(text("SELECT 1"))
        current, head = migration_state(db.session.connection(), current_app.extensions["migrate"].directory)
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure as not ready
        current_app.logger.warning("readiness check failed: %s", exc)
        return jsonify(status="unavailable", reason="database not reachable"), 503
    if current != head:
        return jsonify(status="unavailable", reason="migrations not at head", current=current, head=head), 503
    if missing := missing_assets(current_app.static_folder):
        return jsonify(status="unavailable", reason="front-end files missing: run `make assets`", missing=missing), 503
    return jsonify(status="ok", revision=current)
