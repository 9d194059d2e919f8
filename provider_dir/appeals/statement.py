"""The statement of reasons both sides of an appeal receive: what was decided, on which rule, by whom, and finality."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Statement:
    """The facts a statement of reasons states."""

    kind_label: str
    clinic_name: str
    first_outcome: str
    first_reason: str
    reversed: bool
    appeal_reason: str
    reversal_text: str
    note: str = ""


def subject(statement: Statement) -> str:
    """Return the email subject."""
    result = "reversed" if statement.reversed else "upheld"
    return f"Appeal decided ({result}): {statement.kind_label.lower()} about {statement.clinic_name}"


def text(statement: Statement) -> str:
    """Return the statement of reasons as plain text."""
    first = statement.first_outcome.lower() + (f" ({statement.first_reason})" if statement.first_reason else "")
    if statement.reversed:
        what = f"The appeal is granted and the first decision reversed: {statement.reversal_text}."
    else:
        what = "The appeal is not granted: the first decision stands."
    lines = [
        f"Statement of reasons about an appeal: {statement.kind_label.lower()} about {statement.clinic_name}.",
        f"The first decision: {first}.",
        f"What was decided on appeal: {what}",
        f"On which rule: {statement.appeal_reason}.",
        "Who decided: a person, a moderator other than the one who made the first decision and with no tie to the "
        "clinic. No automated tool made this decision.",
    ]
    if statement.note:
        lines.append(f"The moderator adds: {statement.note}")
    lines.append("This was the last step on this site: an appeal is decided once and cannot be appealed again here.")
    return "\n".join(lines)


def summary(statement: Statement) -> str:
    """Return the in-app notification: the outcome in one sentence (the email and the appeals page say the rest)."""
    result = "reversed" if statement.reversed else "upheld"
    return (f"An appeal about a {statement.kind_label.lower()} decision ({statement.clinic_name}) was decided by a "
            f"second moderator: {result}, because {statement.appeal_reason[0].lower()}{statement.appeal_reason[1:]}. "
            "This was the last step on this site.")
