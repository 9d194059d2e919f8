"""Admin import pages: upload, read the dry-run report, confirm or cancel; past imports; undo."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from provider_dir.admin.views import admins_only
from provider_dir.documents.services import accepts_uploads
from provider_dir.extensions import db
from provider_dir.imports.errors import Unreadable
from provider_dir.imports.formats.reading import open_source
from provider_dir.imports.importer import Importer
from provider_dir.imports.models import ImportRun
from provider_dir.imports.pages import uploads
from provider_dir.imports.pages.forms import DecisionForm, UndoForm, UploadForm
from provider_dir.imports.placing import placer_from_config
from provider_dir.imports.undo import AlreadyUndone, count_created, undo_import
from provider_dir.listings.views import page_arg

bp = Blueprint("imports_admin", __name__, url_prefix="/admin/imports")
bp.before_request(admins_only)
GONE = "No upload is waiting under that address: it was confirmed, cancelled or never made. Upload the file again."


def _folder():
    return uploads.pending_folder(current_app.config["UPLOAD_FOLDER"])


def _runs():
    return select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc())


def _index(form: UploadForm, status: int = 200, problem: str = ""):
    pagination = db.paginate(_runs(), page=page_arg(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("imports/index.html", form=form, pagination=pagination, problem=problem), status


@bp.get("")
def index():
    """Show the upload form and the past imports, newest first."""
    return _index(UploadForm())


@bp.post("")
@accepts_uploads
def upload():
    """Keep the uploaded file under a generated name and show its dry run."""
    form = UploadForm()
    if not form.validate():
        return _index(form, 400)
    if not getattr(form.file.data, "filename", ""):
        form.file.errors = [*form.file.errors, "Choose the file to import."]
        return _index(form, 400)
    try:
        pending = uploads.keep(_folder(), form.file.data, form.source.data.strip(), current_user.id)
    except uploads.UploadRefused as exc:
        form.file.errors = [*form.file.errors, str(exc)]
        return _index(form, 400)
    try:
        open_source(pending.path(_folder()))
    except Unreadable as exc:
        uploads.discard(_folder(), pending)
        return _index(form, 422, problem=f"{pending.original_name} cannot be imported: {exc}")
    return redirect(url_for(".pending", token=pending.token), code=303)


def _pending_or_410(token: str) -> uploads.PendingUpload:
    pending = uploads.find(_folder(), token)
    if pending is None:
        abort(410, description=GONE)
    return pending


def _importer(pending: uploads.PendingUpload, dry_run: bool) -> Importer:
    return Importer(db.session, pending.source, dry_run=dry_run, actor=current_user._get_current_object(),
                    place=placer_from_config(current_app.config, db.session))


@bp.get("/pending/<token>")
def pending(token: str):
    """Show the dry run of a kept upload, with Confirm and Cancel (nothing is written here)."""
    kept = _pending_or_410(token)
    try:
        source = open_source(kept.path(_folder()))
        report = _importer(kept, dry_run=True).run(source, filename=kept.original_name)
    except Unreadable as exc:
        db.session.rollback()
        return _index(UploadForm(formdata=None, source=kept.source), 422,
                      problem=f"{kept.original_name} cannot be imported: {exc}")
    db.session.rollback()
    return render_template("imports/pending.html", pending=kept, report=report, form=DecisionForm())


@bp.post("/pending/<token>/confirm")
def confirm(token: str):
    """Run the import for real, then show its record."""
    kept = _pending_or_410(token)
    if not DecisionForm().validate():
        abort(400, description="Reload the page and press Confirm again.")
    try:
        report = _importer(kept, dry_run=False).run(open_source(kept.path(_folder())), filename=kept.original_name)
    except Unreadable as exc:
        db.session.rollback()
        abort(422, description=f"{kept.original_name} cannot be imported: {exc}")
    db.session.commit()
    uploads.discard(_folder(), kept)
    flash(f"Imported {kept.original_name}: {report.counts_line}.", "success")
    return redirect(url_for(".run", run_id=report.run_id), code=303)


@bp.post("/pending/<token>/cancel")
def cancel(token: str):
    """Forget a kept upload without importing it."""
    kept = _pending_or_410(token)
    if not DecisionForm().validate():
        abort(400, description="Reload the page and press Cancel again.")
    uploads.discard(_folder(), kept)
    flash(f"Cancelled: {kept.original_name} was not imported, and the uploaded file was deleted.", "info")
    return redirect(url_for(".index"), code=303)


def _run_or_404(run_id: int) -> ImportRun:
    return db.get_or_404(ImportRun, run_id, description="There is no import with that number.")


@bp.get("/<int:run_id>")
def run(run_id: int):
    """Show one import: who, when, the source, the counts, its report, and Undo while it can be undone."""
    found = _run_or_404(run_id)
    return render_template("imports/run.html", run=found, form=UndoForm(formdata=None, confirm="undo"),
                           remaining=count_created(db.session, found.id))


@bp.post("/<int:run_id>/undo")
def undo(run_id: int):
    """Remove the listings the import created that nobody has touched since; say which stayed and why."""
    found = _run_or_404(run_id)
    form = UndoForm()
    if not form.validate():
        return render_template("imports/run.html", run=found, form=form,
                               remaining=count_created(db.session, found.id)), 400
    try:
        result = undo_import(db.session, found, current_user._get_current_object())
    except AlreadyUndone as exc:
        return render_template("imports/run.html", run=found, form=form, problem=str(exc),
                               remaining=count_created(db.session, found.id)), 409
    db.session.commit()
    flash(f"Undone: removed {len(result.removed)} listing{'' if len(result.removed) == 1 else 's'}, "
          f"kept {len(result.kept)}.", "success")
    return redirect(url_for(".run", run_id=found.id), code=303)
