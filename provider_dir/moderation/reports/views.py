"""Reporting a published review, and the notifications page where people learn outcomes."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from provider_dir.extensions import db, limiter
from provider_dir.listings.views import page_arg
from provider_dir.moderation import notifications
from provider_dir.moderation.forms import ConfirmForm, ReportForm
from provider_dir.moderation.reports import services as reports
from provider_dir.moderation.vocab import RejectionReason
from provider_dir.reviews.http import explain_errors
from provider_dir.reviews.limits import REPORTING_LIMIT, REPORTING_MESSAGE, account_or_address, succeeded

bp = Blueprint("reports", __name__)
explain_errors(bp)



@bp.route("/reviews/<int:review_id>/report", methods=["GET", "POST"])
@limiter.limit(
    REPORTING_LIMIT,
    key_func=account_or_address,
    methods=["POST"],
    deduct_when=succeeded,
    error_message=REPORTING_MESSAGE,
)
def report(review_id: int):
    """Report a published review; logged-in reporters are told the outcome."""
    review = reports.reportable_review(review_id)
    if review is None:
        abort(404, description="There is no published review with that number.")
    form = ReportForm()
    if form.validate_on_submit():
        reporter = current_user._get_current_object() if current_user.is_authenticated else None
        try:
            reports.file_report(review, reporter, RejectionReason(form.reason.data), form.note.data or "")
        except reports.AlreadyReported as exc:
            flash(str(exc), "info")
        else:
            db.session.commit()
            if reporter is not None:
                flash("Thank you. A moderator will check the review; you will see the outcome under "
                      "Notifications.", "success")
            else:
                flash("Thank you. A moderator will check the review. Log in next time to be told the outcome.",
                      "success")
        return redirect(url_for("listings.clinic_page", slug=review.clinic.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/report.html", form=form, review=review), status


@bp.get("/notifications")
@login_required
def notification_list():
    """Show the account's notifications, newest first."""
    pagination = db.paginate(
        notifications.for_user(current_user.id),
        page=page_arg(),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "moderation/notifications.html",
        pagination=pagination,
        unread=notifications.unread_count(current_user.id),
        form=ConfirmForm(),
    )


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark every notification as read."""
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    notifications.mark_all_read(current_user.id)
    db.session.commit()
    return redirect(url_for("reports.notification_list"))
