"""The report's tables, each defined once: the page renders them beside its charts and serves each as CSV."""

from __future__ import annotations

from dataclasses import dataclass

from provider_dir.transparency.report.buckets import describe_wait
from provider_dir.transparency.report.data import MonthReport


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the report: a caption, a header and rows of plain values."""

    name: str
    caption: str
    header: list[str]
    rows: list[list]


def _rate(approved: int, decided: int) -> str:
    return f"{round(100 * approved / decided)} %" if decided else "n/a"


def tables(report: MonthReport) -> dict[str, Table]:
    """Return every table of the month's report, by name (the name is also the CSV's file name)."""
    m = report.month
    registry = "not yet" if report.registry_checks is None else report.registry_checks
    found = [
        Table("decisions", f"Decisions in {m} by kind and outcome", ["Kind", "Outcome", "Decisions"],
              [[c.kind_label, c.outcome_label, c.n] for c in report.decisions]),
        Table("reasons", f"Decisions in {m} by kind and reason",
              ["Kind", "Outcome", "Reason code", "Reason", "Decisions"],
              [[c.kind_label, c.outcome_label, c.reason, c.reason_label, c.n] for c in report.reasons]),
        Table("stars", f"Reviews decided in {m}: approval rate by star rating",
              ["Rating", "Decided", "Published", "Withheld", "Approval rate"],
              [[f"{s.star} star{'s' if s.star != 1 else ''}", s.submitted, s.approved, s.rejected,
                _rate(s.approved, s.submitted)] for s in report.stars]),
        Table("waits", f"Time from submission to decision in {m}, per queue",
              ["Queue", "Decided", "Median", "90th percentile", "Median (hours)", "90th percentile (hours)"],
              [[w.kind_label, w.decided, describe_wait(w.median), describe_wait(w.p90), w.median, w.p90]
               for w in report.waits]),
        Table("appeals", f"Appeals in {m}", ["Figure", "Number"],
              [["Appeals made", report.appeals_made], ["Decided: decision upheld", report.appeals_upheld],
               ["Decided: decision reversed", report.appeals_reversed]]),
        Table("credentials", f"Staff credentials and registry checks in {m}", ["Figure", "Number"],
              [["Verified by a moderator", report.credentials_verified],
               ["Refused by a moderator", report.credentials_refused],
               ["Expired (expiry date in the month)", report.credentials_expired],
               ["Registry checks run", registry]]),
        Table("trend", f"Decisions per month, the 12 months to {m}", ["Month", "Decisions"],
              [[month, n] for month, n in report.trend]),
    ]  # fmt: skip
    return {table.name: table for table in found}
