"""The moderators' credential queue: check each self-reported credential and verify or refuse it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import VerificationMethod
from provider_dir.documents.services import send_document
from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.moderation import log
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.credentials.forms import CredentialDecisionForm
from provider_dir.moderation.decisions.services import CONFLICT_MESSAGE
from provider_dir.moderation.views import moderators_only
from provider_dir.registry.services import checks_by_credential
from provider_dir.registry.views import moderator_context
from provider_dir.reviews.http import explain_errors

bp = Blueprint("credential_queue", __name__, url_prefix="/moderation/credentials")
explain_errors(bp)
bp.before_request(moderators_only)


def _credential(credential_id: int) -> Credential:
    """Return the credential, or 403 when the moderator belongs to its clinic."""
    credential = db.get_or_404(Credential, credential_id, description="There is no credential with that number.")
    if current_user.belongs_to(credential_queue.clinic_of(credential).id):
        abort(403, description=CONFLICT_MESSAGE)
    return credential


@bp.get("/")
def index():
    """List pending credentials, oldest first."""
    pagination = db.paginate(
        credential_queue.queue(current_user), page=page_arg(), per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )  # fmt: skip
    return render_template(
        "moderation/credential_queue.html",
        pagination=pagination,
        left_for_others=credential_queue.left_for_others(current_user),
        registry_checks=checks_by_credential(c.id for c in pagination.items),
    )


@bp.get("/<int:credential_id>")
def item(credential_id: int):
    """Show one credential with its document, its history and the decision form."""
    credential = _credential(credential_id)
    return _render_item(credential, CredentialDecisionForm(formdata=None, version=credential.version))


def _render_item(credential: Credential, form: CredentialDecisionForm, status: int = 200):
    return render_template(
        "moderation/credential_item.html",
        credential=credential,
        clinic=credential_queue.clinic_of(credential),
        form=form,
        pending=credential_queue.is_pending(credential),
        history=log.history(credential.id, "credential"),
        **moderator_context(credential),
    ), status


@bp.post("/<int:credential_id>/decision")
def decide(credential_id: int):
    """Verify or refuse one credential, if it is still as the moderator saw it."""
    credential = _credential(credential_id)
    form = CredentialDecisionForm()
    if not form.validate_on_submit():
        return _render_item(credential, form, 422)
    def run():
        if form.verify.data:
            return credential_queue.verify(
                credential, current_user, form.version.data, VerificationMethod(form.method.data),
                form.reference.data or "", form.note.data or "",
            )  # fmt: skip
        return credential_queue.refuse(
            credential, current_user, form.version.data, form.chosen_reason, form.note.data or ""
        )

    try:
        commit_decision(run)
    except credential_queue.DecisionRefused as exc:
        db.session.rollback()
        form.method.errors.append(str(exc))
        return _render_item(db.session.get(Credential, credential_id), form, 422)
    flash_recorded("Decision recorded; the clinic's owners were told.")
    return redirect(url_for("credential_queue.index"))


@bp.get("/<int:credential_id>/document")
def document(credential_id: int):
    """Download the document attached to a credential (moderators who do not belong to its clinic)."""
    credential = _credential(credential_id)
    if credential.document is None:
        abort(404, description="No document is attached to this credential.")
    return send_document(credential.document)
