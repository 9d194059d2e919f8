"""Template globals that make the review partials self-sufficient wherever they are included."""

from __future__ import annotations

from flask import Flask, get_template_attribute
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from markupsafe import Markup

from provider_dir.core.kept import Kept
from provider_dir.listings.models import Clinic
from provider_dir.moderation.notifications import unread_count
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.pagecache.memo import per_request
from provider_dir.reviews.figures import charts as figures
from provider_dir.reviews.figures import sync
from provider_dir.reviews.vocab import Answer, SideEffect, TimeToRelief


def clinic_rating_figures(clinic: Clinic) -> figures.ClinicFigures:
    """Return the clinic's rating panel: aggregates, percentile and transparency counts, once per request."""
    return per_request("rating_figures", clinic.id, lambda: figures.clinic_figures(clinic))


# The rating panel's bars and star rows by their arguments: a page draws some thirty, from a few dozen distinct
# ones, and each macro call cost more than its HTML (templates/reviews/_macros.html stays their source).
_KEPT_MARKUP: Kept[Markup] = Kept(1024)  # bars: 101 widths, twice; star rows: 6


def _kept_macro(name: str, *args) -> Markup:
    return _KEPT_MARKUP.get((name, *args), lambda: get_template_attribute("reviews/_macros.html", name)(*args))


def review_bar(percent: int, warn: bool = False) -> Markup:
    """Return the _macros.html bar for a share in percent (0-100), kept by its arguments."""
    return _kept_macro("bar", int(percent), bool(warn))


def review_stars(value: float | None) -> Markup:
    """Return the _macros.html row of stars for a rating (rounded to whole stars), kept by that number."""
    return _kept_macro("stars", round(value or 0))


def site_approval_by_star() -> list[figures.StarApproval]:
    """Return the site-wide approval rate per star rating."""
    return figures.approval_by_star()


def viewer_can_review(clinic: Clinic) -> bool:
    """Return True when the visitor may write a review of this clinic (anonymous visitors are asked to log in)."""
    from provider_dir.reviews.services import refusal_reason

    if not current_user.is_authenticated:
        return True
    return refusal_reason(current_user, clinic) is None


def viewer_owns_clinic(clinic: Clinic) -> bool:
    """Return True when the visitor is an owner of the clinic (and may reply to its reviews)."""
    from provider_dir.portal.replies import is_owner

    return current_user.is_authenticated and is_owner(current_user, clinic.id)


def unread_notifications() -> int:
    """Return the logged-in visitor's unread notification count (0 when anonymous)."""
    return unread_count(current_user.id) if current_user.is_authenticated else 0


def install(state: BlueprintSetupState) -> None:
    """Register the globals and the session events once per app."""
    sync.install()
    app: Flask = state.app
    app.add_template_global(clinic_rating_figures)
    app.add_template_global(site_approval_by_star)
    app.add_template_global(review_bar)
    app.add_template_global(review_stars)
    app.add_template_global(viewer_can_review)
    app.add_template_global(viewer_owns_clinic)
    app.add_template_global(unread_notifications)
    app.add_template_global(figures.condition_label, "condition_label")
    app.add_template_global(list(SideEffect), "SIDE_EFFECTS")
    app.add_template_global(list(TimeToRelief), "RELIEF_TIMES")
    app.add_template_global(list(RejectionReason), "REJECTION_REASONS")
    app.add_template_global(Answer, "ANSWER")
