"""Commit one moderation decision the same way in every queue: 403 on a conflict of interest, 409 when stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash
from sqlalchemy.orm.exc import StaleDataError

from provider_dir.extensions import db
from provider_dir.moderation.services import STALE_MESSAGE, ConflictOfInterest, StaleDecision

T = TypeVar("T")


def commit_decision(decide: Callable[[], T]) -> T:
    """Run decide() and commit it with its log row; on a conflict or a stale item roll back and answer 403 or 409.

    Other exceptions (a queue's own "cannot decide this way") pass through for the view to explain; the view
    rolls back then.
    """
    try:
        result = decide()
        db.session.commit()
    except ConflictOfInterest as exc:
        db.session.rollback()
        abort(403, description=str(exc))
    except StaleDecision as exc:
        db.session.rollback()
        abort(409, description=str(exc))
    except StaleDataError:  # a concurrent decision reached the row first (the mapper's version column)
        db.session.rollback()
        abort(409, description=STALE_MESSAGE)
    return result


def flash_recorded(message: str) -> None:
    """Flash that the decision is recorded (its notice emails are in the outbox, committed with it)."""
    flash(message, "success")
