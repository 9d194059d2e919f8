"""What the page and the JSON say about one scored item: its badge and one line per piece of evidence.

Plain functions with no Flask; every sentence comes from scoring.labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from provider_dir.listings.display import long_date, public_identifier
from provider_dir.scoring.checklist import labels
from provider_dir.scoring.checklist.texts import credential_label
from provider_dir.scoring.score import ItemResult, evidence_pieces, has_evidence


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """One piece of evidence: what it is (as supplied) and how far it was checked."""

    what: str
    status: str
    url: str = ""
    # Credentials read "whose credential, then its status"; answers "what kind of evidence and its status, then the
    # clinic's words".
    what_first: bool = False


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item's badge and evidence lines."""

    badge: str
    lines: tuple[EvidenceLine, ...]


def _credential_line(use) -> EvidenceLine:
    c = use.credential
    what = f"{use.staff_name}: {credential_label(c.kind)}"
    if c.identifier:
        what += f" {public_identifier(c.kind, c.identifier)}"
    if c.issuer:
        what += f" ({c.issuer})"
    if c.expires_on and use.level != labels.EXPIRED:  # an expired one's sentence gives the date
        what += f", expires {long_date(c.expires_on)}"
    state = labels.EXPIRED if use.level == labels.EXPIRED else c.status
    sentence = labels.credential_sentence(state, c.verified_by, c.verified_at, c.expires_on)
    return EvidenceLine(what + ".", sentence, what_first=True)


def _answer_line(result: ItemResult) -> EvidenceLine:
    a = result.answer
    state = labels.EXPIRED if result.clinic_status == labels.EXPIRED else a.status
    # The sentence names the kind of evidence; the line adds what the clinic wrote and until when it holds.
    parts = [f"“{a.evidence_text}”"] if a.evidence_text else []
    if a.expires_on and state != labels.EXPIRED:
        parts.append(f"valid until {long_date(a.expires_on)}")
    url = a.evidence_url if a.evidence_url.startswith(("https://", "http://")) else ""
    sentence = labels.evidence_sentence(a.evidence_kind, state, a.verified_by, a.verified_at, a.expires_on)
    return EvidenceLine(", ".join(parts) + ("." if parts else ""), sentence, url)


def item_view(result: ItemResult) -> ItemView:
    """Return the badge and the evidence lines of one item as of the score's day."""
    if not has_evidence(result):
        lines = ()
    elif result.item.from_credentials:
        lines = tuple(_credential_line(u) for u in result.credentials)
    else:
        lines = (_answer_line(result),)
    return ItemView(labels.item_badge(result.status, result.clinic_status, evidence_pieces(result)), lines)

