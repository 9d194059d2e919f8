"""The held-edit queue: listing text the screen held for a cure / guarantee / miracle claim, oldest first."""

from __future__ import annotations

from sqlalchemy import Select

from provider_dir.accounts.models import User
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.portal.vocab import ChangeKind

KIND = ChangeKind.EDIT
decide = listing_queue.decide


def queue(moderator: User) -> Select:
    """Return the held edits the moderator may decide, oldest first."""
    return listing_queue.queue(moderator, KIND)


def pending_count(moderator: User) -> int:
    """Return how many held edits the moderator may decide."""
    return listing_queue.count_waiting(moderator, KIND)
