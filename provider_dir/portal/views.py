"""The clinic portal: invitation codes and public replies. Owners can reply; they can never change a review."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.moderation.forms import ConfirmForm
from provider_dir.portal import invitations, replies
from provider_dir.portal.access import owned_clinic, owners_only
from provider_dir.portal.forms import InvitationForm, ReplyForm
from provider_dir.portal.listings.screening import NON_CONFIRMING_TEMPLATE
from provider_dir.reviews.http import explain_errors
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus

bp = Blueprint("portal", __name__, url_prefix="/portal")
explain_errors(bp)


bp.before_request(owners_only)



def _owned_review(review_id: int) -> Review:
    review = db.get_or_404(Review, review_id, description="There is no review with that number.")
    if not replies.is_owner(current_user, review.clinic_id):
        abort(403, description="You can only reply to reviews of clinics you own.")
    if review.status != ReviewStatus.APPROVED:
        abort(404, description="Only published reviews can be answered.")
    return review


@bp.get("/")
def index():
    """List the owner's clinics."""
    clinics = replies.owned_clinics(current_user)
    counts = {clinic.id: invitations.code_counts(clinic.id) for clinic in clinics}
    return render_template("portal/index.html", clinics=clinics, counts=counts)


@bp.route("/clinics/<slug>/invitations", methods=["GET", "POST"])
def invitation_codes(slug: str):
    """Explain invitations and issue single-use codes; the codes are shown once, on this response only."""
    clinic = owned_clinic(slug)
    form = InvitationForm()
    codes: list[str] = []
    status = 200
    if form.validate_on_submit():
        codes = invitations.issue_codes(clinic, current_user, form.count.data)
        db.session.commit()
    elif form.is_submitted():
        status = 422
    issued, used = invitations.code_counts(clinic.id)
    response = current_app.make_response(
        (render_template("portal/invitations.html", clinic=clinic, form=form, codes=codes, issued=issued, used=used),
         status)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/clinics/<slug>/reviews")
def clinic_reviews(slug: str):
    """List the clinic's published reviews with their replies."""
    clinic = owned_clinic(slug)
    pagination = db.paginate(
        replies.published_reviews(clinic.id), page=page_arg(), per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("portal/reviews.html", clinic=clinic, pagination=pagination)


@bp.route("/reviews/<int:review_id>/reply", methods=["GET", "POST"])
def reply(review_id: int):
    """Write or edit the clinic's one public reply to a review."""
    review = _owned_review(review_id)
    template = NON_CONFIRMING_TEMPLATE.format(phone=review.clinic.phone or "our front desk")
    form = ReplyForm(obj=review.reply)
    status = 200
    if form.is_submitted() and form.use_template.data:
        form.body.data = template
        form.body.errors = []
    elif form.validate_on_submit():
        try:
            replies.save_reply(review, current_user, form.body.data)
        except replies.ReplyRefused as exc:
            form.body.errors = [str(exc)]
            status = 422
        else:
            db.session.commit()
            flash("Your reply is posted on the clinic's page.", "success")
            return redirect(url_for("portal.clinic_reviews", slug=review.clinic.slug))
    elif form.is_submitted():
        status = 422
    return render_template(
        "portal/reply.html", review=review, form=form, template=template, delete_form=ConfirmForm()
    ), status


@bp.post("/reviews/<int:review_id>/reply/delete")
def delete_reply(review_id: int):
    """Remove the clinic's own reply."""
    review = _owned_review(review_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    replies.delete_reply(review, current_user)
    db.session.commit()
    flash("Your reply was removed.", "info")
    return redirect(url_for("portal.clinic_reviews", slug=review.clinic.slug))
