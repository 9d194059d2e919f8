"""`flask worker` as a real process: killed mid-batch, facing a mail server that is down, raced by a second worker."""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.mail import outbox
from provider_dir.mail.services import queue_mail
from provider_dir.worker.models import JobRun, JobStatus
from tests.databases import database_url
from tests.mailbox import SmtpServer, free_port
from tests.served import add_clinics, migrated_app
from tests.worker.helpers import start_worker, stop, wait_for


@pytest.fixture
def worker_app(tmp_path):
    """An app on an empty database of its own (a SQLite file, or a PostgreSQL database), migrated to head."""
    app = migrated_app(database_url("worker", tmp_path), WTF_CSRF_ENABLED=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_worker_killed_mid_batch_loses_nothing_and_a_resend_keeps_its_message_id(worker_app, tmp_path):
    url = worker_app.config["SQLALCHEMY_DATABASE_URI"]
    with worker_app.app_context():
        queued = [queue_mail(f"k{n}@example.test", f"Message {n}", "Body") for n in range(30)]
        db.session.commit()
        ids = {mail.message_id for mail in queued}
    victim: dict = {}
    received = Counter()

    def kill_on_the_tenth(message) -> None:
        received[message["Message-ID"]] += 1
        if sum(received.values()) == 10 and "first" in victim:
            # The server has the message; the worker dies before it hears "250", so it never marks it sent.
            os.kill(victim["first"].pid, signal.SIGKILL)
            victim["first"].wait()
            victim["in_flight"] = message["Message-ID"]

    server = SmtpServer(before_reply=kill_on_the_tenth).start()
    try:
        victim["first"] = start_worker(url, server.port, tmp_path / "worker.log", MAIL_BATCH_SIZE="20")
        wait_for(lambda: victim["first"].poll() is not None, what="the first worker to be killed")
        assert victim["first"].returncode == -signal.SIGKILL
        second = start_worker(url, server.port, tmp_path / "worker.log")
        wait_for(lambda: set(received) == ids, what="every message to arrive")
        assert stop(second) == 0
    finally:
        server.stop()
    # Nothing lost; the one message in flight at the kill arrived twice, both times with its stored Message-ID.
    assert set(received) == ids
    assert received[victim["in_flight"]] == 2
    assert sorted(received.values()) == [1] * 29 + [2]
    with worker_app.app_context():
        assert outbox.counts(db.session).sent == 30


def test_mail_queued_while_the_server_is_down_arrives_once_when_it_comes_back(worker_app, tmp_path):
    port = free_port()  # nothing listens here yet: connection refused
    worker_app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    client = worker_app.test_client()
    emails = [f"down{n}@example.com" for n in range(5)]
    for n, email in enumerate(emails):
        response = client.post("/register", data={"email": email, "display_name": f"down_{n}",
                                                  "password": "tide pools at dusk"})  # fmt: skip
        assert response.status_code == 302
    log = tmp_path / "worker.log"
    worker = start_worker(worker_app.config["SQLALCHEMY_DATABASE_URI"], port, log)
    try:
        wait_for(lambda: log.read_text().count("not sent yet") >= 10, what="refused attempts")
        server = SmtpServer(port=port).start()
        try:
            wait_for(lambda: len(server.mailbox.messages) >= 5, what="the messages after the server came back")
            assert stop(worker) == 0  # SIGTERM: a clean stop
        finally:
            server.stop()
    finally:
        stop(worker)
    assert sorted(str(m["To"]) for m in server.mailbox.messages) == emails  # each once
    assert "stopped" in log.read_text()
    with worker_app.app_context():
        counts = outbox.counts(db.session)
        assert (counts.sent, counts.waiting, counts.failed) == (5, 0, 0)


def test_two_workers_started_at_once_run_each_due_job_once(worker_app, tmp_path):
    with worker_app.app_context():
        [slug] = add_clinics(1, prefix="race")
        clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
        owner = User(email="race.owner@example.test", display_name="race_owner", password_hash="x",
                     role=UserRole.CLINIC_OWNER)  # fmt: skip
        db.session.add(ClinicMembership(user=owner, clinic=clinic, role=MembershipRole.OWNER))
        db.session.add(StaffMember(clinic=clinic, role=StaffRole.MEDICAL_DIRECTOR, full_name="Dana Race", degree="MD",
                                   credentials=[Credential(kind=CredentialKind.ACLS, identifier="A-1", issuer="AHA",
                                                           expires_on=date.today() + timedelta(days=10))]))
        db.session.commit()
    backups = tmp_path / "backups"
    jobs = {"WORKER_JOBS": "notices,backup", "JOB_NOTICES_AT": "00:00", "JOB_BACKUP_AT": "00:00",
            "BACKUP_DIR": str(backups)}  # fmt: skip
    server = SmtpServer().start()
    try:
        url = worker_app.config["SQLALCHEMY_DATABASE_URI"]
        workers = [start_worker(url, server.port, tmp_path / f"worker{n}.log", "--once", **jobs) for n in range(2)]
        assert [w.wait(timeout=120) for w in workers] == [0, 0]
    finally:
        server.stop()
    with worker_app.app_context():
        runs = db.session.scalars(select(JobRun).order_by(JobRun.job)).all()
        assert [(r.job, r.status) for r in runs] == [("backup", JobStatus.DONE), ("notices", JobStatus.DONE)]
        assert len({r.worker for r in runs}) >= 1
    assert len(list(backups.iterdir())) == 1
    assert [m["Subject"] for m in server.mailbox.to("race.owner@example.test")] == [
        "1 credential at Served Clinic 0 expires soon"
    ]
