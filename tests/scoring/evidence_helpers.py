"""Helpers for the checklist-evidence tests: files to upload, the owner's form, pending answers."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from werkzeug.datastructures import FileStorage

from provider_dir.documents.services import save_upload
from provider_dir.documents.vocab import DocumentPurpose
from provider_dir.extensions import db
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def six_mb_pdf() -> bytes:
    """A PDF-looking file of 6 MB: over the 5 MB limit and the app's usual 2 MB request limit."""
    return PDF + b"0" * (6 * 1024 * 1024 - len(PDF))


def evidence_url(slug: str, code: str) -> str:
    """The owner's form for one item."""
    return f"/portal/clinics/{slug}/checklist/{code}"


def post_evidence(client, slug: str, code: str, file: bytes | None = None, filename: str = "policy.pdf", **fields):
    """Post the owner's evidence form, with a file when given."""
    data = {"text": "", "url": "", **fields}
    if file is not None:
        data["document"] = (io.BytesIO(file), filename)
    return client.post(evidence_url(slug, code), data=data, content_type="multipart/form-data")


def pending_answer(clinic, code: str, owner, text: str = "We follow a written protocol.", pdf: bool = False,
                   submitted_at: datetime | None = None, never_sent: bool = False, **fields) -> ChecklistAnswer:
    """Add an answer waiting for a moderator, as an owner's save leaves it (with a stored PDF when asked)."""
    if submitted_at is None and not never_sent:
        submitted_at = datetime.now(UTC) - timedelta(hours=1)
    answer = ChecklistAnswer(
        clinic=clinic, item_code=code, status=fields.pop("status", AnswerStatus.SELF_REPORTED),
        evidence_kind=EvidenceKind.SR,
        evidence_text=text, evidence_url=fields.pop("evidence_url", ""),
        submitted_at=submitted_at, **fields,
    )
    db.session.add(answer)
    if pdf:
        answer.document = save_upload(FileStorage(io.BytesIO(PDF), "protocol.pdf"), clinic.id, owner,
                                      DocumentPurpose.EVIDENCE)
    db.session.flush()
    return answer


def reload_answer(answer_id: int) -> ChecklistAnswer:
    """Return the answer as the database has it now."""
    db.session.expire_all()
    return db.session.get(ChecklistAnswer, answer_id)
