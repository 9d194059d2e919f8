"""Labels of the reason codes a decision can carry, from every closed list (a new list joins REASON_LISTS)."""

from __future__ import annotations

from provider_dir.appeals.vocab import AppealReason
from provider_dir.corrections.vocab import AcceptBasis, DeclineReason
from provider_dir.moderation.vocab import ApprovalBasis, RefusalReason, RejectionReason

REASON_LISTS: list = [RejectionReason, RefusalReason, ApprovalBasis, AppealReason, AcceptBasis, DeclineReason]
# Lists a kind reads first: some codes of the corrections lists ("not_shown", "duplicate") are also codes of
# RefusalReason, with another meaning.
KIND_REASON_LISTS: dict[str, list] = {"correction": [AcceptBasis, DeclineReason]}


def reason_label(code: str | None, kind: str | None = None) -> str:
    """Return a reason code's label, the kind's own lists first ("" for none, the code when no list knows it)."""
    if not code:
        return ""
    for vocab in [*KIND_REASON_LISTS.get(kind or "", []), *REASON_LISTS]:
        if code in vocab._value2member_map_:
            return vocab(code).label
    return code
