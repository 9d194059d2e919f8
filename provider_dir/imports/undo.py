"""Undo an import: remove the listings it created that nobody has touched since, and say which it kept and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.credentials.models import StaffMember
from provider_dir.documents.models import Document
from provider_dir.imports.importer import IMPORT_RUN
from provider_dir.imports.models import ImportRun, ListingSource, OutsideRating
from provider_dir.listings.models import Clinic
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.models import ModerationLog
from provider_dir.portal.models import ClinicClaim, ListingChange
from provider_dir.reviews.models import Review
from provider_dir.scoring.models import ChecklistAnswer

# What makes a listing someone else's business since the import, by table: (model, why it is kept).
TOUCHES = (
    (ClinicMembership, "it has an owner or staff account"),
    (ClinicClaim, "someone has asked to claim it"),
    (Review, "patients have reviewed it"),
    (ListingChange, "its owner has edited it"),
    (ChecklistAnswer, "checklist evidence was given for it"),
    (StaffMember, "staff were added to it"),
    (Document, "documents were uploaded for it"),
    (ModerationLog, "a moderator or owner acted on it"),
    (ClinicCorrection, "someone suggested a correction to it"),
)


class AlreadyUndone(ValueError):
    """The import was undone before."""


@dataclass
class UndoResult:
    """Which listings went, and which stayed with the reasons."""

    removed: list[str] = field(default_factory=list)
    kept: list[tuple[str, list[str]]] = field(default_factory=list)

    def text(self) -> str:
        """The undo's report as people read it."""
        lines = [f"removed {len(self.removed)} listing{'' if len(self.removed) == 1 else 's'}, "
                 f"kept {len(self.kept)}"]
        lines += [f"kept {slug}: {'; '.join(reasons)}" for slug, reasons in self.kept]
        lines += [f"removed {slug}" for slug in self.removed]
        return "\n".join(lines)


def _touched(session: Session, clinic_ids: list[int]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for model, why in TOUCHES:
        for clinic_id in session.scalars(select(model.clinic_id).where(model.clinic_id.in_(clinic_ids)).distinct()):
            reasons.setdefault(clinic_id, []).append(why)
    edited = select(Clinic.id).where(Clinic.id.in_(clinic_ids), Clinic.last_edited_at.is_not(None))
    for clinic_id in session.scalars(edited):
        reasons.setdefault(clinic_id, []).append("its owner has edited it")
    return reasons


def undo_import(session: Session, run: ImportRun, actor: User | None, now: datetime | None = None) -> UndoResult:
    """Remove the run's untouched listings (with their provenance and outside ratings); record the undo."""
    if run.undone_at is not None:
        raise AlreadyUndone(f"This import was already undone on {run.undone_at:%Y-%m-%d %H:%M} UTC.")
    now = now or utcnow()
    created = session.execute(
        select(Clinic.id, Clinic.slug).join(ListingSource, ListingSource.clinic_id == Clinic.id)
        .where(ListingSource.created_by_run_id == run.id).order_by(Clinic.id)).all()
    result = UndoResult()
    ids = [clinic_id for clinic_id, _ in created]
    touched: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        touched.update(_touched(session, ids[start:start + 500]))
    removable = [clinic_id for clinic_id in ids if clinic_id not in touched]
    for clinic_id, slug in created:
        if clinic_id in touched:
            result.kept.append((slug, list(dict.fromkeys(touched[clinic_id]))))
        else:
            result.removed.append(slug)
    for start in range(0, len(removable), 500):
        part = removable[start:start + 500]
        session.execute(delete(OutsideRating).where(OutsideRating.clinic_id.in_(part)))
        session.execute(delete(ListingSource).where(ListingSource.clinic_id.in_(part)))
        session.execute(delete(Clinic).where(Clinic.id.in_(part)))
    run.undone_at, run.undone_by, run.undo_report = now, actor, result.text()
    log.record(actor, "import_undone", run.id, target_type=IMPORT_RUN,
               note=f"{run.source}: {result.text().splitlines()[0]}")
    session.flush()
    return result


def count_created(session: Session, run_id: int) -> int:
    """Return how many listings of a run still exist."""
    return session.scalar(select(func.count()).select_from(ListingSource)
                          .where(ListingSource.created_by_run_id == run_id)) or 0
