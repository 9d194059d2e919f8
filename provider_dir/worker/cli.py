"""flask worker: deliver the mail outbox and run the scheduled jobs."""

from __future__ import annotations

import logging

import click
from flask.cli import with_appcontext

from provider_dir.worker.loop import Worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the due jobs and deliver what is due once, then exit (for cron).")
@click.option("--no-jobs", is_flag=True, help="Only deliver mail; leave the scheduled jobs to other workers.")
@with_appcontext
def worker_command(once: bool, no_jobs: bool) -> None:
    """Deliver queued mail (retrying with back-off) and run the daily jobs; stop cleanly on SIGTERM."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    worker = Worker(jobs=not no_jobs)
    worker.install_signal_handlers()
    try:
        worker.run(keep_going=not once)
    except ValueError as exc:  # a bad WORKER_JOBS or job time
        raise click.ClickException(str(exc)) from exc
