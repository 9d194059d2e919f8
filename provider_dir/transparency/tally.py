"""Keep the public log and the monthly totals as decisions happen, in the decision's own transaction.

A listener sees every ModerationLog row `moderation.log.record` adds; the rows the decision-kind registry calls
decisions get a PublicDecision row and one more count in DecisionTally, in the same flush, so a rolled-back
decision leaves no trace in either and the report never has to scan the log.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

import provider_dir.appeals.kinds  # noqa: F401 - registers this site's decision kinds
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.moderation.models import ModerationLog
from provider_dir.transparency.kinds import MADE, classify
from provider_dir.transparency.models import DecisionTally, PublicDecision
from provider_dir.transparency.report.buckets import wait_bucket

TALLY_KEY = ["month", "kind", "outcome", "reason", "stars", "wait_bucket"]
# A second row per decision counts it under kind "*" alone: the report's 12-month trend reads a dozen such rows
# instead of summing every detailed row of a year.
ROLLUP = "*"
ROLLUP_BUCKET = -2


def rollup_key(month: str, outcome: str) -> dict:
    """Return the key of a month's all-kinds total for one outcome."""
    return {"month": month, "kind": ROLLUP, "outcome": outcome, "reason": "", "stars": 0, "wait_bucket": ROLLUP_BUCKET}


def month_of(moment) -> str:
    """Return "YYYY-MM" of an aware datetime, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def bump(connection, values: dict, by: int = 1) -> None:
    """Add to one monthly count, creating its row when it is the first (one atomic statement on both databases)."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(DecisionTally).values(**values, n=by)
    connection.execute(statement.on_conflict_do_update(index_elements=TALLY_KEY,
                                                       set_={"n": DecisionTally.__table__.c.n + by}))


def _public_row(session: Session, entry: ModerationLog) -> None:
    found = classify(entry.target_type, entry.action)
    if found is None:
        return
    kind, outcome = found
    item = kind.load(entry.target_id)
    if entry.created_at is None:
        entry.created_at = utcnow()
    clinic_id = entry.clinic_id if entry.clinic_id is not None else (kind.clinic_id(item) if item else None)
    reason = entry.reason or ""
    submitted = kind.submitted_at(item) if item is not None and outcome != MADE else None
    month = month_of(entry.created_at)
    bump(session.connection(), {
        "month": month, "kind": kind.name, "outcome": outcome, "reason": reason,
        "stars": kind.stars(item) if item is not None else 0, "wait_bucket": wait_bucket(submitted, entry.created_at),
    })  # fmt: skip
    bump(session.connection(), rollup_key(month, outcome))
    if outcome != MADE:
        session.add(PublicDecision(log=entry, created_at=entry.created_at, kind=kind.name, outcome=outcome,
                                   reason=reason, clinic_id=clinic_id))


@event.listens_for(db.session, "before_flush")
def _keep_public_rows(session: Session, flush_context, instances) -> None:
    entries = [obj for obj in session.new if isinstance(obj, ModerationLog)]
    if not entries:
        return
    with session.no_autoflush:
        for entry in entries:
            _public_row(session, entry)
