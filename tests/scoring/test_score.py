"""The pure score function: each rule, with plain values and no database."""

from datetime import date, timedelta

import pytest

from provider_dir.scoring.checklist.items import ITEMS, SAFETY_CAP, SAFETY_CRITICAL_CODES
from provider_dir.scoring.evidence.rules import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence
from provider_dir.scoring.score import score_clinic

TODAY = date(2026, 11, 26)
LATER = TODAY + timedelta(days=200)


def verified(kind, expires_on=LATER, **fields):
    return CredentialEvidence(kind, "verified", expires_on, verified_by="Moderator Kim", **fields)


def reported(kind, expires_on=LATER, **fields):
    return CredentialEvidence(kind, "self_reported", expires_on, **fields)


DIRECTOR = StaffEvidence("Dana Reyes, MD", "medical_director", (
    verified("state_license"), verified("dea"), verified("acls"),
    verified("board_certification", None, issuer="American Board of Psychiatry and Neurology"),
))


def answers(status, skip=(), **overrides):
    found = {}
    for item in ITEMS:
        if item.from_credentials or item.code in skip:
            continue
        found[item.code] = AnswerEvidence(status, LATER if item.expires else None, "DOC")
    found.update(overrides)
    return found


def score(answers_=None, staff=(DIRECTOR,), patients=None, today=TODAY):
    return score_clinic(answers_ or {}, staff, patients or {}, today)


def test_no_evidence_scores_zero_with_every_safety_item_listed_as_unknown():
    result = score(staff=())
    assert result.total == 0
    assert not result.safety.ok
    assert result.safety.unknown == SAFETY_CRITICAL_CODES
    assert {r.status for r in result.items} == {"unknown"}


def test_everything_verified_scores_100_with_safety_met():
    result = score(answers("verified"))
    assert result.total == 100 and result.safety.ok and not result.capped
    assert result.version == "2026.1"
    assert all(r.points == r.max_points for r in result.items)


def test_verified_counts_more_than_self_reported_which_counts_more_than_unknown():
    by_status = {s: score(answers("verified", C09=AnswerEvidence(s))).item("C09").points
                 for s in ("verified", "self_reported", "unknown")}
    assert by_status == {"verified": 3, "self_reported": 1.5, "unknown": 0}


def test_all_self_reported_earns_half_except_the_moderator_only_item():
    staff = (StaffEvidence("Dana Reyes, MD", "medical_director", (
        reported("state_license"), reported("dea"), reported("acls"),
        reported("board_certification", issuer="American Board of Anesthesiology"))),)
    result = score(answers("self_reported"), staff)
    assert result.safety.ok
    assert result.item("C20").points == 0
    assert "only a look by this site's own team counts" in result.item("C20").reason
    assert result.total == 49  # half of 100, less the 1 point C20 would have earned


def test_a_missing_safety_item_caps_the_score_and_names_the_item():
    result = score(answers("verified", skip=("C05",)))
    assert result.uncapped_total == 92
    assert result.total == SAFETY_CAP and result.capped
    assert result.safety.unknown == ("C05",)


def test_the_cap_does_not_raise_a_low_score():
    result = score(answers("verified", skip=("C04", "C05", "C07", "C08", "C11")), staff=())
    assert result.total == result.uncapped_total < SAFETY_CAP


@pytest.mark.parametrize(
    ("yes", "no", "not_sure", "verdict"),
    [
        (0, 4, 0, "too_few"),  # four "no" answers are not enough to mean something
        (2, 3, 0, "contradicted"),  # 3 of 5 = 60 % say no
        (3, 2, 0, "corroborated"),
        (0, 3, 2, "contradicted"),  # "not sure" counts as an answer
        (1, 2, 2, "mixed"),
        (4, 5, 1, "mixed"),  # 50 % no is not a clear majority
    ],
)
def test_patient_thresholds(yes, no, not_sure, verdict):
    assert PatientTally(yes, no, not_sure).verdict == verdict


def test_a_clear_patient_no_contradicts_even_a_verified_item_and_fails_safety():
    result = score(answers("verified"), patients={"C07": PatientTally(yes=1, no=5)})
    item = result.item("C07")
    assert item.status == "contradicted" and item.points == 0
    assert "5 of 6 patients" in item.reason
    assert result.safety.contradicted == ("C07",)
    assert result.total == SAFETY_CAP


def test_patients_confirming_raise_a_self_report_and_stand_in_for_a_missing_answer():
    tally = {"C13": PatientTally(yes=5)}
    reported_only = score(answers("verified", C13=AnswerEvidence("self_reported")))
    corroborated = score(answers("verified", C13=AnswerEvidence("self_reported")), patients=tally)
    assert (reported_only.item("C13").points, corroborated.item("C13").points) == (1.5, 2.25)
    patients_only = score(answers("verified", skip=("C04",)), patients={"C04": PatientTally(yes=6)})
    assert patients_only.item("C04").status == "patient_corroborated"
    assert patients_only.item("C04").points == 4
    assert patients_only.safety.ok


def test_too_few_patient_answers_change_nothing():
    base = score(answers("verified", skip=("C04",)))
    few = score(answers("verified", skip=("C04",)), patients={"C04": PatientTally(yes=4)})
    assert few.total == base.total and few.item("C04").status == "unknown"


def test_answers_for_items_that_are_not_asked_of_patients_ignore_tallies():
    result = score(answers("verified"), patients={"C05": PatientTally(no=9)})
    assert result.item("C05").status == "verified" and result.item("C05").patients is None


def test_an_answer_stops_counting_the_day_after_its_expiry_date():
    dated = answers("verified", C21=AnswerEvidence("verified", TODAY, "DOC"))
    assert score(dated).item("C21").status == "verified"
    after = score(dated, today=TODAY + timedelta(days=1)).item("C21")
    assert after.status == "expired" and after.points == 0
    assert score(dated).changes_on == TODAY + timedelta(days=1)


def test_a_pledge_verified_without_an_expiry_date_counts_as_self_reported():
    item = score(answers("verified", C21=AnswerEvidence("verified", None, "DOC"))).item("C21")
    assert item.status == "self_reported" and item.points == 1
    assert "no expiry date" in item.reason


def test_expired_safety_evidence_is_listed_as_expired():
    past = TODAY - timedelta(days=1)
    result = score(answers("verified", C08=AnswerEvidence("verified", past, "DOC")))
    assert result.safety.expired == ("C08",) and result.total == SAFETY_CAP


def test_answers_for_credential_items_are_ignored():
    result = score({"C01": AnswerEvidence("verified"), "C03": AnswerEvidence("verified")}, staff=())
    assert result.item("C01").status == "unknown" and result.item("C03").status == "unknown"


class TestCredentialItems:
    def test_licence_and_dea_must_belong_to_the_same_prescriber(self):
        split = (StaffEvidence("A", "psychiatrist", (verified("state_license"),)),
                 StaffEvidence("B", "anesthesiologist", (verified("dea"),)))
        assert score(staff=split).item("C01").status == "unknown"
        together = (StaffEvidence("A", "psychiatrist", (verified("state_license"), verified("dea"))),)
        assert score(staff=together).item("C01").status == "verified"

    def test_a_nurse_is_not_a_prescriber(self):
        nurse = (StaffEvidence("A", "registered_nurse", (verified("state_license"), verified("dea"))),)
        assert score(staff=nurse).item("C01").status == "unknown"

    def test_the_weakest_credential_decides(self):
        mixed = (StaffEvidence("A", "nurse_practitioner", (verified("state_license"), reported("dea"))),)
        item = score(staff=mixed).item("C01")
        assert item.status == "self_reported" and item.points == 4

    def test_a_licence_stops_counting_the_day_after_it_expires(self):
        staff = (StaffEvidence("A", "psychiatrist", (verified("state_license", TODAY), verified("dea"))),)
        assert score(staff=staff).item("C01").status == "verified"
        later = score(staff=staff, today=TODAY + timedelta(days=1))
        assert later.item("C01").status == "expired"
        assert later.safety.expired == ("C01",)

    def test_a_credential_marked_expired_does_not_count(self):
        staff = (StaffEvidence("A", "psychiatrist", (CredentialEvidence("state_license", "expired", LATER),
                                                     verified("dea"))),)
        assert score(staff=staff).item("C01").status == "expired"

    def test_a_verified_licence_without_expiry_date_counts_as_self_reported(self):
        staff = (StaffEvidence("A", "psychiatrist", (verified("state_license", None), verified("dea"))),)
        assert score(staff=staff).item("C01").status == "self_reported"

    @pytest.mark.parametrize(
        ("issuer", "counts"),
        [("American Board of Anesthesiology", True), ("American Board of Psychiatry and Neurology", True),
         ("American Board of Emergency Medicine", True), ("ABPN", True),
         ("American Board of Internal Medicine", False)],
    )
    def test_board_certification_counts_only_in_the_four_named_specialties(self, issuer, counts):
        staff = (StaffEvidence("A", "medical_director", (verified("board_certification", None, issuer=issuer),)),)
        item = score(staff=staff).item("C02")
        assert (item.status == "verified") is counts
        if not counts:
            assert "not in anesthesiology" in item.reason

    def test_only_the_medical_directors_board_certification_counts(self):
        staff = (StaffEvidence("A", "psychiatrist", (verified("board_certification", issuer="ABPN"),)),)
        assert score(staff=staff).item("C02").status == "unknown"

    def test_acls_counts_for_clinical_staff_only_and_expires(self):
        nurse = (StaffEvidence("A", "registered_nurse", (verified("acls"),)),)
        therapist = (StaffEvidence("B", "therapist", (verified("acls"),)),)
        lapsed = (StaffEvidence("A", "registered_nurse", (verified("acls", TODAY - timedelta(days=1)),)),)
        assert score(staff=nurse).item("C03").status == "verified"
        assert score(staff=therapist).item("C03").status == "unknown"
        assert score(staff=lapsed).item("C03").status == "expired"

    def test_the_earliest_expiry_sets_when_the_score_can_next_change(self):
        staff = (StaffEvidence("A", "psychiatrist", (verified("state_license", TODAY + timedelta(days=3)),
                                                     verified("dea"), verified("npi", TODAY))),)
        assert score(staff=staff).changes_on == TODAY + timedelta(days=4)  # an NPI's date does not matter


def test_category_subtotals_add_up_to_the_uncapped_total():
    result = score(answers("self_reported", skip=("C12",)), patients={"C19": PatientTally(yes=5)})
    assert sum(c.points for c in result.categories) == pytest.approx(
        sum(r.points for r in result.items))
    assert round(sum(c.points for c in result.categories) + 1e-9) == result.uncapped_total
    oversight = result.categories[0]
    assert (oversight.name, oversight.points, oversight.max_points, oversight.percent) == ("Oversight", 12, 12, 100)


def test_each_item_explains_its_points_with_its_sources():
    result = score(answers("verified", C06=AnswerEvidence("self_reported")))
    item = result.item("C06")
    assert item.reason.startswith("The clinic says so; nobody from this site has looked at the evidence yet: 2 of 4")
    assert item.item.source_list[0].name == "APA 2017"
    # Stored as verified but with no moderator or date on record: it earns its points but claims no check.
    assert result.item("C05").reason == "Marked as confirmed: 8 of 8 points."


def test_a_checked_licence_without_expiry_date_says_why_it_counts_as_self_reported():
    staff = (StaffEvidence("A", "psychiatrist", (verified("state_license", None), verified("dea"))),)
    assert "no expiry date is on record" in score(staff=staff).item("C01").reason
