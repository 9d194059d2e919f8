"""Checklist evidence in the clinic portal: the owner answers each item with text, a link or a document.

Owners of the clinic only (the portal's own checks); documents are served to that clinic's owners, as attachments.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.documents import services as documents
from provider_dir.documents.models import Document
from provider_dir.documents.storage import DocumentRejected
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.forms import ConfirmForm
from provider_dir.moderation.vocab import RefusalReason
from provider_dir.portal.access import owned_clinic, owners_only
from provider_dir.reviews.http import explain_errors
from provider_dir.scoring import answers
from provider_dir.scoring.checklist.items import ITEMS, ITEMS_BY_CODE, ChecklistItem
from provider_dir.scoring.evidence.forms import EvidenceForm

bp = Blueprint("portal_evidence", __name__, url_prefix="/portal/clinics/<slug>")
bp.before_request(owners_only)
explain_errors(bp)


def _answerable(code: str) -> ChecklistItem:
    item = ITEMS_BY_CODE.get(code.upper())
    if item is None:
        abort(404, description="There is no checklist item with that code.")
    if not answers.owner_may_answer(item):
        abort(404, description="The clinic does not answer this item itself: it comes from staff credentials or a "
                               "moderator's own check.")
    return item


def refusal_label(value: str | None) -> str:
    """Return a refusal reason's label."""
    try:
        return RefusalReason(value).label
    except ValueError:
        return value or ""


@bp.get("/checklist")
def checklist(slug: str):
    """List the checklist items with the clinic's answer to each and what a moderator made of it."""
    clinic = owned_clinic(slug)
    return render_template(
        "portal/evidence_list.html",
        clinic=clinic,
        items=ITEMS,
        answers=answers.answers_by_code(clinic.id),
        may_answer=answers.ANSWERABLE_CODES,
        refusal_label=refusal_label,
    )


def _render_item(clinic: Clinic, item: ChecklistItem, form: EvidenceForm, status: int = 200):
    return render_template(
        "portal/evidence_item.html",
        clinic=clinic,
        item=item,
        answer=answers.answer_for(clinic, item.code),
        form=form,
        withdraw_form=ConfirmForm(),
        refusal_label=refusal_label,
    ), status


@bp.route("/checklist/<code>", methods=["GET", "POST"])
@documents.accepts_uploads
def item(slug: str, code: str):
    """Show and save the clinic's answer to one item; the save waits for a moderator's check."""
    clinic = owned_clinic(slug)
    item = _answerable(code)
    answer = answers.answer_for(clinic, item.code)
    form = EvidenceForm(needs_expiry=item.expires)
    if not form.is_submitted():
        if answer is not None:
            form = EvidenceForm(formdata=None, needs_expiry=item.expires, text=answer.evidence_text,
                                url=answer.evidence_url, expires_on=answer.expires_on)
        return _render_item(clinic, item, form)
    has_document = answer is not None and answer.document_id is not None
    if not (form.validate() & form.check_some_evidence(has_document)):
        return _render_item(clinic, item, form, 422)
    new_document = None
    if form.has_new_file():
        try:
            new_document = documents.save_upload(form.document.data, clinic.id, current_user,
                                                 DocumentPurpose.EVIDENCE)
        except DocumentRejected as exc:
            form.document.errors = [str(exc), "Your text and link are kept below; choose a file again."]
            return _render_item(clinic, item, form, 422)
    given = answers.EvidenceInput(
        text=(form.text.data or "").strip(),
        url=form.url.data or "",
        expires_on=form.expires_on.data,
        new_document=new_document,
        remove_document=bool(form.remove_document.data) and new_document is None,
    )
    try:
        saved = answers.save_answer(clinic, item, current_user, given)
    except answers.NothingNew as exc:
        db.session.rollback()
        form.text.errors = [str(exc)]
        return _render_item(clinic, item, form, 422)
    db.session.commit()
    if saved is None:
        flash("Nothing changed, so nothing was sent.", "info")
    else:
        flash(f"Your answer to {item.code} is saved as self-reported and waits for a moderator's check.", "success")
    return redirect(url_for("portal_evidence.checklist", slug=clinic.slug) + f"#item-{item.code}")


@bp.post("/checklist/<code>/withdraw")
def withdraw(slug: str, code: str):
    """Withdraw the clinic's answer to one item: it becomes unknown again."""
    clinic = owned_clinic(slug)
    item = _answerable(code)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    if answers.withdraw_answer(clinic, item, current_user) is not None:
        db.session.commit()
        flash(f"Your answer to {item.code} was withdrawn; the item is unknown again.", "info")
    return redirect(url_for("portal_evidence.checklist", slug=clinic.slug))


@bp.get("/documents/<int:document_id>")
def document(slug: str, document_id: int):
    """Download a checklist-evidence document of this clinic (owners of this clinic only)."""
    clinic = owned_clinic(slug)
    doc = db.session.get(Document, document_id)
    if doc is None or doc.clinic_id != clinic.id or doc.purpose != DocumentPurpose.EVIDENCE:
        abort(404, description="This clinic has no evidence document with that number.")
    return send_or_404(doc)


def send_or_404(doc: Document):
    """Send the document as an attachment, or 404 when its file is gone."""
    try:
        return documents.send_document(doc)
    except FileNotFoundError:
        abort(404, description="The file of this document is missing.")
