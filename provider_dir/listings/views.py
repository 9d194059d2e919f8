"""Listing pages: the directory, a clinic's page, and its printable questions."""

from collections.abc import Iterator
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from provider_dir.extensions import db
from provider_dir.hours.page import page_hours
from provider_dir.hours.zones import zone_label
from provider_dir.imports.provenance import latest_source_read, provenance_of, shown_outside_ratings, shown_ratings_read
from provider_dir.listings import display, services
from provider_dir.listings.closures import closure_text
from provider_dir.listings.page_clinic import page_clinic
from provider_dir.listings.review_page import items_read, review_page
from provider_dir.models.prefetch import Read, prefetch
from provider_dir.pagecache.hooks import kept_for_visitors
from provider_dir.registry.services import public_registry_reads
from provider_dir.reviews.figures.charts import review_facts_read
from provider_dir.reviews.filters import STAR_CHOICES, ReviewFilters, parse_filters
from provider_dir.reviews.template_globals import clinic_rating_figures
from provider_dir.scoring.checklist.loading import answers_read
from provider_dir.scoring.checklist.questions import GENERAL_QUESTIONS, questions_for
from provider_dir.scoring.services import clinic_score, score_history_read

bp = Blueprint("listings", __name__)

DIRECTORY_PER_PAGE = 50
# The clinic page shows a few reviews at a time so that the checklist and the staff stay within reach.
REVIEWS_PER_PAGE = 3
# Far beyond any real listing; bigger numbers would only make the database count past the end.
MAX_PAGE = 100_000
MAP_ATTRIBUTION = "© OpenStreetMap contributors"

for _name in ("state_name", "safe_web_url", "web_label", "tel_href", "usd", "month_year", "long_date"):
    bp.add_app_template_filter(getattr(display, _name), _name)
bp.add_app_template_global(display.public_identifier, "public_identifier")
bp.add_app_template_global(closure_text, "closure_text")
bp.add_app_template_global(page_hours, "page_hours")
bp.add_app_template_global(zone_label, "zone_label")


def page_arg() -> int:
    """Return ?page=N as a positive int; abort 400 for anything else and 404 far past any last page."""
    raw = request.args.get("page", "1").strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        abort(400, description="The page number must be a whole number of 1 or more, such as 2.")
    page = int(raw)
    if page > MAX_PAGE:
        abort(404, description="There is no page with that number.")
    return page


def paginate_or_404(query, per_page: int):
    """Paginate a query; a page past the last one is a 404 (the first page may be empty)."""
    page = page_arg()
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=False)

    def count() -> int:  # as Flask-SQLAlchemy counts
        counted = query.options(lazyload("*")).order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counted))

    return counted_or_404(pagination, count)


def counted_or_404(pagination, count):
    """Give a page its total (count() only when the page does not tell it); a page past the last one is a 404."""
    if pagination.page == 1 and len(pagination.items) < pagination.per_page:
        pagination.total = len(pagination.items)  # a first page that is not full holds them all: nothing to count
    else:
        pagination.total = count()
    if pagination.page > 1 and not pagination.items:
        abort(404, description=f"There is no page {pagination.page}; the last page is {max(pagination.pages, 1)}.")
    return pagination


def published_or_404(slug: str, read=services.get_published_clinic_alone):
    """Return the published clinic with this slug as `read` gives it (an object by default), or abort 404."""
    clinic = read(slug)
    if clinic is None:
        abort(404, description="No published clinic has that address. It may have moved or been withdrawn.")
    return clinic


@bp.get("/clinics")
@kept_for_visitors
def directory():
    """List published clinics by state and city."""
    pagination = paginate_or_404(services.published_clinics(), DIRECTORY_PER_PAGE)
    return render_template("listings/directory.html", pagination=pagination)


def clinic_page_reads(clinic_id: int, filters: ReviewFilters, page: int, today: date) -> Iterator[Read]:
    """Yield the reads a clinic's page makes once it has the clinic (each as the function that makes it names it)."""
    yield items_read(clinic_id, filters, REVIEWS_PER_PAGE, (page - 1) * REVIEWS_PER_PAGE)
    yield review_facts_read(clinic_id)
    yield services.page_staff_read(clinic_id)
    yield latest_source_read(clinic_id)
    yield shown_ratings_read(clinic_id, today)
    yield answers_read(clinic_id)
    yield from public_registry_reads(clinic_id)
    yield score_history_read(clinic_id)


@bp.get("/clinics/<slug>")
@kept_for_visitors
def clinic_page(slug: str):
    """Show a clinic in the order a patient decides: summary, staff, reviews (filtered by GET arguments), checklist."""
    clinic = published_or_404(slug, read=page_clinic)  # a row: the page changes nothing
    filters = parse_filters(request.args)
    number, today = page_arg(), date.today()
    prefetch(db.session, clinic_page_reads(clinic.id, filters, number, today))  # one round trip on PostgreSQL
    page = review_page(clinic.id, filters, number, REVIEWS_PER_PAGE)
    # The rating panel reads every review of the clinic once: it gives the unfiltered total and the conditions
    # the filter offers, with no statement of their own.
    figures = clinic_rating_figures(clinic)
    reviews = counted_or_404(page, page.count_all if filters.active else lambda: figures.transparency.published)
    conditions = list(figures.reviewed_conditions)
    if filters.condition is not None and filters.condition not in conditions:
        conditions.append(filters.condition)  # keep what was chosen in the form
    html = render_template(
        "listings/clinic.html",
        clinic=clinic,
        staff=services.page_staff(clinic.id),
        reviews=reviews,
        review_filters=filters,
        review_conditions=conditions,
        review_star_choices=STAR_CHOICES,
        map_tile_url=current_app.config.get("MAP_TILE_URL", ""),
        map_tile_attribution=current_app.config.get("MAP_TILE_ATTRIBUTION", MAP_ATTRIBUTION),
        provenance=provenance_of(db.session, clinic.id),
        outside_ratings=shown_outside_ratings(db.session, clinic.id, today),
    )
    return html, 400 if filters.errors else 200


@bp.get("/clinics/<slug>/questions")
@kept_for_visitors
def clinic_questions(slug: str):
    """Show a printable list of questions for every item nobody has checked at this clinic, then general ones."""
    clinic = published_or_404(slug)
    return render_template(
        "listings/questions.html",
        clinic=clinic,
        questions=questions_for(clinic_score(db.session, clinic.id)),
        general_questions=GENERAL_QUESTIONS,
    )
