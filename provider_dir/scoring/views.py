"""/methodology, and the template globals that give the clinic page its score."""

from __future__ import annotations

from flask import Blueprint, get_template_attribute, render_template
from markupsafe import Markup

from provider_dir.core.kept import Kept
from provider_dir.extensions import db
from provider_dir.pagecache.memo import per_request
from provider_dir.scoring import events, services
from provider_dir.scoring.checklist import items as checklist
from provider_dir.scoring.checklist import labels
from provider_dir.scoring.checklist.loading import staff_evidence, tallies_from_counts
from provider_dir.scoring.checklist.texts import credential_label, safety_message, safety_problems
from provider_dir.scoring.item_view import item_view
from provider_dir.scoring.score import ScoreResult, has_evidence

bp = Blueprint("scoring", __name__)
bp.record_once(lambda state: events.install())
bp.add_app_template_global(credential_label, "credential_label")
bp.add_app_template_global(checklist.EVIDENCE_KIND_LABELS, "EVIDENCE_KIND_LABELS")
bp.add_app_template_global(checklist.SAFETY_CAP, "checklist_safety_cap")
bp.add_app_template_global(services.today, "today_date")


@bp.app_template_global()
def checklist_item_title(code: str) -> str:
    """Return a checklist item's short title."""
    return checklist.ITEMS_BY_CODE[code].title


@bp.app_template_global()
def clinic_score(clinic, staff=None) -> ScoreResult:
    """Return the clinic's score computed now (expiry dates compared with today), once per request.

    `staff` is the page's staff when it read them already (listings.services.page_staff): the score then takes
    its staff evidence from them and the clinic's confirmed exclusions, and its patients' tallies from the rating
    panel's read of the reviews, instead of reading either again.
    """
    def compute() -> ScoreResult:
        if staff is None:
            return services.clinic_score(db.session, clinic.id)
        from provider_dir.registry.views import clinic_registry  # registry's views import the scoring's labels
        from provider_dir.reviews.template_globals import clinic_rating_figures

        excluded = clinic_registry(clinic, staff)["exclusions"]
        patients = tallies_from_counts(clinic_rating_figures(clinic).answer_counts)
        return services.clinic_score(db.session, clinic.id, staff=staff_evidence(staff, excluded), patients=patients)

    return per_request("clinic_scores", clinic.id, compute)


# A credential's badge (templates/listings/_credentials.html, badge_markup) by its words: the clinic page shows one
# per credential, from a handful of distinct ones, and the macro cost more than its HTML.
_BADGES: Kept[Markup] = Kept(1024)


@bp.app_template_global()
def credential_status_badge(credential, today=None) -> Markup:
    """Return a credential's badge and note as of today (scoring.labels' words, _credentials.html's markup)."""
    who = credential.verified_by.display_name if credential.verified_by else None
    on = today or services.today()
    text = labels.credential_badge(credential.status, who, credential.verified_at, credential.expires_on, on)
    note = labels.credential_note(credential.status, who, credential.verified_at, credential.expires_on, on)
    return _BADGES.get((text, note), lambda: get_template_attribute("listings/_credentials.html", "badge_markup")(
        text, note))


@bp.app_template_global()
def clinic_score_history(clinic, limit: int = 10):
    """Return the clinic's stored score snapshots (the columns the page shows), newest first."""
    return services.score_history_rows(db.session, clinic.id, limit)


@bp.app_template_global()
def score_sections(result: ScoreResult) -> list[tuple]:
    """Return (category, its item results, its safety-critical items not met) per category, in checklist order.

    Grouped here in one pass: the template's selectattr filters went over every item once per category.
    """
    by_category: dict[str, list] = {}
    for item_result in result.items:
        by_category.setdefault(item_result.item.category, []).append(item_result)
    sections = []
    for category in result.categories:
        results = by_category.get(category.name, [])
        unmet = [r for r in results if r.item.safety_critical and not r.meets_safety]
        sections.append((category, results, unmet))
    return sections


# The head and foot of each checklist item's HTML (templates/scoring/_score_item.html), by everything they show, and
# the whole of an item with no evidence: most items on most pages read the same ("Unknown", nothing on record), so
# each distinct part is rendered once. Only the evidence lines, which name a clinic's staff or quote its words, are
# written for every page. Bounded: the oldest go first.
MAX_KEPT_ITEMS = 4096
_ITEM_PARTS: Kept[Markup] = Kept(MAX_KEPT_ITEMS)


def _item_macro(name: str):
    return get_template_attribute("scoring/_score_item.html", name)


@bp.app_template_global()
def score_item_html(result) -> Markup:
    """Return one checklist item's <li>: its head and foot kept by what they show, its evidence lines written.

    An item that rests on no evidence (most items of most clinics) shows nothing but its outcome: its badge and
    reason follow from its status, points, note and patients' answers, so the whole <li> is kept by those, and
    neither its view nor its reason is worked out again.
    """
    item, p = result.item, result.patients
    patients = None if p is None else (p.yes, p.no, p.not_sure, p.verdict)
    if not has_evidence(result):
        return _ITEM_PARTS.get(("whole", item.code, result.status, result.clinic_status, result.quarters, result.note,
                                patients), lambda: _item_html(result, item, item_view(result), patients))
    return _item_html(result, item, item_view(result), patients)


def _item_html(result, item, view, patients) -> Markup:
    head = _ITEM_PARTS.get(("head", item.code, result.status, result.quarters, result.reason, view.badge),
                           lambda: _item_macro("item_head")(result, item, view))
    evidence = _item_macro("item_evidence")(view) if view.lines else ""
    foot = _ITEM_PARTS.get(("foot", item.code, patients), lambda: _item_macro("item_foot")(result, item))
    # Three pieces of markup joined as text: Markup's + copies and escapes its other side again at each step.
    return Markup("".join((head, evidence, foot)))  # noqa: S704 # nosec B704 - each piece is a macro's markup


@bp.app_template_global()
def score_safety_text(result: ScoreResult) -> dict:
    """Return the safety message and its problems, for templates."""
    return {"message": safety_message(result), "problems": safety_problems(result)}


@bp.get("/methodology")
def methodology():
    """Explain the checklist, its sources, the weights, how evidence counts, and that nothing paid changes it."""
    return render_template("scoring/methodology.html", checklist=checklist)
