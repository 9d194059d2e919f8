"""On the clinic page and in the JSON, evidence nobody checked is never described as checked."""

import html as html_lib
import itertools
import re

from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.extensions import db
from provider_dir.scoring.checklist.items import ITEMS
from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from tests.scoring import builders

CLAIMS = re.compile(r"checked|verified|verification|moderator", re.IGNORECASE)
# The parts of the page that word a piece of evidence: badges, reasons and evidence lines.
WORDING = re.compile(
    r'<(?:span|p|li|td)[^>]*class="(?:score-badge[^"]*|item-reason|evidence-status|credential-note|badge [^"]*)"[^>]*>'
    r"(.*?)</(?:span|p|li|td)>",
    re.S,
)


def worded(html: str) -> list[str]:
    """Return the text of every badge, reason and evidence line on the page (the badge legend defines, not claims)."""
    html = re.sub(r'<ul class="badge-legend".*?</ul>', "", html, flags=re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", m)).strip() for m in WORDING.findall(html)]


def unchecked_clinic():
    """A clinic whose every answer and credential is on record without anyone having checked it."""
    clinic = builders.make_clinic(db.session, slug=builders.unique("unchecked"))
    kinds = itertools.cycle(EvidenceKind)
    states = itertools.cycle([AnswerStatus.SELF_REPORTED, AnswerStatus.VERIFIED, AnswerStatus.EXPIRED])
    for item in ITEMS:
        if item.from_credentials:
            continue
        # Marked verified or self-reported, of every kind, but no moderator and no date on record.
        builders.answer(db.session, clinic, item.code, next(states), evidence_kind=next(kinds), verified_by=None,
                        verified_at=None, evidence_text=f"Policy for {item.code}")
    builders.add_staff(db.session, clinic, StaffRole.MEDICAL_DIRECTOR, [
        builders.credential(CredentialKind.STATE_LICENSE, issuer="NY"),
        builders.credential(CredentialKind.DEA, status=CredentialStatus.VERIFIED),  # no verifier on record
        builders.credential(CredentialKind.BOARD_CERTIFICATION, issuer="American Board of Anesthesiology"),
        builders.credential(CredentialKind.ACLS, issuer="American Heart Association"),
    ], name="Dana Reyes")
    return clinic


def test_nothing_unchecked_is_called_checked_verified_or_moderated(client):
    clinic = unchecked_clinic()
    html = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    texts = worded(html)
    assert len(texts) > 40  # every item's badge and reason, every evidence line, every credential
    offending = [t for t in texts if CLAIMS.search(t)]
    assert offending == []
    assert "Unconfirmed" in texts  # stored as verified, but with no one and no date on record
    assert "A document the clinic supplied" in html_lib.unescape(html)


def test_a_moderators_check_is_named_with_who_and_when(client, moderator):
    clinic = builders.exemplary_clinic(db.session, moderator, slug=builders.unique("checked"))
    texts = worded(client.get(f"/clinics/{clinic.slug}").get_data(as_text=True))
    claims = [t for t in texts if CLAIMS.search(t) and not t.startswith(("Verified", "Checked by a moderator"))]
    assert claims, "the evidence lines of a checked clinic say it was checked"
    for text in claims:
        assert moderator.display_name in text and ("March 5, 2026" in text or "Mar 5, 2026" in text), text


def test_the_json_words_evidence_the_same_way(client):
    clinic = unchecked_clinic()
    items = client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["score"]["items"]
    for item in items:
        assert not CLAIMS.search(item["status_label"]), item
        assert not CLAIMS.search(item["reason"]), item
        for piece in item["evidence"]:
            assert piece["label"] and not CLAIMS.search(piece["label"]), piece
