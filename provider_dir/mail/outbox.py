"""The transactional outbox: store an email with the action that caused it; workers claim, send and retry. No Flask.

A worker claims a batch with one UPDATE (on PostgreSQL its subquery takes the rows FOR UPDATE SKIP LOCKED, so
workers never wait for each other; SQLite runs one writer at a time, so the UPDATE is atomic there too) and holds
the claim for a lease. A worker killed mid-batch leaves its claim to lapse, and another worker sends those
messages later with the Message-ID stored at queueing time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from provider_dir.mail.models import MailStatus, OutgoingMail
from provider_dir.mail.transport import MailError, build_message, new_message_id

log = logging.getLogger(__name__)

ERROR_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long a claim lasts and how retries back off."""

    lease: timedelta = timedelta(minutes=5)
    first_retry: timedelta = timedelta(seconds=30)
    longest_wait: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(days=1)
    # A batch stops taking new messages this long before its lease lapses (one slow SMTP answer fits in it).
    margin: timedelta = timedelta(seconds=30)


@dataclass
class DeliveryRun:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0

    @property
    def handled(self) -> int:
        """Return how many claimed messages were sent or given a next step."""
        return self.sent + self.retried + self.failed


@dataclass(frozen=True, slots=True)
class MailCounts:
    """How many stored emails stand where (for the admin page and metrics)."""

    waiting: int
    sending: int
    failed: int
    sent: int


def new_mail(sender: str, to: str, subject: str, body: str, now: datetime, policy: RetryPolicy) -> OutgoingMail:
    """Return a stored email ready for the worker, with its Message-ID made now."""
    return OutgoingMail(
        message_id=new_message_id(sender), sender=sender, recipient=to, subject=subject, body=body,
        created_at=now, status=MailStatus.WAITING, attempts=0, next_attempt_at=now,
        give_up_at=now + policy.give_up_after,
    )  # fmt: skip


def as_message(mail: OutgoingMail) -> EmailMessage:
    """Return the email as it goes out: the same headers (Message-ID and Date) at every attempt."""
    return build_message(mail.sender, mail.recipient, mail.subject, mail.body, message_id=mail.message_id,
                         date=mail.created_at)  # fmt: skip


def backoff(attempts: int, policy: RetryPolicy) -> timedelta:
    """Return the wait after the given number of failed attempts: doubling from first_retry up to longest_wait."""
    return min(policy.first_retry * (2 ** max(attempts - 1, 0)), policy.longest_wait)


def _due(now: datetime):
    return or_(
        and_(OutgoingMail.status == MailStatus.WAITING, OutgoingMail.next_attempt_at <= now),
        and_(OutgoingMail.status == MailStatus.SENDING, OutgoingMail.claimed_until < now),
    )


def claim(session: Session, token: str, now: datetime, limit: int, policy: RetryPolicy) -> list[OutgoingMail]:
    """Claim up to limit due messages for the worker named by token, commit the claim, and return them."""
    due = (
        select(OutgoingMail.id).where(_due(now)).order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit).with_for_update(skip_locked=True)
    )  # fmt: skip
    session.execute(
        update(OutgoingMail).where(OutgoingMail.id.in_(due))
        .values(status=MailStatus.SENDING, claimed_by=token, claimed_until=now + policy.lease)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()
    return list(
        session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.claimed_by == token, OutgoingMail.status == MailStatus.SENDING)
            .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
            .execution_options(populate_existing=True)
        )
    )


def _finish(session: Session, mail: OutgoingMail, token: str, **values) -> None:
    # Only the claim's holder records the outcome: a worker whose lease lapsed must not overwrite a newer claim.
    session.execute(
        update(OutgoingMail).where(OutgoingMail.id == mail.id, OutgoingMail.claimed_by == token)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    session.commit()


def record_failure(session: Session, mail: OutgoingMail, token: str, error: MailError, now: datetime,
                   policy: RetryPolicy) -> bool:
    """Record a failed attempt: retry later with back-off, or give up (return True) when permanent or too late."""
    attempts = mail.attempts + 1
    give_up = error.permanent or now >= mail.give_up_at
    values = {"attempts": attempts, "last_error": str(error)[:ERROR_LENGTH]}
    if give_up:
        values["status"] = MailStatus.FAILED
    else:
        values["status"] = MailStatus.WAITING
        values["next_attempt_at"] = min(now + backoff(attempts, policy), mail.give_up_at)
    _finish(session, mail, token, **values)
    return give_up


def release(session: Session, token: str) -> int:
    """Hand back the messages this worker claimed but did not try (a stop or a lease running out)."""
    result = session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.claimed_by == token, OutgoingMail.status == MailStatus.SENDING)
        .values(status=MailStatus.WAITING, claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount or 0


def deliver_due(session: Session, send: Callable[[EmailMessage], None], token: str, clock: Callable[[], datetime],
                policy: RetryPolicy, limit: int = 20, stopping: Callable[[], bool] = lambda: False) -> DeliveryRun:
    """Claim one batch of due messages and send each; record every outcome as soon as it is known."""
    run = DeliveryRun()
    batch = claim(session, token, clock(), limit, policy)
    for mail in batch:
        now = clock()
        if stopping() or now >= mail.claimed_until - policy.margin:
            break
        try:
            send(as_message(mail))
        except MailError as exc:
            if record_failure(session, mail, token, exc, clock(), policy):
                log.error("Gave up on mail %s to %s after %d attempts: %s", mail.id, mail.recipient,
                          mail.attempts + 1, exc)  # fmt: skip
                run.failed += 1
            else:
                log.warning("Mail %s to %s not sent yet: %s", mail.id, mail.recipient, exc)
                run.retried += 1
            continue
        # A crash between the server's "250" and this commit is the one way a message goes twice (same id).
        _finish(session, mail, token, status=MailStatus.SENT, sent_at=clock(), attempts=mail.attempts + 1,
                last_error=None)  # fmt: skip
        run.sent += 1
    if batch:
        run.released = release(session, token)
    return run


def counts(session: Session) -> MailCounts:
    """Return how many emails wait (or are being sent), have failed for good, and were sent."""
    rows = dict(session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)).all())
    return MailCounts(
        waiting=rows.get(MailStatus.WAITING, 0), sending=rows.get(MailStatus.SENDING, 0),
        failed=rows.get(MailStatus.FAILED, 0), sent=rows.get(MailStatus.SENT, 0),
    )  # fmt: skip


def undeliverable(session: Session):
    """Return the query of messages given up on, newest first."""
    return select(OutgoingMail).where(OutgoingMail.status == MailStatus.FAILED).order_by(OutgoingMail.id.desc())


def retry(mail: OutgoingMail, now: datetime, policy: RetryPolicy) -> None:
    """Put an undeliverable message back in line now, with a fresh day of retries (the caller commits)."""
    mail.status = MailStatus.WAITING
    mail.next_attempt_at = now
    mail.give_up_at = now + policy.give_up_after


def purge_sent(session: Session, before: datetime) -> int:
    """Delete sent messages older than before (their bodies hold links that should not linger); return how many."""
    result = session.execute(
        delete(OutgoingMail).where(OutgoingMail.status == MailStatus.SENT, OutgoingMail.sent_at < before)
    )
    return result.rowcount or 0
