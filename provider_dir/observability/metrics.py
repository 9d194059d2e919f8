"""The Prometheus metrics, and the scrape-time collectors features register. No Flask.

Counters and histograms are kept by each process; under gunicorn, PROMETHEUS_MULTIPROC_DIR makes
prometheus-client write them to files there, which MultiProcessCollector adds up at scrape time. Gauges
that describe the database (queue sizes, mail waiting) are not kept by any process: a scrape-time collector
computes them when /metrics is read, once, whichever worker answers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)

REQUESTS = Counter(
    "provider_dir_http_requests", "Requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "provider_dir_http_request_duration_seconds", "Time from the first hook to the response, by endpoint and status.",
    ["endpoint", "status"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
KEPT_PAGES = Counter(
    "provider_dir_kept_pages", "Shareable public pages: served from the page store (hit) or rendered (miss).",
    ["result"],
)  # fmt: skip

ScrapeCollector = Callable[[], Iterable[Metric]]
# Scrape-time collectors by name, each called inside the app context of the /metrics request.
SCRAPE_COLLECTORS: dict[str, ScrapeCollector] = {}


def scrape_collector(name: str) -> Callable[[ScrapeCollector], ScrapeCollector]:
    """Register a function that yields metric families computed when /metrics is read (from the database)."""

    def register(function: ScrapeCollector) -> ScrapeCollector:
        SCRAPE_COLLECTORS[name] = function
        return function

    return register


def record_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its time; unmatched URLs share one endpoint label."""
    label = endpoint or "unmatched"
    REQUESTS.labels(label, method, str(status)).inc()
    LATENCY.labels(label, str(status)).observe(seconds)


def record_kept_page(hit: bool) -> None:
    """Count a shareable page served from the store (hit) or rendered (miss)."""
    KEPT_PAGES.labels("hit" if hit else "miss").inc()


class _ScrapeTime:
    """Runs every registered scrape-time collector; one that fails is reported, not fatal to the scrape."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("provider_dir_scrape_collector_up", "1 when the collector answered.",
                               labels=["collector"])  # fmt: skip
        for name, function in sorted(SCRAPE_COLLECTORS.items()):
            try:
                families = list(function())
            except Exception:  # noqa: BLE001 - one broken collector must not hide the others
                log.warning("metrics collector %s failed", name, exc_info=True)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


class _ThisProcess:
    """The metrics of this process alone (no PROMETHEUS_MULTIPROC_DIR: the development server, tests)."""

    def collect(self) -> Iterable[Metric]:
        yield from REGISTRY.collect()


def multiprocess_dir() -> str | None:
    """Return the folder the processes share their figures in, or None in single-process mode."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def scrape_registry() -> CollectorRegistry:
    """Return a registry holding every process's figures and the scrape-time gauges, for one scrape."""
    registry = CollectorRegistry(auto_describe=False)
    folder = multiprocess_dir()
    if folder:
        MultiProcessCollector(registry, path=folder)
    else:
        registry.register(_ThisProcess())
    registry.register(_ScrapeTime())
    return registry
