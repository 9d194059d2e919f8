"""Mail waiting and failed, and job runs by job and outcome, read from their tables at scrape time.

Read from the database, not counted in the worker: a worker on another host shares no metrics folder with gunicorn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select

from provider_dir.extensions import db
from provider_dir.mail import outbox
from provider_dir.observability.metrics import scrape_collector
from provider_dir.worker.models import JobRun


@scrape_collector("mail_and_jobs")
def collect() -> Iterable[Metric]:
    """Yield the stored emails by state and the recorded job runs by job and outcome."""
    mail = GaugeMetricFamily("provider_dir_mail_messages", "Stored emails by state (waiting, sending, failed, sent).",
                             labels=["state"])  # fmt: skip
    for state, count in asdict(outbox.counts(db.session)).items():
        mail.add_metric([state], count)
    runs = GaugeMetricFamily("provider_dir_job_runs", "Recorded runs of the worker's scheduled jobs, by outcome.",
                             labels=["job", "outcome"])  # fmt: skip
    grouped = db.session.execute(select(JobRun.job, JobRun.status, func.count()).group_by(JobRun.job, JobRun.status))
    for job, status, count in grouped:
        runs.add_metric([job, status.value], count)
    return [mail, runs]
