"""An owner's dashboard for each clinic and the listing edit form (clinic-owner accounts, own clinics only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from provider_dir.corrections import services as correction_services
from provider_dir.credentials.services import expiring_credentials
from provider_dir.extensions import db
from provider_dir.portal import dashboard as board
from provider_dir.portal import invitations
from provider_dir.portal.access import owned_clinic, owners_only
from provider_dir.portal.listings.edit import FIELD_LABELS, AddressNotPlaced, pending_change, save_owner_edit
from provider_dir.portal.listings.forms import EditListingForm
from provider_dir.portal.listings.screening import held_message
from provider_dir.portal.vocab import ChangeKind
from provider_dir.reviews.http import explain_errors
from provider_dir.scoring.services import clinic_score

bp = Blueprint("portal_listing", __name__, url_prefix="/portal/clinics")
explain_errors(bp)


bp.before_request(owners_only)



@bp.get("/<slug>")
def dashboard(slug: str):
    """Show one clinic's completeness, score gains, expiring credentials, pending decisions, reviews and codes."""
    clinic = owned_clinic(slug)
    score = clinic_score(db.session, clinic.id)
    unanswered, newest_unanswered = board.awaiting_reply(clinic.id)
    issued, used = invitations.code_counts(clinic.id)
    return render_template(
        "portal/dashboard.html",
        clinic=clinic,
        completeness=board.completeness(clinic),
        score=score,
        gains=board.score_gains(score),
        expiring=expiring_credentials(clinic.id, within_days=60),
        pending=board.pending(clinic.id),
        unanswered=unanswered,
        newest_unanswered=newest_unanswered,
        replies=board.reply_count(clinic.id),
        issued=issued,
        used=used,
        labels=FIELD_LABELS,
        corrections=correction_services.pending_for_clinic(clinic.id),
        describe=correction_services.describe,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    """Edit the fields an owner may set; text that may promise a cure waits for a moderator."""
    clinic = owned_clinic(slug)
    form = EditListingForm()
    status = 200
    if not form.is_submitted():
        form.fill_from(clinic)
    elif form.validate_on_submit():
        try:
            outcome = save_owner_edit(clinic, current_user, form.owner_values())
        except AddressNotPlaced as exc:
            db.session.rollback()
            form.zip_code.errors = [*form.zip_code.errors, str(exc)]
            status = 422
        else:
            db.session.commit()
            if outcome.saved:
                names = ", ".join(FIELD_LABELS[name] for name in outcome.saved)
                flash(f"Saved: {names}.", "success")
            if outcome.held is not None:
                flash(held_message(outcome.flagged, FIELD_LABELS), "warning")
            if not outcome.saved and outcome.held is None:
                flash("Nothing changed.", "info")
            return redirect(url_for("portal_listing.dashboard", slug=clinic.slug))
    else:
        status = 422
    return render_template(
        "portal/edit_listing.html", clinic=clinic, form=form, held=pending_change(clinic.id, ChangeKind.EDIT),
        labels=FIELD_LABELS,
    ), status  # fmt: skip
