"""The appeal queue: open appeals, oldest first, each for a moderator other than the first and with no clinic tie."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.appeals import services
from provider_dir.appeals.forms import AppealDecisionForm
from provider_dir.appeals.models import Appeal
from provider_dir.appeals.vocab import AppealReason, AppealStatus
from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.moderation import log
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.decisions.services import CONFLICT_MESSAGE
from provider_dir.moderation.services import ConflictOfInterest, StaleDecision
from provider_dir.moderation.views import moderators_only
from provider_dir.reviews.http import explain_errors

bp = Blueprint("moderation_appeals", __name__, url_prefix="/moderation/appeals")
explain_errors(bp)


bp.before_request(moderators_only)  # the queues' own check: moderators and admins, with a second factor


@bp.get("/")
def index():
    """Show the open appeals this moderator may decide, oldest first."""
    pagination = db.paginate(services.queue(current_user), page=page_arg(),
                             per_page=current_app.config["PER_PAGE"], error_out=False)  # fmt: skip
    return render_template("appeals/queue.html", pagination=pagination,
                           decisions={a.id: services.load_decision(a.log_id) for a in pagination.items})


def _appeal_for_me(appeal_id: int, deciding: bool = False) -> Appeal:
    """Return the appeal; 403 for a moderator tied to it. Once decided, the first moderator may read it (their
    statement-of-reasons notice links here); only a moderator of the clinic never may."""
    appeal = db.get_or_404(Appeal, appeal_id, description="There is no appeal with that number.")
    if appeal.status != AppealStatus.OPEN and not deciding:
        if appeal.clinic_id is not None and current_user.belongs_to(appeal.clinic_id):
            abort(403, description=CONFLICT_MESSAGE)
        return appeal
    try:
        services.ensure_may_decide(appeal, current_user, appeal.version)
    except ConflictOfInterest as exc:
        abort(403, description=str(exc))
    except StaleDecision:
        pass  # decided already: the decision below answers 409
    return appeal


def _render(appeal: Appeal, form: AppealDecisionForm, status: int = 200):
    return render_template("appeals/item.html", appeal=appeal, form=form,
                           decision=services.load_decision(appeal.log_id),
                           history=log.history(appeal.decision.target_id, appeal.decision.target_type)), status


@bp.get("/<int:appeal_id>")
def item(appeal_id: int):
    """Show one appeal with the decision it is about and that item's history."""
    appeal = _appeal_for_me(appeal_id)
    return _render(appeal, AppealDecisionForm(formdata=None, version=appeal.version))


@bp.post("/<int:appeal_id>/decision")
def decide(appeal_id: int):
    """Uphold or reverse the appeal."""
    appeal = _appeal_for_me(appeal_id, deciding=True)
    form = AppealDecisionForm()
    if not form.validate():
        return _render(appeal, form, 422)
    try:
        commit_decision(lambda: services.decide(appeal, current_user, form.version.data,
                                                AppealReason(form.reason.data), form.note.data or ""))
    except services.AppealRefused as exc:
        db.session.rollback()
        form.reason.errors = [str(exc)]
        return _render(db.session.get(Appeal, appeal_id), form, 422)
    flash_recorded("The appeal is decided; both sides are told why.")
    return redirect(url_for("moderation_appeals.index"))
