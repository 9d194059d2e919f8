"""The queues of claims, new listings and held listing edits (moderators and admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.documents.services import send_document
from provider_dir.extensions import db, login_manager
from provider_dir.listings.views import page_arg
from provider_dir.models.base import utcnow
from provider_dir.moderation.committing import commit_decision, flash_recorded
from provider_dir.moderation.decisions.services import (
    CONFLICT_MESSAGE,
    MODERATOR_ROLES,
    ConflictOfInterest,
    StaleDecision,
)
from provider_dir.moderation.portal import claims as claim_queue
from provider_dir.moderation.portal import edits as edit_queue
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.moderation.portal.forms import PortalDecisionForm
from provider_dir.portal.claims.services import owners_of, website_domain
from provider_dir.portal.listings.edit import FIELD_LABELS
from provider_dir.portal.models import ClinicClaim, ListingChange
from provider_dir.portal.vocab import ChangeKind
from provider_dir.reviews.http import explain_errors
from provider_dir.scoring.services import today
from provider_dir.twofactor.guards import require_second_factor

claims_bp = Blueprint("moderation_claims", __name__, url_prefix="/moderation/claims")
listings_bp = Blueprint("moderation_listings", __name__, url_prefix="/moderation/listings")
edits_bp = Blueprint("moderation_edits", __name__, url_prefix="/moderation/edits")


def blueprints() -> list[Blueprint]:
    """Return the three queue blueprints, to register."""
    return [claims_bp, listings_bp, edits_bp]


def moderators_only():
    """Let only moderators and admins in."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_role(*MODERATOR_ROLES):
        abort(403, description="The moderation queues are for moderators only.")
    return require_second_factor()


for _bp in blueprints():
    explain_errors(_bp)
    _bp.before_request(moderators_only)


def _decision(decide, item, form: PortalDecisionForm, index_endpoint: str, **kwargs):
    """Run one decision: 403 on a conflict of interest, 409 when stale; commit it with its log row and notices."""
    commit_decision(lambda: decide(item, current_user, form.version.data, form.chosen, form.note.data or "", **kwargs))
    flash_recorded("Decision recorded.")
    return redirect(url_for(index_endpoint))


def _forms(items) -> dict[int, PortalDecisionForm]:
    return {item.id: PortalDecisionForm(formdata=None, version=item.version) for item in items}


# Claims ------------------------------------------------------------------------------------------------------------


def _claim(claim_id: int) -> ClinicClaim:
    claim = db.get_or_404(ClinicClaim, claim_id, description="There is no claim with that number.")
    try:
        claim_queue.ensure_may_decide(claim, current_user, claim.version)
    except ConflictOfInterest as exc:
        abort(403, description=str(exc))
    except StaleDecision:
        pass  # a decided claim can still be looked at
    return claim


def _render_claims(items, forms, total, pagination=None, status: int = 200):
    return render_template(
        "moderation/claims.html", items=items, forms=forms, total=total, pagination=pagination,
        owners={item.clinic_id: owners_of(item.clinic_id) for item in items}, website_domain=website_domain,
    ), status  # fmt: skip


@claims_bp.get("/")
def index():
    """Show the claims waiting for a moderator, oldest first."""
    pagination = db.paginate(claim_queue.queue(current_user), page=page_arg(),
                             per_page=current_app.config["PER_PAGE"], error_out=False)  # fmt: skip
    return _render_claims(pagination.items, _forms(pagination.items), pagination.total, pagination)


@claims_bp.get("/<int:claim_id>")
def item(claim_id: int):
    """Show one claim."""
    claim = _claim(claim_id)
    return _render_claims([claim], _forms([claim]), 1)


@claims_bp.post("/<int:claim_id>/decision")
def decide(claim_id: int):
    """Approve or refuse one claim, if it is still as the moderator saw it."""
    claim = db.get_or_404(ClinicClaim, claim_id, description="There is no claim with that number.")
    if current_user.belongs_to(claim.clinic_id):  # before the form: a moderator of the clinic never gets further
        abort(403, description=CONFLICT_MESSAGE)
    form = PortalDecisionForm()
    if not form.validate_on_submit():
        return _render_claims([claim], {claim.id: form}, 1, status=422)
    return _decision(claim_queue.decide, claim, form, "moderation_claims.index", now=utcnow())


@claims_bp.get("/<int:claim_id>/document")
def document(claim_id: int):
    """Download the document a claimant uploaded (moderators who may decide the claim only)."""
    claim = _claim(claim_id)
    if claim.document is None:
        abort(404, description="This claim has no document.")
    return send_document(claim.document)


# New listings and held edits -----------------------------------------------------------------------------------


def _listing_views(bp: Blueprint, kind: ChangeKind, service, title: str, intro: str) -> None:
    """Add index, item and decision views for one kind of listing change to a blueprint."""

    def change_or_404(change_id: int) -> ListingChange:
        change = db.session.get(ListingChange, change_id)
        if change is None or change.kind != kind:
            abort(404, description="There is no such item.")
        if current_user.belongs_to(change.clinic_id):
            abort(403, description="You belong to this clinic, so another moderator must decide this.")
        return change

    def render(items, forms, total, pagination=None, status: int = 200):
        return render_template(
            "moderation/listing_changes.html", items=items, forms=forms, total=total, pagination=pagination,
            title=title, intro=intro, labels=FIELD_LABELS, endpoint=bp.name,
        ), status  # fmt: skip

    def index():
        pagination = db.paginate(service.queue(current_user), page=page_arg(),
                                 per_page=current_app.config["PER_PAGE"], error_out=False)  # fmt: skip
        return render(pagination.items, _forms(pagination.items), pagination.total, pagination)

    def item(change_id: int):
        change = change_or_404(change_id)
        return render([change], _forms([change]), 1)

    def decide(change_id: int):
        change = db.session.get(ListingChange, change_id)
        if change is None or change.kind != kind:
            abort(404, description="There is no such item.")
        if current_user.belongs_to(change.clinic_id):  # before the form: a moderator of the clinic never gets further
            abort(403, description=CONFLICT_MESSAGE)
        form = PortalDecisionForm()
        if not form.validate_on_submit():
            return render([change], {change.id: form}, 1, status=422)
        return _decision(service.decide, change, form, f"{bp.name}.index", now=utcnow(), today=today())

    index.__doc__ = f"Show the {title.lower()} waiting for a moderator, oldest first."
    item.__doc__ = "Show one item."
    decide.__doc__ = "Approve or refuse one item, if it is still as the moderator saw it."
    bp.add_url_rule("/", "index", index, methods=["GET"])
    bp.add_url_rule("/<int:change_id>", "item", item, methods=["GET"])
    bp.add_url_rule("/<int:change_id>/decision", "decide", decide, methods=["POST"])


_listing_views(
    listings_bp, ChangeKind.NEW_LISTING, listing_queue, "New listings",
    "Publish a listing that describes a real ketamine clinic patients can visit; approving it publishes it and "
    "marks it verified today.",
)  # fmt: skip
_listing_views(
    edits_bp, ChangeKind.EDIT, edit_queue, "Held listing edits",
    "The listing-text screen held these because they may claim a cure, a guarantee or a miracle (checklist item "
    "20). Approve honest text (“we cannot guarantee results”); refuse a promise.",
)  # fmt: skip
