"""The worker's loop: run the due jobs, deliver the outbox, wait; stop cleanly on SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import threading

from flask import current_app
from sqlalchemy.exc import DBAPIError

from provider_dir.extensions import db
from provider_dir.mail import outbox
from provider_dir.mail.services import deliver_pending, worker_token
from provider_dir.worker.runner import enabled_jobs, run_due_jobs

log = logging.getLogger(__name__)


class Worker:
    """One worker process: its name for claims, and the event that asks it to stop."""

    def __init__(self, jobs: bool = True) -> None:
        self.token = worker_token()
        self.jobs = jobs
        self.stop = threading.Event()

    def ask_to_stop(self, signum, frame) -> None:
        """Finish the message or job in hand, hand back the rest, and leave (a signal handler)."""
        log.info("Worker %s asked to stop (signal %s); finishing what is in hand", self.token, signum)
        self.stop.set()

    def install_signal_handlers(self) -> None:
        """Stop cleanly on SIGTERM (systemd, docker stop) and SIGINT (Ctrl-C)."""
        signal.signal(signal.SIGTERM, self.ask_to_stop)
        signal.signal(signal.SIGINT, self.ask_to_stop)

    def once(self) -> None:
        """Run the due jobs, then deliver every message that is due."""
        if self.jobs:
            run_due_jobs(self.token)
        if not self.stop.is_set():
            run = deliver_pending(self.token, stopping=self.stop.is_set)
            if run.handled:
                log.info("Mail: %d sent, %d to retry, %d given up", run.sent, run.retried, run.failed)

    def run(self, keep_going: bool = True) -> None:
        """Loop until asked to stop (or once); a database that stops answering is waited out, never fatal."""
        if self.jobs:
            enabled_jobs()  # an unknown job name stops the worker at start, with its message
        poll = float(current_app.config["WORKER_POLL_SECONDS"])
        log.info("Worker %s started (jobs: %s, polling every %.1f s)", self.token,
                 current_app.config["WORKER_JOBS"] if self.jobs else "none", poll)  # fmt: skip
        while True:
            try:
                self.once()
            except DBAPIError:
                log.exception("The database did not answer; trying again in %.1f s", poll)
                db.session.rollback()
            if not keep_going or self.stop.is_set():
                break
            self.stop.wait(poll)
        try:
            outbox.release(db.session, self.token)
        except DBAPIError:
            db.session.rollback()  # the claims lapse by themselves
        db.session.remove()
        log.info("Worker %s stopped", self.token)
