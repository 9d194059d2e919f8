"""Listing pages: the directory and a clinic's page."""

from flask import Blueprint, abort, current_app, render_template, request

from provider_dir.extensions import db
from provider_dir.listings import services

bp = Blueprint("listings", __name__)


def page_arg() -> int:
    """Return ?page=N as a positive int, or abort 400 with a message."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description="The page number must be a whole number of 1 or more.")
    return int(raw)


@bp.get("/clinics")
def directory():
    """List published clinics by state and city."""
    pagination = db.paginate(
        services.published_clinics(), page=page_arg(), per_page=50, error_out=False, count=True
    )
    if pagination.page > 1 and not pagination.items:
        abort(404, description="There is no page with that number.")
    return render_template("listings/directory.html", pagination=pagination)


@bp.get("/clinics/<slug>")
def clinic_page(slug: str):
    """Show everything about one clinic."""
    clinic = services.get_published_clinic(slug)
    if clinic is None:
        abort(404, description="No published clinic has that address.")
    reviews = db.paginate(
        services.approved_reviews(clinic.id),
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("listings/clinic.html", clinic=clinic, reviews=reviews)
