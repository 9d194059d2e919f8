"""A refused answer: it counts nothing, is labelled refused, and a safety-critical one is shown as not met."""

from datetime import timedelta

from provider_dir.scoring.checklist.items import ITEMS_BY_CODE
from provider_dir.scoring.evidence.rules import AnswerEvidence, PatientTally
from provider_dir.scoring.score import parse_digest, score_clinic
from tests.scoring.test_score import DIRECTOR, TODAY, answers


def _score(answers_, patients=None):
    return score_clinic(answers_, (DIRECTOR,), patients or {}, TODAY)


def test_a_refused_answer_earns_nothing_and_says_so():
    reported = _score(answers("self_reported"))
    refused = _score(answers("self_reported", C09=AnswerEvidence("refused", None, "SR", "Pump dosing")))
    item = refused.item("C09")
    assert item.status == "refused" and item.points == 0
    assert item.status_label == "Refused by a moderator"
    assert "The evidence given was refused: 0 of 3 points" in item.reason
    assert reported.item("C09").points == 1.5
    assert sum(reported.category_quarters) - sum(refused.category_quarters) == 6  # 1.5 points, in quarters


def test_a_refused_safety_critical_item_fails_safety_as_not_shown_and_caps_the_score():
    result = _score(answers("verified", C07=AnswerEvidence("refused", None, "DOC")))
    assert not result.safety.ok
    assert result.safety.unknown == ("C07",)
    assert result.total <= 50


def test_patients_confirming_an_item_do_not_lift_a_refused_answer():
    yes = {"C07": PatientTally(yes=9, no=0, not_sure=0)}
    unknown = _score(answers("verified", skip=("C07",)), yes)
    refused = _score(answers("verified", C07=AnswerEvidence("refused", None, "DOC")), yes)
    assert unknown.item("C07").status == "patient_corroborated"
    assert refused.item("C07").status == "refused" and refused.item("C07").points == 0
    assert refused.item("C07").patients.yes == 9  # still shown


def test_patients_contradicting_still_show_as_contradicted():
    no = {"C07": PatientTally(yes=0, no=9, not_sure=0)}
    result = _score(answers("verified", C07=AnswerEvidence("refused", None, "DOC")), no)
    assert result.item("C07").status == "contradicted"


def test_a_refused_answer_with_an_expiry_does_not_schedule_a_recompute_and_survives_the_digest():
    later = TODAY + timedelta(days=30)
    assert ITEMS_BY_CODE["C21"].expires
    result = _score(answers("verified", C21=AnswerEvidence("refused", later, "DOC")))
    assert result.item("C21").status == "refused"
    assert result.changes_on != later + timedelta(days=1)
    assert parse_digest(result.digest())["C21"] == ("refused", 0.0)
