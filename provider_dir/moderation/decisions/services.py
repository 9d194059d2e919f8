"""Rules every moderation decision follows, whatever it decides: independence and the optimistic version check."""

from __future__ import annotations

from provider_dir.accounts.models import User
from provider_dir.moderation.services import MODERATOR_ROLES, STALE_MESSAGE, ConflictOfInterest, StaleDecision

CONFLICT_MESSAGE = "You belong to this clinic, so another moderator must decide this."

__all__ = [
    "CONFLICT_MESSAGE",
    "MODERATOR_ROLES",
    "STALE_MESSAGE",
    "ConflictOfInterest",
    "StaleDecision",
    "ensure_can_decide",
]


def ensure_can_decide(moderator: User, clinic_id: int, current_version: int, seen_version: int) -> None:
    """Raise ConflictOfInterest for a moderator of the clinic, StaleDecision when the item changed since seen."""
    if moderator.belongs_to(clinic_id):
        raise ConflictOfInterest(CONFLICT_MESSAGE)
    if current_version != seen_version:
        raise StaleDecision(STALE_MESSAGE)
