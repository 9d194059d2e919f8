"""Undeliverable mail (admins only): each message the worker gave up on, with the SMTP error, and a retry button."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for

from provider_dir.admin.views import bp
from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.mail import outbox
from provider_dir.mail.models import MailStatus, OutgoingMail
from provider_dir.mail.services import retry_policy
from provider_dir.models.base import utcnow
from provider_dir.moderation.forms import ConfirmForm


@bp.get("/mail")
def mail():
    """List undeliverable messages, newest first, with how many wait and have been sent."""
    pagination = db.paginate(outbox.undeliverable(db.session), page=page_arg(),
                             per_page=current_app.config["PER_PAGE"], error_out=False)  # fmt: skip
    return render_template("admin/mail.html", pagination=pagination, counts=outbox.counts(db.session),
                           form=ConfirmForm())  # fmt: skip


@bp.post("/mail/<int:mail_id>/retry")
def retry_mail(mail_id: int):
    """Put an undeliverable message back in line, with a fresh day of retries."""
    message = db.get_or_404(OutgoingMail, mail_id, description="There is no stored email with that number.")
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    if message.status != MailStatus.FAILED:
        flash(f"The email to {message.recipient} is not undeliverable ({message.status.label.lower()}); "
              "nothing changed.", "info")  # fmt: skip
        return redirect(url_for("admin.mail"))
    outbox.retry(message, utcnow(), retry_policy())
    db.session.commit()
    flash(f"The email to {message.recipient} ({message.subject!r}) is back in line; the worker sends it next.",
          "success")  # fmt: skip
    return redirect(url_for("admin.mail"))
