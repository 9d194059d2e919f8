"""Plain-language sentences about a score, shared by the pages and the JSON."""

from __future__ import annotations

from provider_dir.credentials.vocab import CredentialKind
from provider_dir.scoring.checklist.items import ITEMS_BY_CODE, SAFETY_CAP
from provider_dir.scoring.score import ScoreResult


def _names(codes: tuple[str, ...]) -> str:
    return "; ".join(f"{code} {ITEMS_BY_CODE[code].title}" for code in codes)


def safety_problems(result: ScoreResult) -> list[str]:
    """Return one sentence per kind of safety problem: not known, expired, contradicted by patients."""
    safety = result.safety
    problems = []
    if safety.unknown:
        problems.append(f"Not shown by the clinic: {_names(safety.unknown)}.")
    if safety.expired:
        problems.append(f"Evidence expired: {_names(safety.expired)}.")
    if safety.contradicted:
        problems.append(f"Contradicted by patients' reviews: {_names(safety.contradicted)}.")
    return problems


def safety_message(result: ScoreResult) -> str:
    """Say plainly whether the safety-critical items are met, and what the cap did."""
    if result.safety.ok:
        return (
            "Every safety-critical item is at least reported by the clinic; no patient majority contradicts one."
        )
    count = len(result.safety.problem_codes)
    head = (
        f"Safety warning: {count} safety-critical item{'s are' if count > 1 else ' is'} not met on the evidence we "
        f"have. {' '.join(safety_problems(result))}"
    )
    return f"{head} The score is therefore capped: it can be at most {SAFETY_CAP} out of {result.max_total}."


def credential_label(kind: str) -> str:
    """Return a credential kind's label."""
    return CredentialKind(kind).label
