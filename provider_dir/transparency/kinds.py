"""The registry of decision kinds: which log rows are decisions, what the public sees of them, and how to appeal.

A kind names the log rows that are its decisions ((target_type, action) -> public outcome), how to find the decided
item (for its clinic, its submission time and star rating), and, for each appealable action, who may appeal and how
a second moderator reverses it. The public log, the monthly totals and appeals all read this one registry, so a new
kind of decision (corrections, say) joins all three by calling register() once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Public outcomes; MADE marks a row that is counted (an appeal was made) but is not itself a decision.
APPROVED, REFUSED, DECLINED, UPHELD, REVERSED, MADE = "approved", "refused", "declined", "upheld", "reversed", "made"
OUTCOME_LABELS = {
    APPROVED: "Approved", REFUSED: "Refused", DECLINED: "Report declined", UPHELD: "Upheld", REVERSED: "Reversed",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Appealable:
    """Who may appeal one kind of decision, how a second moderator reverses it, and who else is told."""

    appellants: Callable[[Any, Any], list[int]]  # (log entry, item) -> account ids that may appeal
    stands: Callable[[Any], bool]  # item -> the decision still stands (not edited, withdrawn or redecided since)
    reverse: Callable[[Any, Any, Any, str], None]  # (log entry, item, moderator, note): carry the opposite through
    other_side: Callable[[Any, Any], list[int]]  # (log entry, item) -> accounts also told the appeal's outcome
    reversal_text: str  # what a reversal does, in a few words ("the review is published")
    # account id -> a SELECT of the target ids this person may appeal as its author, reporter or claimant; None
    # when only the clinic's owners appeal (found by the log row's clinic). It lists the decisions on /appeals/.
    targets_of: Callable[[int], Any] | None = None


@dataclass(frozen=True, slots=True)
class DecisionKind:
    """One kind of moderation decision."""

    name: str
    label: str
    target_type: str
    outcomes: dict[str, str]  # log action -> public outcome
    load: Callable[[int], Any]  # target_id -> the decided item, or None
    clinic_id: Callable[[Any], int | None]
    submitted_at: Callable[[Any], datetime | None]
    stars: Callable[[Any], int] = lambda item: 0
    appeals: dict[str, Appealable] = field(default_factory=dict)  # appealable log action -> how


KINDS: dict[str, DecisionKind] = {}
_BY_ACTION: dict[tuple[str, str], tuple[DecisionKind, str]] = {}


def register(kind: DecisionKind) -> DecisionKind:
    """Add a kind of decision to the registry (again with the same name replaces it)."""
    KINDS[kind.name] = kind
    for action, outcome in kind.outcomes.items():
        _BY_ACTION[(kind.target_type, action)] = (kind, outcome)
    return kind


def classify(target_type: str, action: str) -> tuple[DecisionKind, str] | None:
    """Return (kind, public outcome) when a log row is a decision (or an appeal made), else None."""
    return _BY_ACTION.get((target_type, action))


def appealable_actions() -> list[tuple[str, str]]:
    """Return every (target_type, action) that can be appealed."""
    return [(kind.target_type, action) for kind in KINDS.values() for action in kind.appeals]


def kind_label(name: str) -> str:
    """Return a kind's label (its name when unknown, e.g. a kind removed since)."""
    kind = KINDS.get(name)
    return kind.label if kind else name


def outcome_label(outcome: str) -> str:
    """Return an outcome's label."""
    return OUTCOME_LABELS.get(outcome, outcome.capitalize())
