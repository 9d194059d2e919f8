"""A year of synthetic moderation decisions for scale work: the public log rows and monthly totals `record` keeps.

Every synthetic review gets its decision (about one in ten withheld, for a content-neutral reason), a share of the
credentials and checklist answers theirs, plus declined and upheld reports and appeals, spread over the months
before `end`. Rows go in with the seeding's bulk writer (COPY on PostgreSQL); moderation_log itself is not filled,
as the public pages never read it.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.moderation.vocab import RefusalReason, RejectionReason
from provider_dir.reviews.models import Review
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.seeding.bulk import bulk_load_settings, insert_rows, next_id, sync_id_sequences
from provider_dir.transparency.models import DecisionTally, PublicDecision
from provider_dir.transparency.report.buckets import wait_bucket
from provider_dir.transparency.tally import bump, month_of, rollup_key

REVIEW_REASONS = [r.value for r in RejectionReason]
CREDENTIAL_REASONS = [RefusalReason.NO_MATCH.value, RefusalReason.UNREADABLE.value, RefusalReason.EXPIRED.value]
EVIDENCE_REASONS = [RefusalReason.NOT_SHOWN.value, RefusalReason.INCOMPLETE.value]


def _decision(rng: random.Random, end: datetime, days: int) -> tuple[datetime, datetime]:
    """Return (submitted, decided): decided at a random moment of the period, after a wait of hours to weeks."""
    decided = end - timedelta(seconds=rng.uniform(0, days * 86400))
    return decided - timedelta(hours=rng.expovariate(1 / 20)), decided


def add_synthetic_decisions(session: Session, *, months: int = 12, seed: int = 1, end: datetime | None = None,
                            progress: Callable[[int], None] | None = None) -> int:
    """Write a year (or `months`) of synthetic decisions about the clinics present; return how many."""
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    days = months * 30
    rows: list[dict] = []
    tally: Counter = Counter()

    def add(kind: str, outcome: str, reason: str, clinic_id: int, stars: int = 0) -> None:
        submitted, decided = _decision(rng, end, days)
        rows.append({"created_at": decided, "kind": kind, "outcome": outcome, "reason": reason,
                     "clinic_id": clinic_id, "log_id": None})
        month = month_of(decided)
        tally[(month, kind, outcome, reason, stars, wait_bucket(submitted, decided))] += 1
        tally[tuple(rollup_key(month, outcome).values())] += 1

    for clinic_id, stars in session.execute(select(Review.clinic_id, Review.rating_overall)):
        withheld = rng.random() < 0.1
        add("review", "refused" if withheld else "approved", rng.choice(REVIEW_REASONS) if withheld else "",
            clinic_id, stars)
        if rng.random() < 0.03:
            upheld = rng.random() < 0.3
            add("report", "upheld" if upheld else "declined", rng.choice(REVIEW_REASONS) if upheld else "", clinic_id)
        if withheld and rng.random() < 0.15:
            reversed_ = rng.random() < 0.25
            add("appeal", "reversed" if reversed_ else "upheld", "misread" if reversed_ else "rule_applied", clinic_id)
    credentials = select(StaffMember.clinic_id).join(Credential.staff_member)
    for (clinic_id,) in session.execute(credentials):
        if rng.random() < 0.2:
            refused = rng.random() < 0.15
            add("credential", "refused" if refused else "approved",
                rng.choice(CREDENTIAL_REASONS) if refused else "registry_match", clinic_id)
    for (clinic_id,) in session.execute(select(ChecklistAnswer.clinic_id)):
        if rng.random() < 0.15:
            refused = rng.random() < 0.2
            add("evidence", "refused" if refused else "approved",
                rng.choice(EVIDENCE_REASONS) if refused else "document_match", clinic_id)
    rows.sort(key=lambda row: row["created_at"])
    first = next_id(session, PublicDecision.__table__)
    for offset, row in enumerate(rows):
        row["id"] = first + offset
    totals = [{"month": m, "kind": k, "outcome": o, "reason": r, "stars": s, "wait_bucket": w, "n": n}
              for (m, k, o, r, s, w), n in tally.items()]  # fmt: skip
    with bulk_load_settings(session):
        insert_rows(session, PublicDecision.__table__, rows, progress=progress)
        _merge_totals(session, totals)
        sync_id_sequences(session, [PublicDecision.__table__])
    return len(rows)


def _merge_totals(session: Session, totals: list[dict]) -> None:
    """Add the totals to the monthly counts: in bulk into an empty table, else one upsert per row."""
    if not session.scalar(select(DecisionTally.id).limit(1)):
        insert_rows(session, DecisionTally.__table__, totals)
        sync_id_sequences(session, [DecisionTally.__table__])
        return
    connection = session.connection()
    for row in totals:
        n = row.pop("n")
        bump(connection, row, by=n)
