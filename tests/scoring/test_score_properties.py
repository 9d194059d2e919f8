"""Properties of the score that hold for any evidence (hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from provider_dir.scoring.checklist.items import ITEMS, SAFETY_CAP
from provider_dir.scoring.evidence.rules import AnswerEvidence, CredentialEvidence, PatientTally, StaffEvidence
from provider_dir.scoring.score import parse_digest, score_clinic

TODAY = date(2026, 11, 26)
ROLES = ["medical_director", "anesthesiologist", "psychiatrist", "crna", "nurse_practitioner",
         "physician_assistant", "registered_nurse", "therapist", "other"]
KINDS = ["npi", "state_license", "board_certification", "acls", "bls", "dea"]
ISSUERS = ["", "American Board of Anesthesiology", "ABPN", "American Board of Internal Medicine"]
ANSWERABLE = [i.code for i in ITEMS if not i.from_credentials]
ASKED = [i.code for i in ITEMS if i.review_field]

dates = st.one_of(st.none(), st.integers(-30, 30).map(lambda d: TODAY + timedelta(days=d)))
answer = st.builds(
    AnswerEvidence,
    status=st.sampled_from(["unknown", "self_reported", "verified", "expired"]),
    expires_on=dates,
    evidence_kind=st.sampled_from([None, "SR", "DOC", "REG", "MOD"]),
)
credential = st.builds(
    CredentialEvidence,
    kind=st.sampled_from(KINDS),
    status=st.sampled_from(["self_reported", "verified", "expired"]),
    expires_on=dates,
    issuer=st.sampled_from(ISSUERS),
)
member = st.builds(StaffEvidence, name=st.text(max_size=8), role=st.sampled_from(ROLES),
                   credentials=st.lists(credential, max_size=5).map(tuple))
tally = st.builds(PatientTally, yes=st.integers(0, 12), no=st.integers(0, 12), not_sure=st.integers(0, 4))
evidence = st.fixed_dictionaries({
    "answers": st.dictionaries(st.sampled_from(ANSWERABLE), answer),
    "staff": st.lists(member, max_size=4),
    "patients": st.dictionaries(st.sampled_from(ASKED), tally),
    "today": st.integers(-5, 5).map(lambda d: TODAY + timedelta(days=d)),
})


def run(e):
    return score_clinic(e["answers"], e["staff"], e["patients"], e["today"])


@given(evidence)
def test_the_total_stays_between_0_and_100(e):
    result = run(e)
    assert 0 <= result.total <= result.uncapped_total <= 100
    assert all(0 <= r.points <= r.max_points for r in result.items)
    assert all(0 <= c.percent <= 100 and c.percent % 5 == 0 for c in result.categories)


@given(evidence)
def test_the_cap_always_holds(e):
    result = run(e)
    if not result.safety.ok:
        assert result.total <= SAFETY_CAP
        assert result.safety.problem_codes
    else:
        assert result.total == result.uncapped_total


@given(evidence, st.sampled_from(ANSWERABLE))
def test_verifying_an_answer_never_lowers_the_score(e, code):
    before = run(e)
    current = e["answers"].get(code, AnswerEvidence())
    verified = {**e["answers"], code: replace(current, status="verified")}
    after = run({**e, "answers": verified})
    assert after.total >= before.total
    assert after.item(code).points >= before.item(code).points


@given(evidence, st.data())
def test_verifying_a_credential_never_lowers_the_score(e, data):
    if not e["staff"]:
        return
    i = data.draw(st.integers(0, len(e["staff"]) - 1))
    m = e["staff"][i]
    checked = replace(m, credentials=tuple(
        replace(c, status="verified") if c.status == "self_reported" else c for c in m.credentials))
    after = run({**e, "staff": [*e["staff"][:i], checked, *e["staff"][i + 1:]]})
    assert after.total >= run(e).total


@given(evidence, st.randoms(use_true_random=False))
# No deadline: CI machines are shared and a slow example is not a wrong one.
@settings(max_examples=50, deadline=None)
def test_the_score_is_deterministic_and_ignores_the_order_of_staff(e, rnd):
    first, again = run(e), run(e)
    assert first == again
    shuffled = list(e["staff"])
    rnd.shuffle(shuffled)
    assert run({**e, "staff": shuffled}).total == first.total


@given(evidence)
def test_a_date_passing_never_raises_the_score_of_unchanged_evidence(e):
    now, later = run(e), run({**e, "today": e["today"] + timedelta(days=40)})
    assert later.total <= now.total


@given(evidence)
def test_the_stored_digest_gives_back_every_items_status_and_points(e):
    result = run(e)
    assert parse_digest(result.digest()) == {r.code: (r.status, r.points) for r in result.items}
