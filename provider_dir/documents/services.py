"""Save uploads as Document rows and serve them only as attachments. Callers check who may see a document."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request, send_file
from werkzeug.datastructures import FileStorage

from provider_dir.accounts.models import User
from provider_dir.documents import storage
from provider_dir.documents.models import Document
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db

# A request carrying a document may be this large; the 5 MB limit itself is checked on the file, so a 6 MB file
# gets the form back with a message instead of a bare 413.
UPLOAD_REQUEST_LIMIT = 8 * 1024 * 1024


def uploads_folder() -> Path:
    """Return the folder uploads are kept in (outside the static folder)."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def accepts_uploads(view):
    """Mark a view whose form carries a document, so its requests may be as large as UPLOAD_REQUEST_LIMIT."""
    view.accepts_uploads = True
    return view


def init_upload_limit(app: Flask) -> None:
    """Raise the body limit for marked views before anything reads the body.

    Registered before CSRFProtect: its check reads the form, so a limit raised inside the view would come too late
    and a 6 MB file would get a bare 413 instead of the form back with a message.
    """

    @app.before_request
    def raise_limit_for_uploads():
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "accepts_uploads", False):
            request.max_content_length = UPLOAD_REQUEST_LIMIT


def save_upload(upload: FileStorage, clinic_id: int, uploader: User, purpose: DocumentPurpose) -> Document:
    """Check and store an uploaded file, add its Document row to the session; raise DocumentRejected when unfit."""
    data = upload.read(storage.MAX_DOCUMENT_BYTES + 1)
    if len(data) > storage.MAX_DOCUMENT_BYTES:
        # Only one byte past the limit was read; name the file's real size in the message, not the limit's.
        raise storage.DocumentRejected(storage.too_large_message(_stream_size(upload, len(data))))
    stored = storage.store(data, uploads_folder())
    document = Document(
        clinic_id=clinic_id,
        uploaded_by=uploader,
        purpose=purpose,
        storage_name=stored.storage_name,
        original_name=(upload.filename or "")[:200],
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
    )
    db.session.add(document)
    return document


def _stream_size(upload: FileStorage, read: int) -> int:
    """Return the upload's full size in bytes, or what was read when its stream cannot seek."""
    try:
        return max(read, upload.stream.seek(0, 2))
    except (OSError, ValueError, AttributeError):
        return read


def send_document(document: Document):
    """Return the file as a download that no browser will render or sniff."""
    path = storage.path_of(uploads_folder(), document.storage_name)
    extension = storage.EXTENSIONS.get(document.content_type, "bin")
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=True,
        download_name=f"document-{document.id}.{extension}",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
