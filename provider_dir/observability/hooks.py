"""Wire logging, request ids and metrics into the app."""

from __future__ import annotations

from flask import Flask

from provider_dir.observability.metrics import record_request
from provider_dir.observability.requestlog import configure_logging, init_request_log


def init_observability(app: Flask) -> None:
    """Configure log lines, give every request an id, count it, and load the features' scrape-time collectors."""
    from provider_dir.moderation import metrics as moderation_metrics  # noqa: F401 - registers its collector
    from provider_dir.worker import metrics as worker_metrics  # noqa: F401 - registers its collector

    configure_logging(app)
    init_request_log(app, on_finish=record_request)
