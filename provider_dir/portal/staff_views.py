"""The portal's staff and credentials pages: owners of a clinic add, edit and remove its staff and their credentials."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from provider_dir.core.errors import error_response
from provider_dir.credentials import services
from provider_dir.credentials.forms import CredentialForm, StaffForm, form_for
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.documents.services import accepts_uploads, save_upload, send_document
from provider_dir.documents.storage import DocumentRejected
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.moderation.forms import ConfirmForm
from provider_dir.portal.access import owned_clinic, owners_only
from provider_dir.reviews.http import explain_errors

bp = Blueprint("portal_staff", __name__, url_prefix="/portal/clinics/<slug>/staff")
explain_errors(bp)
bp.before_request(owners_only)

EXPIRED_FORM = "Your form expired. Please reload the page and try again."
CHANGED_MEANWHILE = (
    "A moderator decided about this credential while you were editing it, so nothing was saved. "
    "Please open it again and repeat your change."
)


def _member(clinic: Clinic, staff_id: int) -> StaffMember:
    member = services.staff_of(clinic.id, staff_id)
    if member is None:
        abort(404, description="This clinic has no staff member with that number.")
    return member


def _credential(member: StaffMember, credential_id: int) -> Credential:
    credential = services.credential_of(member, credential_id)
    if credential is None:
        abort(404, description="This staff member has no credential with that number.")
    return credential


def _kind_arg() -> CredentialKind | None:
    value = request.args.get("kind", "")
    try:
        return CredentialKind(value)
    except ValueError:
        return None


@bp.get("")
def index(slug: str):
    """List the clinic's staff with each credential's status, and what expires soon."""
    clinic = owned_clinic(slug)
    return render_template(
        "portal/staff_index.html",
        clinic=clinic,
        staff=services.clinic_staff(clinic.id),
        expiring={c.id for c in services.expiring_credentials(clinic.id)},
        confirm=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
def new_staff(slug: str):
    """Add a staff member."""
    clinic = owned_clinic(slug)
    form = StaffForm()
    if form.validate_on_submit():
        member = services.add_staff(clinic, current_user, form.values())
        db.session.commit()
        flash(f"{member.display_name} is listed. Add their credentials below.", "success")
        return redirect(url_for(".index", slug=slug, _anchor=f"staff-{member.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template("portal/staff_form.html", clinic=clinic, form=form, member=None), status


@bp.route("/<int:staff_id>", methods=["GET", "POST"])
def edit_staff(slug: str, staff_id: int):
    """Edit a staff member's name, degree, role, biography or place in the list."""
    clinic = owned_clinic(slug)
    member = _member(clinic, staff_id)
    form = StaffForm(obj=member if request.method == "GET" else None)
    if request.method == "GET":
        form.role.data = member.role.value
    if form.validate_on_submit():
        changed = services.update_staff(member, current_user, form.values())
        db.session.commit()
        flash("Saved." if changed else "Nothing changed.", "success" if changed else "info")
        return redirect(url_for(".index", slug=slug, _anchor=f"staff-{member.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "portal/staff_form.html", clinic=clinic, form=form, member=member, confirm=ConfirmForm()
    ), status


@bp.post("/<int:staff_id>/delete")
def delete_staff(slug: str, staff_id: int):
    """Remove a staff member with all their credentials."""
    clinic = owned_clinic(slug)
    member = _member(clinic, staff_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description=EXPIRED_FORM)
    name = member.display_name
    services.remove_staff(member, current_user)
    db.session.commit()
    flash(f"{name} and their credentials were removed.", "info")
    return redirect(url_for(".index", slug=slug))


def _document(form: CredentialForm, clinic: Clinic):
    """Store the attached file, if any; on a refused file put the message on the form and return False."""
    upload = form.document.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return save_upload(upload, clinic.id, current_user, DocumentPurpose.CREDENTIAL)
    except DocumentRejected as exc:
        form.document.errors = [*form.document.errors, f"{exc} Please choose the file again."]
        return False


@bp.route("/<int:staff_id>/credentials/new", methods=["GET", "POST"])
@accepts_uploads
def new_credential(slug: str, staff_id: int):
    """Choose a kind of credential, then add one with that kind's fields."""
    clinic = owned_clinic(slug)
    member = _member(clinic, staff_id)
    kind = _kind_arg()
    if kind is None:
        if request.method == "POST" or request.args.get("kind"):
            abort(404, description="Choose one of the kinds of credential listed on this page.")
        return render_template("portal/staff_credential_kind.html", clinic=clinic, member=member, kinds=CredentialKind)
    form = form_for(kind)()
    if form.validate_on_submit():
        document = _document(form, clinic)
        if document is not False:
            values = {"issuer": form.default_issuer, **form.values()}
            credential = services.add_credential(member, current_user, kind, values, document)
            db.session.commit()
            flash(f"{kind.label} added. It shows as self-reported until a moderator checks it.", "success")
            return redirect(url_for(".index", slug=slug, _anchor=f"credential-{credential.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "portal/staff_credential_form.html", clinic=clinic, member=member, form=form, kind=kind, credential=None
    ), status


@bp.route("/<int:staff_id>/credentials/<int:credential_id>", methods=["GET", "POST"])
@accepts_uploads
def edit_credential(slug: str, staff_id: int, credential_id: int):
    """Change a credential or attach a document to it; any change makes it self-reported until checked again."""
    clinic = owned_clinic(slug)
    member = _member(clinic, staff_id)
    credential = _credential(member, credential_id)
    form_class = form_for(credential.kind)
    form = form_class(data=form_class.fill(credential)) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        document = _document(form, clinic)
        if document is not False:
            try:
                changed = services.update_credential(credential, current_user, form.values(), document)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                return error_response(409, CHANGED_MEANWHILE)
            if changed:
                flash("Saved. It shows as self-reported until a moderator checks it again.", "success")
            else:
                flash("Nothing changed.", "info")
            return redirect(url_for(".index", slug=slug, _anchor=f"credential-{credential.id}"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "portal/staff_credential_form.html", clinic=clinic, member=member, form=form, kind=credential.kind,
        credential=credential, confirm=ConfirmForm(),
    ), status  # fmt: skip


@bp.post("/<int:staff_id>/credentials/<int:credential_id>/delete")
def delete_credential(slug: str, staff_id: int, credential_id: int):
    """Remove one credential."""
    clinic = owned_clinic(slug)
    credential = _credential(_member(clinic, staff_id), credential_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description=EXPIRED_FORM)
    label = credential.kind.label
    try:
        services.remove_credential(credential, current_user)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return error_response(409, CHANGED_MEANWHILE)
    flash(f"The {label} was removed.", "info")
    return redirect(url_for(".index", slug=slug))


@bp.get("/<int:staff_id>/credentials/<int:credential_id>/document")
def credential_document(slug: str, staff_id: int, credential_id: int):
    """Download the document attached to a credential (this clinic's owners only)."""
    clinic = owned_clinic(slug)
    credential = _credential(_member(clinic, staff_id), credential_id)
    if credential.document is None or credential.document.clinic_id != clinic.id:
        abort(404, description="No document is attached to this credential.")
    return send_document(credential.document)
