"""Write, edit and withdraw a review; the author's own list; the template globals of the review partials."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from provider_dir.extensions import db, limiter
from provider_dir.listings.services import get_published_clinic
from provider_dir.portal.invitations import InvalidInvitation
from provider_dir.reviews import services, template_globals
from provider_dir.reviews.cli import recompute_command
from provider_dir.reviews.forms import ReviewForm
from provider_dir.reviews.http import explain_errors
from provider_dir.reviews.limits import POSTING_LIMIT, POSTING_MESSAGE, account_or_address, succeeded
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

bp = Blueprint("reviews", __name__, cli_group="reviews")
bp.record_once(template_globals.install)
bp.cli.add_command(recompute_command)
explain_errors(bp)

posting_limit = limiter.shared_limit(
    POSTING_LIMIT,
    scope="review-posting",
    key_func=account_or_address,
    methods=["POST"],
    deduct_when=succeeded,
    error_message=POSTING_MESSAGE,
)



def _refuse_if_not_allowed(clinic) -> None:
    reason = services.refusal_reason(current_user, clinic)
    if reason:
        abort(403, description=reason)


def _own_review_or_403(review_id: int) -> Review:
    review = db.get_or_404(Review, review_id, description="There is no review with that number.")
    if review.author_id != current_user.id:
        abort(403, description="You can only change your own reviews.")
    return review


@bp.route("/clinics/<slug>/review", methods=["GET", "POST"])
@login_required
@posting_limit
def write(slug: str):
    """Show and accept the review form for one clinic."""
    clinic = get_published_clinic(slug)
    if clinic is None:
        abort(404, description="No published clinic has that address.")
    _refuse_if_not_allowed(clinic)
    existing = services.own_review(current_user.id, clinic.id)
    if existing is not None:
        flash("You have already reviewed this clinic. You can change or withdraw your review here.", "info")
        return redirect(url_for("reviews.edit", review_id=existing.id))
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            review = services.submit_review(current_user, clinic, form.review_fields(), form.invitation_code.data)
        except services.AlreadyReviewed:
            db.session.rollback()
            flash("You have already reviewed this clinic. You can change or withdraw your review here.", "info")
            existing = services.own_review(current_user.id, clinic.id)
            return redirect(url_for("reviews.edit", review_id=existing.id))
        except InvalidInvitation as exc:
            db.session.rollback()
            form.invitation_code.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                f"Thank you. Your review of {clinic.name} will appear once a moderator has checked it "
                "against our rules.",
                "success",
            )
            return redirect(url_for("reviews.mine", _anchor=f"review-{review.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template("reviews/write.html", form=form, clinic=clinic, review=None), status


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
@posting_limit
def edit(review_id: int):
    """Change one's own review; it goes back to the moderation queue."""
    review = _own_review_or_403(review_id)
    _refuse_if_not_allowed(review.clinic)
    form = ReviewForm.for_review(review)
    if form.validate_on_submit():
        try:
            services.edit_review(review, form.review_fields(), form.invitation_code.data)
        except InvalidInvitation as exc:
            db.session.rollback()
            form.invitation_code.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Your review was updated. It will appear again once a moderator has checked it.", "success")
            return redirect(url_for("reviews.mine", _anchor=f"review-{review.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "reviews/write.html", form=form, clinic=review.clinic, review=review, withdraw_form=FlaskForm()
    ), status


@bp.post("/reviews/<int:review_id>/withdraw")
@login_required
def withdraw(review_id: int):
    """Withdraw one's own review."""
    review = _own_review_or_403(review_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    if review.status == ReviewStatus.WITHDRAWN:
        flash("This review was already withdrawn.", "info")
    else:
        services.withdraw_review(review)
        db.session.commit()
        flash("Your review was withdrawn. It no longer appears on the clinic's page.", "success")
    return redirect(url_for("reviews.mine"))


@bp.get("/reviews/mine")
@login_required
def mine():
    """List the reviews the account wrote, with where each stands."""
    return render_template("reviews/mine.html", reviews=services.reviews_by(current_user.id))
