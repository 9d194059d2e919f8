"""Moderation queue sizes and the age of each queue's oldest item, computed from the database at scrape time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from provider_dir.appeals.models import Appeal
from provider_dir.appeals.vocab import AppealStatus
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.corrections.vocab import CorrectionStatus
from provider_dir.credentials.models import Credential
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation import services
from provider_dir.moderation.credentials import queue as credential_queue
from provider_dir.moderation.evidence import queue as evidence_queue
from provider_dir.observability.metrics import scrape_collector
from provider_dir.portal.models import ClinicClaim, ListingChange
from provider_dir.portal.vocab import ChangeKind, ChangeStatus, ClaimStatus
from provider_dir.registry.models import ExclusionMatch
from provider_dir.reviews.models import Review
from provider_dir.scoring.models import ChecklistAnswer


def _queues():
    """Yield (queue label, waiting since column, condition) for every queue, whoever would decide its items."""
    yield "reviews", func.coalesce(Review.queued_at, Review.created_at), services.in_queue_condition()
    yield "claims", ClinicClaim.created_at, ClinicClaim.status == ClaimStatus.PENDING
    for label, kind in (("new_listings", ChangeKind.NEW_LISTING), ("listing_edits", ChangeKind.EDIT)):
        pending = (ListingChange.kind == kind) & (ListingChange.status == ChangeStatus.PENDING)
        yield label, ListingChange.created_at, pending
    yield "credentials", Credential.submitted_at, credential_queue.pending_condition()
    yield "evidence", ChecklistAnswer.submitted_at, evidence_queue._pending_condition()
    yield "corrections", ClinicCorrection.created_at, ClinicCorrection.status == CorrectionStatus.PENDING
    yield "appeals", Appeal.created_at, Appeal.status == AppealStatus.OPEN
    yield "possible_exclusions", ExclusionMatch.found_at, ExclusionMatch.state == "pending"


def queue_figures(now: datetime) -> list[tuple[str, int, float]]:
    """Return (queue, items waiting, seconds the oldest has waited or 0 when empty) for every queue."""
    figures = []
    for label, since, condition in _queues():
        conditions = condition if isinstance(condition, tuple) else (condition,)
        count, oldest = db.session.execute(select(func.count(), func.min(since)).where(*conditions)).one()
        age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        figures.append((label, int(count), age))
    return figures


@scrape_collector("moderation_queues")
def collect() -> Iterable[Metric]:
    """Yield the queue sizes and oldest ages as gauges."""
    items = GaugeMetricFamily("provider_dir_moderation_queue_items", "Items waiting in each moderation queue.",
                              labels=["queue"])  # fmt: skip
    age = GaugeMetricFamily("provider_dir_moderation_queue_oldest_age_seconds",
                            "How long the oldest waiting item has waited (0 when the queue is empty).",
                            labels=["queue"])  # fmt: skip
    for label, count, seconds in queue_figures(utcnow()):
        items.add_metric([label], count)
        age.add_metric([label], round(seconds, 1))
    return [items, age]
