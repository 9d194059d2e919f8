"""Moderators' registry pages: one-click verification, and the queue of possible exclusions."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.credentials.models import Credential
from provider_dir.extensions import db
from provider_dir.listings.views import page_arg
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.decisions.services import CONFLICT_MESSAGE
from provider_dir.moderation.views import moderators_only
from provider_dir.pagecache.memo import per_request
from provider_dir.registry import decisions, services
from provider_dir.registry.files.taxonomy import describe
from provider_dir.registry.forms import ExclusionDecisionForm, OneClickVerifyForm
from provider_dir.registry.models import ExclusionMatch
from provider_dir.reviews.http import explain_errors
from provider_dir.scoring.checklist.labels import exclusion_sentence, exclusion_type_label, registry_sentence

bp = Blueprint("registry", __name__, url_prefix="/moderation/registry")
explain_errors(bp)
bp.before_request(moderators_only)
bp.add_app_template_global(services.result_label, "registry_result_label")
bp.add_app_template_global(describe, "taxonomy_label")
bp.add_app_template_global(exclusion_type_label, "exclusion_type_label")
bp.add_app_template_global(registry_sentence, "registry_sentence")
bp.add_app_template_global(exclusion_sentence, "exclusion_sentence")


@bp.app_template_global("clinic_registry")
def clinic_registry(clinic, staff=None) -> dict:
    """Return the stored checks of a clinic's credentials and its clinicians' confirmed exclusions (public page).

    `staff` is the page's staff when it read them already (listings.services.page_staff), else the clinic's.
    """
    if staff is not None:
        if not staff:
            return {"checks": {}, "exclusions": {}}
        # Once per request: the page's score reads the exclusions too (scoring.views.clinic_score).
        checks, exclusions = per_request("clinic_registry", clinic.id,
                                         lambda: services.clinic_public_registry(clinic.id))
        return {"checks": checks, "exclusions": exclusions}
    staff = list(clinic.staff)
    return {"checks": services.public_checks(c.id for m in staff for c in m.credentials),
            "exclusions": services.confirmed_exclusions(m.id for m in staff)}


def moderator_context(credential: Credential) -> dict:
    """Return what the credential page shows of the registry: the check, the registry's record, the one-click form."""
    check = services.checks_by_credential([credential.id]).get(credential.id)
    return {"registry_check": check, "registration": services.registration_of(credential),
            "one_click_form": OneClickVerifyForm(formdata=None, version=credential.version)}


@bp.post("/credentials/<int:credential_id>/verify")
def verify(credential_id: int):
    """Verify a credential whose registry check matches in every part, in one click."""
    credential = db.get_or_404(Credential, credential_id, description="There is no credential with that number.")
    if current_user.belongs_to(credential_queue.clinic_of(credential).id):
        abort(403, description=CONFLICT_MESSAGE)
    form = OneClickVerifyForm()
    if not form.validate_on_submit():
        abort(400, description="The form was incomplete or has expired; open the credential again.")
    try:
        commit_decision(lambda: decisions.verify_by_registry(credential, current_user, form.version.data))
    except credential_queue.DecisionRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("credential_queue.item", credential_id=credential_id))
    flash_recorded("Verified by the registry check; the clinic's owners were told.")
    return redirect(url_for("credential_queue.index"))


def _match(match_id: int) -> ExclusionMatch:
    match = db.get_or_404(ExclusionMatch, match_id, description="There is no possible exclusion with that number.")
    if current_user.belongs_to(match.staff_member.clinic_id):
        abort(403, description=CONFLICT_MESSAGE)
    return match


@bp.get("/exclusions/")
def exclusions():
    """List the possible LEIE matches waiting for a moderator, oldest first."""
    pagination = db.paginate(services.exclusion_queue(current_user), page=page_arg(),
                             per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("registry/exclusion_queue.html", pagination=pagination,
                           oig_url=services.OIG_SEARCH_URL)


@bp.get("/exclusions/<int:match_id>")
def exclusion(match_id: int):
    """Show one possible exclusion beside the clinician, with the decision form."""
    match = _match(match_id)
    return _render_exclusion(match, ExclusionDecisionForm(formdata=None))


def _render_exclusion(match: ExclusionMatch, form: ExclusionDecisionForm, status: int = 200):
    return render_template("registry/exclusion_item.html", match=match, member=match.staff_member,
                           clinic=match.staff_member.clinic, form=form, oig_url=services.OIG_SEARCH_URL), status


@bp.post("/exclusions/<int:match_id>/decision")
def decide_exclusion(match_id: int):
    """Confirm or dismiss one possible exclusion."""
    match = _match(match_id)
    form = ExclusionDecisionForm()
    if not form.validate_on_submit():
        return _render_exclusion(match, form, 422)
    confirm = bool(form.confirm.data)
    commit_decision(lambda: decisions.decide_exclusion(match, current_user, confirm, form.note.data or ""))
    flash_recorded("Exclusion confirmed; it now shows on the clinic page and the clinic's owners were told."
                   if confirm else "Dismissed as someone else; nothing is shown publicly.")
    return redirect(url_for("registry.exclusions"))
