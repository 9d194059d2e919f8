"""Labels of the reason codes a decision can carry, from every closed list (a new list joins REASON_LISTS)."""

from __future__ import annotations

from provider_dir.appeals.vocab import AppealReason
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason, RejectionReason

REASON_LISTS: list = [RejectionReason, RefusalReason, ApprovalBasis, AppealReason]


def reason_label(code: str | None) -> str:
    """Return the label of a stored reason code ("" for none, the code itself when no list knows it)."""
    if not code:
        return ""
    for vocab in REASON_LISTS:
        if code in vocab._value2member_map_:
            return vocab(code).label
    return code
