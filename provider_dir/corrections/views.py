"""Suggesting a correction from a clinic's page (anyone), and the moderators' queue of corrections."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from provider_dir.core.rate_limits import configured
from provider_dir.corrections import services
from provider_dir.corrections.forms import CorrectionDecisionForm, CorrectionForm
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.vocab import ATTRIBUTES, AcceptBasis, CorrectionField, DeclineReason
from provider_dir.extensions import db, limiter
from provider_dir.listings.views import page_arg, published_or_404
from provider_dir.models.base import utcnow
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.decisions.services import CONFLICT_MESSAGE
from provider_dir.moderation.portal.views import moderators_only
from provider_dir.portal.listings.edit import AddressNotPlaced
from provider_dir.reviews.http import explain_errors
from provider_dir.reviews.limits import account_or_address, succeeded

bp = Blueprint("corrections", __name__)
queue_bp = Blueprint("moderation_corrections", __name__, url_prefix="/moderation/corrections")
explain_errors(bp)
explain_errors(queue_bp)
queue_bp.before_request(moderators_only)

# Per account, or per address when not signed in: enough for a person who knows several clinics, not for a script.
CORRECTIONS_LIMIT = configured("RATELIMIT_CORRECTIONS")  # default 10 per hour;30 per day
CORRECTIONS_MESSAGE = (
    "You have sent many corrections in a short time, so we paused corrections from here. Please try again in an "
    "hour. The corrections you sent before are with the moderators."
)


def blueprints() -> list[Blueprint]:
    """Return the blueprints to register."""
    return [bp, queue_bp]


@bp.route("/clinics/<slug>/correction", methods=["GET", "POST"])
@limiter.limit(CORRECTIONS_LIMIT, key_func=account_or_address, methods=["POST"], deduct_when=succeeded,
               error_message=CORRECTIONS_MESSAGE)  # fmt: skip
def suggest(slug: str):
    """Suggest a correction to one fact of a published clinic's listing; a moderator checks it first."""
    clinic = published_or_404(slug)
    form = CorrectionForm()
    if form.validate_on_submit():
        submitter = current_user._get_current_object() if current_user.is_authenticated else None
        services.suggest(clinic, CorrectionField(form.field.data), form.proposed(), submitter,
                         form.source_url.data or "", form.note.data or "")  # fmt: skip
        db.session.commit()
        told = "" if submitter else " Log in next time to be told the outcome."
        flash("Thank you. A moderator will check your correction before the listing changes." + told, "success")
        return redirect(url_for("listings.clinic_page", slug=clinic.slug))
    if not form.is_submitted() and request.args.get("field") in {f.value for f in CorrectionField}:
        form.field.data = request.args["field"]
    current = {field: services.describe(field, services.current_values(clinic, field)) for field in CorrectionField}
    status = 422 if form.is_submitted() else 200
    return render_template("corrections/suggest.html", clinic=clinic, form=form, current=current), status


# The moderators' queue ------------------------------------------------------------------------------------------


def _render(items, forms, total, pagination=None, status: int = 200):
    return render_template(
        "corrections/queue.html", items=items, forms=forms, total=total, pagination=pagination,
        describe=services.describe, attributes=ATTRIBUTES, accept_labels={b.value: b.label for b in AcceptBasis},
        decline_labels={r.value: r.label for r in DeclineReason},
    ), status  # fmt: skip


def _forms(items) -> dict[int, CorrectionDecisionForm]:
    return {item.id: CorrectionDecisionForm(formdata=None, version=item.version) for item in items}


def _correction_or_404(correction_id: int) -> ClinicCorrection:
    correction = db.get_or_404(ClinicCorrection, correction_id, description="There is no correction with that number.")
    if current_user.belongs_to(correction.clinic_id):  # before any form: a moderator of the clinic never gets further
        abort(403, description=CONFLICT_MESSAGE)
    if correction.submitter_id == current_user.id:
        abort(403, description=services.OWN_SUGGESTION_MESSAGE)
    return correction


@queue_bp.get("/")
def index():
    """Show the corrections waiting for a moderator, oldest first."""
    pagination = db.paginate(services.queue(current_user), page=page_arg(),
                             per_page=current_app.config["PER_PAGE"], error_out=False)  # fmt: skip
    return _render(pagination.items, _forms(pagination.items), pagination.total, pagination)


@queue_bp.get("/<int:correction_id>")
def item(correction_id: int):
    """Show one correction (decided ones too)."""
    correction = _correction_or_404(correction_id)
    return _render([correction], _forms([correction]), 1)


@queue_bp.post("/<int:correction_id>/decision")
def decide(correction_id: int):
    """Accept (the listing changes) or decline one correction, if it is still as the moderator saw it."""
    correction = _correction_or_404(correction_id)
    form = CorrectionDecisionForm()
    if not form.validate_on_submit():
        return _render([correction], {correction.id: form}, 1, status=422)
    try:
        commit_decision(lambda: services.decide(correction, current_user, form.version.data, form.chosen,
                                                form.note.data or "", utcnow()))  # fmt: skip
    except AddressNotPlaced as exc:
        db.session.rollback()
        form.basis.errors.append(f"{exc} Decline it, or ask the person for the right address.")
        return _render([correction], {correction.id: form}, 1, status=422)
    flash_recorded("Decision recorded." + (" The listing is changed." if form.accept.data else ""))
    return redirect(url_for("moderation_corrections.index"))
