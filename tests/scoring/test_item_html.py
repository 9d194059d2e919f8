"""A checklist item on the clinic page reads the same kept as rendered anew, whichever clinic's item was kept first."""

from datetime import date, timedelta

import pytest

from provider_dir.core.kept import Kept
from provider_dir.scoring import views
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.evidence.rules import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence
from provider_dir.scoring.item_view import item_view
from provider_dir.scoring.score import has_evidence, score_clinic

TODAY = date(2026, 11, 26)
LATER = TODAY + timedelta(days=200)
REVIEWED = [item.code for item in ITEMS if item.review_field]
ANSWERED = [item.code for item in ITEMS if not item.from_credentials]
DIRECTOR = StaffEvidence("Dana Reyes, MD", "medical_director", (
    CredentialEvidence("state_license", "verified", LATER, verified_by="Moderator Kim"),
    CredentialEvidence("acls", "self_reported", LATER),
))


def clinics() -> list:
    """Scores of clinics that share some items' outcomes and differ in others: evidence, patients' answers, staff."""
    def tallies(yes, no, not_sure=0):
        return {code: PatientTally(yes, no, not_sure) for code in REVIEWED}

    def reported(text):
        return {code: AnswerEvidence("self_reported", LATER, "document", text) for code in ANSWERED[:6]}

    unknown_with_words = {code: AnswerEvidence("unknown", None, "document", "ignored") for code in ANSWERED}
    return [
        score_clinic({}, (), {}, TODAY),  # nothing on record
        score_clinic({}, (), tallies(1, 0), TODAY),  # too few answers
        score_clinic({}, (), tallies(2, 9, 1), TODAY),  # patients contradict items nobody answered
        score_clinic({}, (DIRECTOR,), tallies(9, 1), TODAY),
        score_clinic(reported("Protocol A, signed by the director"), (), {}, TODAY),
        score_clinic(reported("Protocol B, revised in May"), (DIRECTOR,), tallies(2, 9, 1), TODAY),
        score_clinic(unknown_with_words, (), {}, TODAY),
    ]


def rendered_anew(result, monkeypatch):
    monkeypatch.setattr(views, "_ITEM_PARTS", Kept(views.MAX_KEPT_ITEMS))
    p = result.patients
    patients = None if p is None else (p.yes, p.no, p.not_sure, p.verdict)
    return str(views._item_html(result, result.item, item_view(result), patients))


@pytest.fixture
def in_app(app):
    with app.app_context():
        yield


@pytest.mark.usefixtures("in_app")
def test_every_item_kept_reads_as_its_own_rendering(monkeypatch):
    shared = Kept(views.MAX_KEPT_ITEMS)
    kept_whole = 0
    for score in clinics():
        for result in score.items:
            monkeypatch.setattr(views, "_ITEM_PARTS", shared)
            kept = str(views.score_item_html(result))
            again = str(views.score_item_html(result))
            assert kept == again == rendered_anew(result, monkeypatch), result.item.code
            kept_whole += not has_evidence(result)
    # Most items of these clinics rest on nothing on record: the whole item is what they share.
    assert kept_whole > len(ITEMS) * 3


@pytest.mark.usefixtures("in_app")
def test_an_items_evidence_is_its_own_clinics(monkeypatch):
    monkeypatch.setattr(views, "_ITEM_PARTS", Kept(views.MAX_KEPT_ITEMS))
    first, second = clinics()[4:6]
    code = ANSWERED[0]
    one = str(views.score_item_html(next(r for r in first.items if r.item.code == code)))
    other = str(views.score_item_html(next(r for r in second.items if r.item.code == code)))
    assert "Protocol A, signed by the director" in one and "Protocol B" not in one
    assert "Protocol B, revised in May" in other and "Protocol A" not in other


@pytest.mark.usefixtures("in_app")
def test_patients_answers_show_on_an_item_with_no_evidence(monkeypatch):
    monkeypatch.setattr(views, "_ITEM_PARTS", Kept(views.MAX_KEPT_ITEMS))
    quiet, contradicted = clinics()[0], clinics()[2]
    code = REVIEWED[0]
    assert "Patients in published reviews" not in str(views.score_item_html(
        next(r for r in quiet.items if r.item.code == code)))
    html = str(views.score_item_html(next(r for r in contradicted.items if r.item.code == code)))
    assert "2 yes, 9 no" in html
