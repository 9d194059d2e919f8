"""The scheduled jobs the worker runs once a day: each returns one line saying what it did, or raises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy.engine import make_url

from provider_dir.credentials import lapsed
from provider_dir.extensions import db
from provider_dir.mail import outbox
from provider_dir.notices.expiring import send_expiring_notices
from provider_dir.opendata.publish.job import publish_open_data
from provider_dir.operations.backup import BackupError, backup_sqlite, pg_dump_plan, run_pg_dump, sqlite_path
from provider_dir.registry.checks.runner import run_checks_if_due
from provider_dir.scoring import services as scoring

BACKUP_PREFIX = "provider_dir-"
SENT_MAIL_KEPT = timedelta(days=7)


class JobFailed(RuntimeError):
    """The job ran but could not do all of its work; the message says what is left."""


def expiring_notices(now: datetime) -> str:
    """Queue the expiring-credential notices (flask notices expiring)."""
    summary = send_expiring_notices(now.date())
    if summary.failures:
        raise JobFailed("; ".join(summary.failures))
    return f"told the owners of {summary.clinics} clinic(s) about {summary.credentials} credential(s)"


def due_scores(now: datetime) -> str:
    """Recompute the scores that are due and clear lapsed credential flags (flask scores recompute --due)."""
    session = db.session
    on = now.date()
    only = scoring.due_clinic_ids(session, on)
    stats = scoring.recompute_all(session, on, scoring.BATCH_SIZE, after_batch=lambda n: session.commit(), only=only)
    session.commit()
    cleared = lapsed.refresh_lapsed_flags(session, on, after_batch=lambda n: session.commit())
    session.commit()
    return f"recomputed {stats.clinics} score(s), cleared {cleared} lapsed credential flag(s)"


def nightly_backup(now: datetime) -> str:
    """Copy the database into BACKUP_DIR and keep the newest BACKUP_KEEP copies."""
    folder = Path(current_app.config["BACKUP_DIR"])
    if folder.exists() and not folder.is_dir():
        raise BackupError(f"BACKUP_DIR {folder} is not a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    stamp = now.strftime("%Y%m%d-%H%M%S")
    source = sqlite_path(url)
    if source is not None:
        suffix = ".sqlite3"
        target = folder / f"{BACKUP_PREFIX}{stamp}{suffix}"
        backup_sqlite(source, target)
    elif make_url(url).get_backend_name() == "postgresql":
        suffix = ".dump"
        target = folder / f"{BACKUP_PREFIX}{stamp}{suffix}"
        run_pg_dump(pg_dump_plan(url, target))
    else:
        raise BackupError("The nightly backup knows SQLite files and PostgreSQL only.")
    removed = prune_backups(folder, suffix, int(current_app.config["BACKUP_KEEP"]))
    return f"wrote {target.name}, removed {removed} older cop{'y' if removed == 1 else 'ies'}"


def prune_backups(folder: Path, suffix: str, keep: int) -> int:
    """Delete all but the newest keep backups in folder (by their time-stamped names); return how many went."""
    copies = sorted(folder.glob(f"{BACKUP_PREFIX}*{suffix}"))
    old = copies[: max(len(copies) - keep, 0)]
    for path in old:
        path.unlink()
    return len(old)


def mail_cleanup(now: datetime) -> str:
    """Delete sent emails older than a week: their bodies hold sign-in links that should not linger."""
    removed = outbox.purge_sent(db.session, now - SENT_MAIL_KEPT)
    db.session.commit()
    return f"deleted {removed} sent email(s) older than {SENT_MAIL_KEPT.days} days"


def registry_checks(now: datetime) -> str:
    """Re-run every registry check when an NPPES or LEIE file was loaded since the last run, or monthly."""
    stats = run_checks_if_due(db.session)
    if stats is None:
        return "registry checks not due (no new file, last run within 30 days)"
    return (f"ran {sum(stats.checked.values())} registry check(s): {stats.changed} changed, "
            f"{len(stats.requeued)} credential(s) back in the queue, {stats.possible_exclusions} possible exclusion(s)")


JOBS: dict[str, Callable[[datetime], str]] = {
    "notices": expiring_notices,
    "scores": due_scores,
    "backup": nightly_backup,
    "mail_cleanup": mail_cleanup,
    "registry": registry_checks,
    "open_data": publish_open_data,
}
