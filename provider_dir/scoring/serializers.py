"""The score as JSON, for /api/v1/clinics/<slug>."""

from __future__ import annotations

from provider_dir.extensions import db
from provider_dir.listings.display import public_identifier
from provider_dir.scoring.checklist.items import SAFETY_CAP
from provider_dir.scoring.checklist.texts import safety_message
from provider_dir.scoring.credential_items import CredentialUse
from provider_dir.scoring.evidence.rules import AnswerEvidence
from provider_dir.scoring.item_view import item_view
from provider_dir.scoring.score import ItemResult, ScoreResult
from provider_dir.scoring.services import clinic_score


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _answer_json(answer: AnswerEvidence) -> dict:
    return {
        "kind": answer.evidence_kind,
        "text": answer.evidence_text,
        "url": answer.evidence_url or None,
        "verified_by": answer.verified_by,
        "verified_at": _iso(answer.verified_at),
        "expires_on": _iso(answer.expires_on),
    }


def _credential_json(use: CredentialUse) -> dict:
    c = use.credential
    return {
        "staff": use.staff_name,
        "credential": c.kind,
        "identifier": public_identifier(c.kind, c.identifier),
        "issuer": c.issuer,
        "status": use.level,
        "verified_by": c.verified_by,
        "verified_at": _iso(c.verified_at),
        "expires_on": _iso(c.expires_on),
    }


def item_json(result: ItemResult) -> dict:
    """Return one item's outcome; its wording (badge, and a label per piece of evidence) comes from scoring.labels."""
    patients = result.patients
    view = item_view(result)
    evidence = (
        [_credential_json(u) for u in result.credentials]
        if result.item.from_credentials
        else ([_answer_json(result.answer)] if result.answer and result.answer.status != "unknown" else [])
    )
    for piece, line in zip(evidence, view.lines, strict=True):
        piece["label"] = line.status
    return {
        "code": result.code,
        "category": result.item.category,
        "text": result.item.text,
        "status": result.status,
        "status_label": view.badge,
        "points": result.points,
        "max_points": result.max_points,
        "safety_critical": result.item.safety_critical,
        "reason": result.reason,
        "sources": list(result.item.sources),
        "evidence": evidence,
        "patients": (
            None
            if patients is None
            else {"yes": patients.yes, "no": patients.no, "not_sure": patients.not_sure, "verdict": patients.verdict}
        ),
    }


def score_json(result: ScoreResult) -> dict:
    """Return the score: total, version, safety status, categories and every item."""
    safety = result.safety
    return {
        "total": result.total,
        "max_total": result.max_total,
        "version": result.version,
        "computed_on": result.computed_on.isoformat(),
        "capped": result.capped,
        "uncapped_total": result.uncapped_total,
        "safety": {
            "ok": safety.ok,
            "cap": SAFETY_CAP,
            "unknown": list(safety.unknown),
            "expired": list(safety.expired),
            "contradicted": list(safety.contradicted),
            "message": safety_message(result),
        },
        "categories": [
            {"name": c.name, "points": c.points, "max_points": c.max_points} for c in result.categories
        ],
        "items": [item_json(r) for r in result.items],
    }


def clinic_score_json(clinic) -> dict:
    """Return a clinic's score computed now from its current evidence, with the stored total beside it."""
    return {**score_json(clinic_score(db.session, clinic.id)), "stored_total": clinic.score_total}
