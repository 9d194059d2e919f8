"""The monthly transparency report, read from the monthly totals (one grouped query) and two indexed counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from provider_dir.credentials.models import Credential
from provider_dir.extensions import db
from provider_dir.reviews.figures.charts import StarApproval
from provider_dir.transparency import registry_hook
from provider_dir.transparency.kinds import APPROVED, KINDS, MADE, REFUSED, REVERSED, UPHELD, kind_label, outcome_label
from provider_dir.transparency.models import DecisionTally
from provider_dir.transparency.public_log import month_bounds
from provider_dir.transparency.reasons import reason_label
from provider_dir.transparency.report.buckets import percentile
from provider_dir.transparency.tally import ROLLUP

STARS = (5, 4, 3, 2, 1)
TREND_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Count:
    """How many decisions of one kind had one outcome (and, for the reasons table, one reason)."""

    kind: str
    outcome: str
    n: int
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason, self.kind)


@dataclass(frozen=True, slots=True)
class Wait:
    """How long one queue's items waited from submission to decision, as buckets of hours."""

    kind: str
    decided: int
    median: int | None
    p90: int | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True, slots=True)
class MonthReport:
    """Every figure of one month's report."""

    month: str
    decisions: list[Count]
    reasons: list[Count]
    stars: list[StarApproval]
    waits: list[Wait]
    appeals_made: int
    appeals_upheld: int
    appeals_reversed: int
    credentials_verified: int
    credentials_refused: int
    credentials_expired: int
    registry_checks: int | None
    trend: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(count.n for count in self.decisions)


def previous_months(month: str, count: int) -> list[str]:
    """Return `count` months ending with `month`, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{number:02d}")
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return months[::-1]


def _kind_order(name: str) -> int:
    names = list(KINDS)
    return names.index(name) if name in names else len(names)


def build(month: str) -> MonthReport:
    """Return the report of one "YYYY-MM" month."""
    start, end = month_bounds(month)
    tally = DecisionTally
    this_month = (tally.month == month, tally.kind != ROLLUP)
    total = func.sum(tally.n)
    by_outcome: dict[tuple[str, str], int] = defaultdict(int)
    by_reason: dict[tuple[str, str, str], int] = {}
    made = 0
    # Three grouped reads of one month's rows, each served by the covering index.
    for kind, outcome, reason, n in db.session.execute(
            select(tally.kind, tally.outcome, tally.reason, total).where(*this_month)
            .group_by(tally.kind, tally.outcome, tally.reason)):  # fmt: skip
        if outcome == MADE:
            made += n if kind == "appeal" else 0
            continue
        by_outcome[(kind, outcome)] += n
        if reason:
            by_reason[(kind, outcome, reason)] = n
    by_star = {(stars, outcome): n for stars, outcome, n in db.session.execute(
        select(tally.stars, tally.outcome, total).where(*this_month, tally.kind == "review", tally.stars > 0)
        .group_by(tally.stars, tally.outcome))}  # fmt: skip
    waits: dict[str, dict[int, int]] = defaultdict(dict)
    for kind, bucket, n in db.session.execute(
            select(tally.kind, tally.wait_bucket, total).where(*this_month, tally.outcome != MADE)
            .group_by(tally.kind, tally.wait_bucket)):  # fmt: skip
        waits[kind][bucket] = n
    expired = db.session.scalar(select(func.count()).select_from(Credential).where(
        Credential.expires_on >= start.date(), Credential.expires_on < end.date()))  # fmt: skip
    trend_months = previous_months(month, TREND_MONTHS)
    trend = dict(db.session.execute(
        select(tally.month, func.sum(tally.n))
        .where(tally.month >= trend_months[0], tally.month <= month, tally.kind == ROLLUP, tally.outcome != MADE)
        .group_by(tally.month)
    ).all())  # fmt: skip
    return MonthReport(
        month=month,
        decisions=sorted((Count(k, o, n) for (k, o), n in by_outcome.items()),
                         key=lambda c: (_kind_order(c.kind), c.outcome)),
        reasons=sorted((Count(k, o, n, r) for (k, o, r), n in by_reason.items()),
                       key=lambda c: (_kind_order(c.kind), c.outcome, -c.n, c.reason)),
        stars=[StarApproval(star=s, submitted=by_star.get((s, APPROVED), 0) + by_star.get((s, REFUSED), 0),
                            approved=by_star.get((s, APPROVED), 0), rejected=by_star.get((s, REFUSED), 0))
               for s in STARS],
        waits=[Wait(kind, sum(buckets.values()), percentile(buckets.items(), 0.5), percentile(buckets.items(), 0.9))
               for kind, buckets in sorted(waits.items(), key=lambda item: _kind_order(item[0]))],
        appeals_made=made,
        appeals_upheld=by_outcome[("appeal", UPHELD)],
        appeals_reversed=by_outcome[("appeal", REVERSED)],
        credentials_verified=by_outcome[("credential", APPROVED)],
        credentials_refused=by_outcome[("credential", REFUSED)],
        credentials_expired=int(expired or 0),
        registry_checks=registry_hook.checks_run(start.date(), end.date()),
        trend=[(m, int(trend.get(m, 0))) for m in trend_months],
    )  # fmt: skip


def current_month(today: date | None = None) -> str:
    """Return this month as "YYYY-MM"."""
    return (today or date.today()).strftime("%Y-%m")
