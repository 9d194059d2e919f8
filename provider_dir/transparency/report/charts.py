"""The report's charts, each drawn beside the table that holds its numbers."""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

from provider_dir.transparency.kinds import kind_label
from provider_dir.transparency.report.buckets import describe_wait
from provider_dir.transparency.report.data import MonthReport
from provider_dir.transparency.report.svg import bar_chart


def charts(report: MonthReport) -> dict[str, Markup]:
    """Return each chart by the name of the table it draws."""
    m = report.month
    per_kind: dict[str, int] = defaultdict(int)
    for count in report.decisions:
        per_kind[count.kind] += count.n
    kinds = [(kind_label(kind), n) for kind, n in per_kind.items()]
    rated = [s for s in report.stars]
    rates = [(f"{s.star} star{'s' if s.star != 1 else ''}", 100 * s.approved / s.submitted if s.submitted else 0)
             for s in rated]  # fmt: skip
    rate_texts = [f"{round(value)} %" if s.submitted else "none decided" for (_, value), s in zip(rates, rated,
                                                                                                strict=True)]
    return {
        "decisions": bar_chart("chart-decisions", f"Decisions in {m} by kind",
                               f"{report.total} decisions in {m}; the table beside gives each kind by outcome.",
                               kinds),
        "stars": bar_chart("chart-stars", f"Approval rate of reviews by star rating, {m}",
                           "Share of the reviews decided that month that were published, for each star rating, "
                           "out of 100 %.", rates, rate_texts, scale_max=100),
        "waits": bar_chart("chart-waits", f"Median time from submission to decision, {m}",
                           "Median wait in hours for each queue; the table beside also gives the 90th percentile.",
                           [(w.kind_label, w.median or 0) for w in report.waits],
                           [describe_wait(w.median) for w in report.waits]),
        "trend": bar_chart("chart-trend", f"Decisions per month, the 12 months to {m}",
                           "Number of moderation decisions in each month.", report.trend),
    }
