"""A refused credential counts nothing in the score, like an expired one, and is shown as refused."""

from datetime import date, timedelta

from provider_dir.scoring.credential_items import credential_level
from provider_dir.scoring.evidence.rules import CredentialEvidence, StaffEvidence
from provider_dir.scoring.score import score_clinic

TODAY = date(2026, 11, 26)
LATER = TODAY + timedelta(days=200)


def cred(kind, status, expires_on=LATER, **fields):
    return CredentialEvidence(kind, status, expires_on, **fields)


def item(staff, code, today=TODAY):
    return score_clinic({}, tuple(staff), {}, today).item(code)


def test_a_refused_credential_has_the_level_refused_until_it_expires():
    refused = cred("state_license", "refused", TODAY)
    assert credential_level(refused, TODAY, True) == "refused"
    assert credential_level(refused, TODAY + timedelta(days=1), True) == "expired"


def test_a_refused_licence_earns_nothing_where_a_self_reported_one_earns_half():
    reported = [StaffEvidence("A", "psychiatrist", (cred("state_license", "self_reported"), cred("dea", "verified")))]
    refused = [StaffEvidence("A", "psychiatrist", (cred("state_license", "refused"), cred("dea", "verified")))]
    assert item(reported, "C01").points == 4
    result = item(refused, "C01")
    assert result.points == 0 and result.status == "unknown"
    assert [u.level for u in result.credentials] == ["refused"]
    assert "refused" in result.note


def test_a_refused_credential_does_not_hide_a_good_one_of_the_same_kind():
    staff = [StaffEvidence("A", "psychiatrist", (cred("state_license", "refused"), cred("state_license", "verified"),
                                                 cred("dea", "verified")))]
    assert item(staff, "C01").status == "verified"


def test_refused_board_certification_and_acls_count_nothing():
    director = StaffEvidence("D", "medical_director", (
        cred("board_certification", "refused", None, issuer="American Board of Anesthesiology"),
        cred("acls", "refused"),
    ))
    c02, c03 = item([director], "C02"), item([director], "C03")
    assert (c02.points, c03.points) == (0, 0)
    assert c02.credentials[0].level == "refused" and c03.credentials[0].level == "refused"
    fixed = StaffEvidence("D", "medical_director", (
        cred("board_certification", "self_reported", None, issuer="American Board of Anesthesiology"),
        cred("acls", "self_reported"),
    ))
    assert item([fixed], "C02").points > 0 and item([fixed], "C03").points > 0


def test_an_expired_and_a_refused_credential_leave_the_item_expired():
    staff = [StaffEvidence("A", "psychiatrist", (cred("state_license", "verified", TODAY - timedelta(days=1)),
                                                 cred("dea", "refused")))]
    assert item(staff, "C01").status == "expired"
