"""The checklist-evidence queue for moderators: see each pending answer with its evidence, verify or refuse it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.documents.models import Document
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.moderation import log
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.moderation.views import moderators_only
from provider_dir.portal.evidence_views import send_or_404
from provider_dir.reviews.http import explain_errors
from provider_dir.scoring.answers import TARGET_TYPE, is_pending
from provider_dir.scoring.checklist.items import EVIDENCE_KIND_LABELS, ITEMS_BY_CODE
from provider_dir.scoring.evidence.forms import EvidenceDecisionForm
from provider_dir.scoring.models import ChecklistAnswer

bp = Blueprint("evidence_queue", __name__, url_prefix="/moderation/evidence")
bp.before_request(moderators_only)
explain_errors(bp)


def _context(**extra) -> dict:
    return {"items_by_code": ITEMS_BY_CODE, "kind_labels": EVIDENCE_KIND_LABELS, **extra}


@bp.get("/")
def index():
    """Show pending evidence, oldest first; clinics the moderator belongs to are left for others."""
    pagination = db.paginate(
        evidence_queue.pending(current_user), page=page_arg(), per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    forms = {a.id: EvidenceDecisionForm(formdata=None, version=a.version) for a in pagination.items}
    return render_template(
        "moderation/evidence_queue.html",
        **_context(pagination=pagination, forms=forms,
                   left_for_others=evidence_queue.left_for_others(current_user)),
    )


def _answer_or_404(answer_id: int) -> ChecklistAnswer:
    return db.get_or_404(ChecklistAnswer, answer_id, description="There is no checklist answer with that number.")


def _render_item(answer: ChecklistAnswer, form: EvidenceDecisionForm, status: int = 200):
    conflict = current_user.belongs_to(answer.clinic_id)
    if conflict and status == 200:
        abort(403, description="You belong to this clinic, so another moderator must decide its evidence.")
    return render_template(
        "moderation/evidence_item.html",
        **_context(answer=answer, form=form, queued=is_pending(answer), history=log.history(answer.id, TARGET_TYPE)),
    ), status


@bp.get("/<int:answer_id>")
def item(answer_id: int):
    """Show one answer with its evidence and history."""
    answer = _answer_or_404(answer_id)
    return _render_item(answer, EvidenceDecisionForm(formdata=None, version=answer.version))


@bp.post("/<int:answer_id>/decision")
def decide(answer_id: int):
    """Verify or refuse one answer, if it is still as the moderator saw it."""
    answer = _answer_or_404(answer_id)
    if current_user.belongs_to(answer.clinic_id):
        abort(403, description="You belong to this clinic, so another moderator must decide its evidence.")
    form = EvidenceDecisionForm()
    if not form.validate_on_submit():
        return _render_item(answer, form, 422)
    try:
        decision = commit_decision(lambda: evidence_queue.decide(
            answer, current_user, form.version.data, verify=bool(form.verify.data), basis=form.chosen_basis,
            reason=form.chosen_reason, note=form.note.data or "",
        ))  # fmt: skip
    except evidence_queue.CannotVerify as exc:
        db.session.rollback()
        form.basis.errors = [str(exc)]
        return _render_item(_answer_or_404(answer_id), form, 422)
    flash_recorded(f"Decision recorded ({decision.action.replace('_', ' ')}).")
    return redirect(url_for("evidence_queue.index"))


@bp.get("/documents/<int:document_id>")
def document(document_id: int):
    """Download a checklist-evidence document (moderators only), as an attachment."""
    doc = db.session.get(Document, document_id)
    if doc is None or doc.purpose != DocumentPurpose.EVIDENCE:
        abort(404, description="There is no evidence document with that number.")
    if current_user.belongs_to(doc.clinic_id):
        abort(403, description="You belong to this clinic, so another moderator must look at its evidence.")
    return send_or_404(doc)
