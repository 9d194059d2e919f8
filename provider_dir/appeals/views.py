"""Appeals as the people decisions are about see them: what they may appeal, the form, and their appeals."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from provider_dir.appeals import services
from provider_dir.appeals.forms import AppealForm
from provider_dir.appeals.vocab import APPEAL_DAYS, APPEAL_MAX_CHARS
from provider_dir.extensions import db
from provider_dir.reviews.http import explain_errors
from provider_dir.transparency.kinds import kind_label, outcome_label
from provider_dir.transparency.reasons import reason_label

bp = Blueprint("appeals", __name__, url_prefix="/appeals")
explain_errors(bp)


@bp.app_context_processor
def _labels():
    return {"appeal_kind_label": kind_label, "appeal_outcome_label": outcome_label, "appeal_reason_label": reason_label}


@bp.get("/")
@login_required
def mine():
    """Show the decisions the account may appeal and the appeals it made."""
    return render_template("appeals/mine.html", open_decisions=services.open_to(current_user),
                           appeals=services.appeals_of(current_user), days=APPEAL_DAYS)


def _decision_or_404(log_id: int) -> services.Appealed:
    decision = services.load_decision(log_id)
    if decision is None or current_user.id not in decision.how.appellants(decision.entry, decision.item):
        abort(404, description="There is no decision with that number that you can appeal.")
    return decision


def _render(decision, form, status=200):
    return render_template("appeals/new.html", decision=decision, form=form, refusal=services.refusal(
        decision, current_user), deadline=services.deadline(decision.entry), max_chars=APPEAL_MAX_CHARS), status


@bp.get("/decisions/<int:log_id>")
@login_required
def new(log_id: int):
    """Show the appeal form for one decision (or why it cannot be appealed)."""
    decision = _decision_or_404(log_id)
    status = 200 if services.refusal(decision, current_user) is None else 403
    return _render(decision, AppealForm(formdata=None), status)


@bp.post("/decisions/<int:log_id>")
@login_required
def create(log_id: int):
    """Make the appeal."""
    decision = _decision_or_404(log_id)
    form = AppealForm()
    if not form.validate():
        return _render(decision, form, 422)
    try:
        services.file_appeal(decision, current_user, form.text.data)
        db.session.commit()
    except services.AppealRefused as exc:
        db.session.rollback()
        form.text.errors = [str(exc)]
        return _render(decision, form, 422)
    flash("Your appeal is sent. A second moderator will decide it and tell you why, here and by email.", "success")
    return redirect(url_for("appeals.mine"))
