"""Evidence wording never claims a check that did not happen: every kind x state x who/when combination."""

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from provider_dir.scoring.checklist import labels
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind

CLAIMS = re.compile(r"checked|verified|verification|moderator", re.IGNORECASE)
WHO = "Ana Ruiz"
WHEN = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)
EXPIRES = (None, TODAY + timedelta(days=100), TODAY - timedelta(days=1))
STATES = ["self_reported", "verified", "refused", "expired", "unknown"]
KINDS = ["SR", "DOC", "REG", "MOD", "PR", None]
RECORDS = [(None, None), (WHO, None), (None, WHEN), (WHO, WHEN)]


def test_the_module_knows_every_kind_and_every_state_stored_today():
    assert set(labels.KINDS) == {kind.value for kind in EvidenceKind}
    assert {status.value for status in AnswerStatus} <= set(labels.STATES)
    assert "refused" in labels.STATES  # a moderator looked at the evidence and refused it


def _assert_honest(text: str, state: str, who, when) -> None:
    """The rule: claim words only with a verification on record, and then say who and when."""
    recorded = state in ("verified", "expired") and who is not None and when is not None
    if CLAIMS.search(text):
        assert recorded, f"{text!r} claims a check for state={state} who={who} when={when}"
        assert WHO in text and ("March 5, 2026" in text or "Mar 5, 2026" in text), text
    if state == "verified" and recorded:
        assert WHO in text and ("March 5, 2026" in text or "Mar 5, 2026" in text), text


@pytest.mark.parametrize(("kind", "state"), list(itertools.product(KINDS, STATES)))
def test_every_evidence_sentence_is_honest(kind, state):
    for (who, when), expires_on in itertools.product(RECORDS, EXPIRES):
        text = labels.evidence_sentence(kind, state, who, when, expires_on)
        assert text
        _assert_honest(text, state, who, when)
        badge = labels.badge(state, who, when)
        if badge == "Verified":
            assert (state, who is not None, when is not None) == ("verified", True, True)
        else:
            assert not CLAIMS.search(badge)


@pytest.mark.parametrize("state", STATES)
def test_every_credential_wording_is_honest(state):
    for (who, when), expires_on in itertools.product(RECORDS, EXPIRES):
        sentence = labels.credential_sentence(state, who, when, expires_on, TODAY)
        note = labels.credential_note(state, who, when, expires_on, TODAY)
        badge = labels.credential_badge(state, who, when, expires_on, TODAY)
        lapsed = expires_on is not None and expires_on < TODAY
        effective = "expired" if lapsed and state != "unknown" else state
        _assert_honest(sentence, effective, who, when)
        _assert_honest(note, effective, who, when)
        if badge == "Verified":
            assert (effective, who is not None, when is not None) == ("verified", True, True)
            assert note == "by Ana Ruiz, Mar 5, 2026"  # the badge is always followed by who and when
        if lapsed and state != "unknown":
            assert badge == "Expired"


def test_a_verified_document_names_who_and_when_and_the_same_document_unverified_does_not_claim_it():
    assert labels.evidence_sentence("DOC", "verified", WHO, WHEN) == (
        "Document checked by moderator Ana Ruiz on March 5, 2026."
    )
    unverified = labels.evidence_sentence("DOC", "self_reported")
    assert unverified == (
        "A document the clinic supplied. The clinic says so; nobody from this site has looked at the evidence yet."
    )
    # The bug this replaces: a self-reported item carried "A document checked by a moderator".
    assert not CLAIMS.search(unverified)
    assert labels.badge("verified", None, WHEN) == "Unconfirmed"
    assert not CLAIMS.search(labels.evidence_sentence("DOC", "verified", None, WHEN))


def test_a_refusal_says_who_refused_and_when_without_claiming_a_verification():
    text = labels.evidence_sentence("REG", "refused", WHO, WHEN)
    assert "refused" in text and WHO in text and "March 5, 2026" in text
    assert not CLAIMS.search(text)
    assert labels.badge("refused") == "Refused"


@pytest.mark.parametrize("status", ["verified", "self_reported", "patient_corroborated", "expired", "refused",
                                    "unknown", "contradicted"])
def test_points_sentences_claim_a_check_only_when_it_is_on_record(status):
    for on_record, note in itertools.product((False, True), (False, True)):
        text = labels.points_sentence(status, "4", 8, on_record, note)
        if CLAIMS.search(text):
            assert status == "verified" and on_record


def test_enum_members_and_plain_strings_give_the_same_wording():
    assert labels.evidence_sentence(EvidenceKind.DOC, AnswerStatus.VERIFIED, WHO, WHEN) == labels.evidence_sentence(
        "DOC", "verified", WHO, WHEN
    )


def test_every_item_kind_has_a_neutral_noun():
    for item in ITEMS:
        for kind in item.evidence_kinds:
            assert not CLAIMS.search(labels.kind_noun(kind))
