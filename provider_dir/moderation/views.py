"""The moderation queue (moderators and admins only), its decisions and the log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.extensions import db, login_manager
from provider_dir.listings.views import page_arg
from provider_dir.moderation import log, services
from provider_dir.moderation.committing import commit_decision
from provider_dir.moderation.forms import DecisionForm
from provider_dir.reviews.http import explain_errors
from provider_dir.reviews.models import Review
from provider_dir.twofactor.guards import require_second_factor

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
explain_errors(bp)


@bp.before_request
def moderators_only():
    """Let only moderators and admins in."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(*services.MODERATOR_ROLES):
        abort(403, description="The moderation queue is for moderators only.")
    return require_second_factor()


@bp.get("/")
def queue():
    """Show the one queue, oldest first, the same for every rating."""
    pagination = db.paginate(
        services.queue(current_user), page=page_arg(), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    forms = {review.id: DecisionForm(formdata=None, version=review.version) for review in pagination.items}
    return render_template(
        "moderation/queue.html",
        pagination=pagination,
        forms=forms,
        left_for_others=services.left_for_others(current_user),
    )


@bp.get("/reviews/<int:review_id>")
def item(review_id: int):
    """Show one queue item with its history."""
    review = db.get_or_404(Review, review_id, description="There is no review with that number.")
    return _render_item(review, DecisionForm(formdata=None, version=review.version))


def _render_item(review: Review, form: DecisionForm, status: int = 200):
    return render_template(
        "moderation/item.html",
        review=review,
        form=form,
        queued=services.is_queued(review),
        history=log.history(review.id),
        conflict=current_user.belongs_to(review.clinic_id),
    ), status


@bp.post("/reviews/<int:review_id>/decision")
def decide(review_id: int):
    """Publish or withhold one item, if it is still as the moderator saw it."""
    review = db.get_or_404(Review, review_id, description="There is no review with that number.")
    if current_user.belongs_to(review.clinic_id):  # before the form: a moderator of the clinic never gets further
        abort(403, description=services.REVIEW_CONFLICT_MESSAGE)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_item(review, form, 422)
    action = commit_decision(
        lambda: services.decide(
            review,
            current_user,
            form.version.data,
            approve=bool(form.approve.data),
            reason=form.chosen_reason,
            note=form.note.data or "",
        )
    )
    flash(f"Decision recorded ({action.replace('_', ' ')}).", "success")
    return redirect(url_for("moderation.queue"))


@bp.get("/log")
def moderation_log():
    """Show every logged action, newest first."""
    pagination = db.paginate(log.recent_entries(), page=page_arg(), per_page=50, error_out=False)
    return render_template("moderation/log.html", pagination=pagination)
