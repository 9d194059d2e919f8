"""Claiming a listing and creating a new one: open to every signed-in account with a confirmed email address."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy import select

from provider_dir.core.errors import error_response, own_description
from provider_dir.core.rate_limits import configured
from provider_dir.documents.services import accepts_uploads, save_upload
from provider_dir.documents.storage import DocumentRejected
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db, limiter, login_manager
from provider_dir.listings.models import Clinic
from provider_dir.listings.services import SLUG_PATTERN
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.mail.links import absolute_url
from provider_dir.mail.services import MailError, queue_mail
from provider_dir.models.base import utcnow
from provider_dir.moderation.forms import ConfirmForm
from provider_dir.notices.services import notify_owners
from provider_dir.portal.claims import services as claims
from provider_dir.portal.listings.edit import AddressNotPlaced, create_listing
from provider_dir.portal.listings.forms import ClaimForm, CodeForm, NewListingForm
from provider_dir.portal.models import ClinicClaim
from provider_dir.portal.terms import OWNER_TERMS
from provider_dir.portal.vocab import OWNER_TERMS_VERSION, ClaimMethod, ClaimStatus
from provider_dir.reviews.http import explain_errors

bp = Blueprint("portal_claims", __name__, url_prefix="/portal")
explain_errors(bp)


@bp.errorhandler(RateLimitExceeded)
def too_many(exc: RateLimitExceeded):
    """Say what the limit is and what to do, in a sentence."""
    return error_response(429, own_description(exc))


MAIL_DOWN = "We could not send the email just now: {error} Nothing was saved; please try again in a few minutes."


@bp.before_request
def signed_in_only():
    """Send anonymous visitors to the log-in page."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _published_clinic(slug: str) -> Clinic:
    clinic = None
    if SLUG_PATTERN.fullmatch(slug):
        clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug, Clinic.status == ClinicStatus.PUBLISHED))
    if clinic is None:
        abort(404, description="No published clinic has that address.")
    return clinic


def _own_claim(claim_id: int) -> ClinicClaim:
    claim = db.session.get(ClinicClaim, claim_id)
    if claim is None or claim.user_id != current_user.id:
        abort(404, description="You have no claim with that number.")
    return claim


def _send_code(claim: ClinicClaim, code: str) -> None:
    link = absolute_url("portal_claims.enter_code", claim_id=claim.id)
    queue_mail(
        claim.proof_email,
        f"Your code to claim {claim.clinic.name}",
        f"Someone (we hope you) asked to manage the listing of {claim.clinic.name} on our directory.\n\n"
        f"Your code is {code}. It works for 30 minutes. Enter it here:\n{link}\n\n"
        "If this was not you, ignore this email: nothing happens without the code.\n",
    )


def _tell_owners_of(claim: ClinicClaim) -> None:
    """Tell the clinic's current owners that someone else asked to manage it (the email leaves on commit)."""
    clinic = claim.clinic
    text = (f"{claim.user.display_name} ({claim.role_at_clinic}) asked to manage {clinic.name}. "
            "A moderator will decide; tell us at once if you do not know this person.")  # fmt: skip
    notify_owners(clinic, f"New claim on {clinic.name}", text, "portal_listing.dashboard", slug=clinic.slug,
                  except_user_id=claim.user_id)


def _render_claim(clinic: Clinic, form: ClaimForm, refusal: str | None = None, status: int = 200):
    return render_template(
        "portal/claim.html", clinic=clinic, form=form, terms=OWNER_TERMS, terms_version=OWNER_TERMS_VERSION,
        refusal=refusal,
        domain=claims.website_domain(clinic.website), no_website=claims.NO_WEBSITE_MESSAGE,
    ), status  # fmt: skip


@bp.route("/claim/<slug>", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_CLAIMS"), methods=["POST"])
@accepts_uploads
def claim(slug: str):
    """Claim a listing: state a role, prove it by a code to the clinic's domain or a document, accept the terms."""
    clinic = _published_clinic(slug)
    form = ClaimForm()
    try:
        claims.ensure_may_claim(current_user, clinic)
    except claims.ClaimRefused as exc:
        return _render_claim(clinic, form, str(exc), 403 if form.is_submitted() else 200)
    if not form.validate_on_submit():
        return _render_claim(clinic, form, status=422 if form.is_submitted() else 200)
    now = utcnow()
    try:
        if form.method.data == ClaimMethod.DOMAIN_EMAIL.value:
            new_claim, code = claims.start_domain_claim(
                current_user, clinic, form.role_at_clinic.data, form.proof_email.data,
                current_app.config["SECRET_KEY"], now,
            )  # fmt: skip
            _send_code(new_claim, code)
            db.session.commit()
            flash(f"We sent a code to {new_claim.proof_email}. Enter it below.", "info")
            return redirect(url_for("portal_claims.enter_code", claim_id=new_claim.id))
        document = save_upload(form.document.data, clinic.id, current_user, DocumentPurpose.CLAIM)
        new_claim = claims.submit_document_claim(current_user, clinic, form.role_at_clinic.data, document, now)
        _tell_owners_of(new_claim)
        db.session.commit()
    except claims.ClaimRefused as exc:
        db.session.rollback()
        target = form.proof_email if form.method.data == ClaimMethod.DOMAIN_EMAIL.value else form.method
        target.errors = [*target.errors, str(exc)]
        return _render_claim(clinic, form, status=422)
    except DocumentRejected as exc:
        db.session.rollback()
        form.document.errors = [str(exc)]
        return _render_claim(clinic, form, status=422)
    except MailError as exc:
        db.session.rollback()
        form.proof_email.errors = [MAIL_DOWN.format(error=exc)]
        return _render_claim(clinic, form, status=503)
    flash("Thank you. A moderator will check your document and decide; we will tell you by email.", "success")
    return redirect(url_for("portal_claims.my_claims"))


def _render_code(claim: ClinicClaim, form: CodeForm, status: int = 200):
    return render_template("portal/claim_code.html", claim=claim, form=form,
                           wait=claims.resend_wait(claim, utcnow())), status  # fmt: skip


@bp.route("/claims/<int:claim_id>/code", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_CLAIM_CODES"), methods=["POST"])
def enter_code(claim_id: int):
    """Enter the code that was mailed to the clinic's domain."""
    claim_ = _own_claim(claim_id)
    form = CodeForm()
    if not form.validate_on_submit():
        return _render_code(claim_, form, 422 if form.is_submitted() else 200)
    try:
        claims.confirm_code(claim_, form.code.data, current_app.config["SECRET_KEY"], utcnow())
    except claims.CodeRejected as exc:
        db.session.commit()  # the wrong attempt counts
        form.code.errors = [str(exc)]
        return _render_code(claim_, form, 422)
    _tell_owners_of(claim_)
    db.session.commit()
    flash("Your address is confirmed. A moderator will now check your claim and decide; we will tell you by email.",
          "success")  # fmt: skip
    return redirect(url_for("portal_claims.my_claims"))


@bp.post("/claims/<int:claim_id>/resend")
@limiter.limit(configured("RATELIMIT_CLAIM_CODE_RESEND"))
def resend_code(claim_id: int):
    """Send a new code (the previous one stops working)."""
    claim_ = _own_claim(claim_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    form = CodeForm(formdata=None)
    if claim_.status != ClaimStatus.AWAITING_CODE:
        abort(409, description="This claim is not waiting for a code.")
    wait = claims.resend_wait(claim_, utcnow())
    if wait:
        form.code.errors = [f"Please wait {wait} seconds before asking for another code."]
        return _render_code(claim_, form, 429)
    code = claims.issue_code(claim_, current_app.config["SECRET_KEY"], utcnow())
    try:
        _send_code(claim_, code)
    except MailError as exc:
        db.session.rollback()
        form.code.errors = [MAIL_DOWN.format(error=exc)]
        return _render_code(claim_, form, 503)
    db.session.commit()
    flash(f"We sent a new code to {claim_.proof_email}.", "info")
    return redirect(url_for("portal_claims.enter_code", claim_id=claim_.id))


@bp.post("/claims/<int:claim_id>/withdraw")
def withdraw(claim_id: int):
    """Withdraw one's own waiting claim."""
    claim_ = _own_claim(claim_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="Your form expired. Please reload the page and try again.")
    try:
        claims.withdraw(claim_, current_user)
    except claims.ClaimRefused as exc:
        abort(409, description=str(exc))
    db.session.commit()
    flash("Your claim is withdrawn.", "info")
    return redirect(url_for("portal_claims.my_claims"))


@bp.get("/claims")
def my_claims():
    """List the account's claims, with each moderator's decision and reason."""
    return render_template("portal/my_claims.html", claims=claims.claims_of(current_user), confirm=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(configured("RATELIMIT_CLAIMS"), methods=["POST"])
def new_listing():
    """Create a listing: it stays a draft, owned by its creator, until a moderator publishes it."""
    form = NewListingForm()
    refusal = claims.listing_refusal(current_user)
    status = 200
    if refusal:
        status = 403 if form.is_submitted() else 200
    elif form.validate_on_submit():
        try:
            clinic = create_listing(current_user, form.name.data, form.owner_values())
        except AddressNotPlaced as exc:
            db.session.rollback()
            form.zip_code.errors = [*form.zip_code.errors, str(exc)]
            status = 422
        else:
            db.session.commit()
            flash("Your listing is saved as a draft. A moderator will check it before it is published; until then "
                  "you can keep editing it.", "success")  # fmt: skip
            return redirect(url_for("portal_listing.dashboard", slug=clinic.slug))
    elif form.is_submitted():
        status = 422
    return render_template(
        "portal/new_listing.html", form=form, terms=OWNER_TERMS, terms_version=OWNER_TERMS_VERSION, refusal=refusal
    ), status


@bp.app_template_global("reason_label")
def reason_label(value: str | None) -> str:
    """Return the label of a stored decision reason (an ApprovalBasis or RefusalReason value)."""
    from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason

    for vocab in (ApprovalBasis, RefusalReason):
        if value in vocab._value2member_map_:
            return vocab(value).label
    return value or ""
