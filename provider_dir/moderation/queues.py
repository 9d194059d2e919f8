"""Every moderation queue with how many items wait in it for one moderator: the navigation of the moderation pages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user
from sqlalchemy import func, select

from provider_dir.accounts.models import User
from provider_dir.appeals import services as appeal_services
from provider_dir.corrections import services as correction_services
from provider_dir.extensions import db
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.moderation.portal import claims as claim_queue
from provider_dir.moderation.portal import edits as edit_queue
from provider_dir.moderation.portal import listings as listing_queue
from provider_dir.registry.services import pending_exclusions
from provider_dir.twofactor import services as second_factor


@dataclass(frozen=True, slots=True)
class QueueLink:
    """One queue as the navigation shows it."""

    label: str
    url: str
    waiting: int
    endpoint: str


def _reviews_waiting(moderator: User) -> int:
    return db.session.scalar(select(func.count()).select_from(services.queue(moderator).order_by(None).subquery()))


QUEUES = (
    ("Reviews and reports", "moderation.queue", _reviews_waiting),
    ("Claims", "moderation_claims.index", claim_queue.pending_count),
    ("New listings", "moderation_listings.index", listing_queue.pending_count),
    ("Held listing edits", "moderation_edits.index", edit_queue.pending_count),
    ("Credentials", "credential_queue.index", credential_queue.pending_count),
    ("Checklist evidence", "evidence_queue.index", evidence_queue.pending_count),
    ("Suggested corrections", "moderation_corrections.index", correction_services.pending_count),
    ("Possible exclusions", "registry.exclusions", pending_exclusions),
    ("Appeals", "moderation_appeals.index", lambda moderator: appeal_services.pending_count(moderator)),
)


def queue_links(moderator: User) -> list[QueueLink]:
    """Return every queue with the number of items waiting for this moderator (their own clinics left out)."""
    return [QueueLink(label, url_for(endpoint), count(moderator), endpoint) for label, endpoint, count in QUEUES]


def register(app: Flask) -> None:
    """Expose the queue links to templates, for moderators and admins only."""

    @app.template_global()
    def moderation_queues() -> list[QueueLink]:
        if not current_user.is_authenticated or not current_user.has_role(*services.MODERATOR_ROLES):
            return []
        if not second_factor.is_on(current_user):  # the queues open only once it is set up
            return []
        return queue_links(current_user)
