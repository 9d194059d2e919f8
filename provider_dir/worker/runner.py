"""Run the scheduled jobs that are due, each at most once per period across every worker, and count the runs."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from provider_dir.models.memory import give_memory_back
from provider_dir.worker.jobs import JOBS
from provider_dir.worker.models import JobRun, JobStatus
from provider_dir.worker.schedule import current_period, parse_time

log = logging.getLogger(__name__)

ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class JobCounts:
    """How many job runs are recorded, by outcome (for metrics)."""

    done: int
    failed: int
    running: int


def enabled_jobs() -> list[str]:
    """Return the jobs WORKER_JOBS names, in its order; an unknown name stops the worker with a message."""
    names = [n.strip() for n in str(current_app.config.get("WORKER_JOBS", "")).split(",") if n.strip()]
    unknown = [n for n in names if n not in JOBS]
    if unknown:
        raise ValueError(f"WORKER_JOBS names unknown job(s) {', '.join(unknown)}; known: {', '.join(JOBS)}.")
    return names


def period_of(name: str, now: datetime) -> str:
    """Return the period (a day, YYYY-MM-DD) a run of this job at now belongs to."""
    return current_period(now, parse_time(current_app.config["JOB_TIMES"][name], name)).isoformat()


def claim(session: Session, name: str, period: str, worker: str) -> JobRun | None:
    """Insert this period's run row; return it, or None when another worker's insert came first."""
    if session.scalar(select(JobRun.id).where(JobRun.job == name, JobRun.period == period)) is not None:
        session.rollback()
        return None
    run = JobRun(job=name, period=period, status=JobStatus.RUNNING, worker=worker[:64], started_at=utcnow())
    session.add(run)
    try:
        session.commit()  # the unique (job, period) row is the lock: a second insert fails
    except IntegrityError:
        session.rollback()
        return None
    return run


def run_job(name: str, period: str, worker: str, now: datetime) -> JobRun | None:
    """Run one job for one period unless a worker has already claimed it; record the outcome."""
    session = db.session
    run = claim(session, name, period, worker)
    if run is None:
        return None
    run_id = run.id
    log.info("Job %s for %s started", name, period)
    try:
        summary = JOBS[name](now)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded, and the next period tries again
        session.rollback()
        log.exception("Job %s for %s failed", name, period)
        run = session.get(JobRun, run_id)
        run.status, run.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
    else:
        run = session.get(JobRun, run_id)
        run.status, run.summary = JobStatus.DONE, summary
        log.info("Job %s for %s done: %s", name, period, summary)
    run.finished_at = utcnow()
    session.commit()
    give_memory_back()  # a bulk job's page cache (up to SQLITE_BULK_CACHE_MB) is not kept while the worker waits
    return run


def run_due_jobs(worker: str, now: datetime | None = None) -> list[JobRun]:
    """Run every enabled job whose current period has no run yet; return the runs this worker made."""
    now = now or utcnow()
    made = []
    for name in enabled_jobs():
        run = run_job(name, period_of(name, now), worker, now)
        if run is not None:
            made.append(run)
    return made


def counts(session: Session) -> JobCounts:
    """Return how many job runs finished, failed and are running (for the metrics endpoint)."""
    rows = dict(session.execute(select(JobRun.status, func.count()).group_by(JobRun.status)).all())
    return JobCounts(done=rows.get(JobStatus.DONE, 0), failed=rows.get(JobStatus.FAILED, 0),
                     running=rows.get(JobStatus.RUNNING, 0))  # fmt: skip
