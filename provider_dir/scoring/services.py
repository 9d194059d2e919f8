"""Score services: a clinic's score as of today, stored snapshots, and recomputing many clinics fast."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from provider_dir.listings.models import Clinic
from provider_dir.models.collector import collector_paused
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.models.rewrites import bulk_page_cache
from provider_dir.scoring.checklist.loading import ClinicEvidence, ClinicSet, load_evidence
from provider_dir.scoring.evidence.rules import PatientTally, StaffEvidence
from provider_dir.scoring.models import ScoreSnapshot
from provider_dir.scoring.score import ScoreResult, score_clinic

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
NO_EVIDENCE = ClinicEvidence()


def today() -> date:
    """Return the day scores are computed for; expiry dates are compared with it, with no job to run."""
    return date.today()


def score_of(evidence: ClinicEvidence | None, on: date) -> ScoreResult:
    """Score one clinic's loaded evidence as of a day."""
    evidence = evidence or NO_EVIDENCE
    return score_clinic(evidence.answers, evidence.staff, evidence.patients, on)


def clinic_score(session: Session, clinic_id: int, on: date | None = None, staff: list[StaffEvidence] | None = None,
                 patients: dict[str, PatientTally] | None = None) -> ScoreResult:
    """Return a clinic's score computed now from its current evidence, with who verified what and when.

    `staff` and `patients` are its staff evidence and patients' tallies when the caller read them already
    (checklist.loading.staff_evidence and tallies_from_counts).
    """
    evidence = load_evidence(session, ClinicSet(ids=[clinic_id]), detail=True,
                             staff=None if staff is None else {clinic_id: staff},
                             patients=None if patients is None else {clinic_id: patients})
    return score_of(evidence.get(clinic_id), on or today())


@cache
def _score_history():  # built once: every clinic page shows the history
    return (
        select(ScoreSnapshot)
        .where(ScoreSnapshot.clinic_id == bindparam("clinic_id"))
        .order_by(ScoreSnapshot.id.desc())
        .limit(bindparam("limit"))
    )


@cache
def _score_history_rows():  # the clinic page's table: four columns, no objects
    S = ScoreSnapshot  # noqa: N806
    return (
        select(S.computed_on, S.total, S.safety_ok, S.version)
        .where(S.clinic_id == bindparam("clinic_id"))
        .order_by(S.id.desc())
        .limit(bindparam("limit"))
    )


def score_history_rows(session: Session, clinic_id: int, limit: int = 10) -> list:
    """Return a clinic's stored snapshots, newest first, as rows of computed_on, total, safety_ok and version."""
    return driver_rows(session, *score_history_read(clinic_id, limit))


def score_history_read(clinic_id: int, limit: int = 10) -> Read:
    """Return score_history_rows' read (for models.prefetch)."""
    return Read(_score_history_rows(), {"clinic_id": clinic_id, "limit": limit})


def score_history(session: Session, clinic_id: int, limit: int = 10) -> list[ScoreSnapshot]:
    """Return a clinic's stored snapshots, newest first."""
    return list(session.scalars(_score_history(), {"clinic_id": clinic_id, "limit": limit}))


@dataclass
class RecomputeStats:
    """What a recompute did."""

    clinics: int = 0
    totals_changed: int = 0
    snapshots_written: int = 0
    seconds: float = 0.0


def _latest_snapshots(session: Session, clinics: ClinicSet) -> dict[int, tuple]:
    latest_ids = (
        select(func.max(ScoreSnapshot.id)).where(clinics.where(ScoreSnapshot.clinic_id)).group_by(ScoreSnapshot.clinic_id)
    )
    S = ScoreSnapshot  # noqa: N806
    rows = session.connection().execute(
        select(S.id, S.clinic_id, S.version, S.total, S.uncapped_total, S.safety_ok, S.items, S.changes_on).where(
            S.id.in_(latest_ids)
        )
    ).all()
    return {row.clinic_id: row for row in rows}


_clinic = Clinic.__table__
# A new score is not an edit of the listing: updated_at is not named, so it stays (it has no onupdate).
_UPDATE_TOTAL = (
    update(_clinic)
    .where(_clinic.c.id == bindparam("b_id"))
    .values(score_total=bindparam("b_total"))
)
_snapshot = ScoreSnapshot.__table__
_UPDATE_CHANGES_ON = (
    update(_snapshot).where(_snapshot.c.id == bindparam("b_id")).values(changes_on=bindparam("b_changes_on"))
)


def _recompute_set(session: Session, clinics: ClinicSet, on: date, stats: RecomputeStats) -> None:
    evidence = load_evidence(session, clinics)  # flushes the session first
    connection = session.connection()
    clinic = _clinic.c
    current = dict(connection.execute(select(clinic.id, clinic.score_total).where(clinics.where(clinic.id))).all())
    if not current:
        return
    latest = _latest_snapshots(session, clinics)
    totals, snapshots, moved = [], [], []
    for clinic_id, stored_total in current.items():
        result = score_of(evidence.get(clinic_id), on)
        if stored_total is None or stored_total != result.total:
            totals.append({"b_id": clinic_id, "b_total": result.total})
        digest = result.digest()
        prev = latest.get(clinic_id)
        same = prev is not None and (prev.version, prev.total, prev.uncapped_total, prev.safety_ok, prev.items) == (
            result.version, result.total, result.uncapped_total, result.safety.ok, digest
        )
        if not same:
            snapshots.append(
                {
                    "clinic_id": clinic_id,
                    "version": result.version,
                    "total": result.total,
                    "uncapped_total": result.uncapped_total,
                    "safety_ok": result.safety.ok,
                    "items": digest,
                    "computed_on": on,
                    "changes_on": result.changes_on,
                }
            )
        elif prev.changes_on != result.changes_on:
            moved.append({"b_id": prev.id, "b_changes_on": result.changes_on})
    if totals:
        _write_totals(connection, totals)
        _refresh_loaded_clinics(session, totals)
    if snapshots:
        _write_snapshots(connection, snapshots)
    if moved:
        connection.execute(_UPDATE_CHANGES_ON, moved)
    stats.clinics += len(current)
    stats.totals_changed += len(totals)
    stats.snapshots_written += len(snapshots)


# PostgreSQL takes a whole batch in one statement; row-by-row statements were most of its recompute time.
_PG_UPDATE_TOTALS = text(
    "UPDATE clinic SET score_total = v.total"
    " FROM unnest(CAST(:ids AS integer[]), CAST(:totals AS integer[])) AS v(id, total) WHERE clinic.id = v.id"
)
# One JSON document per batch: PostgreSQL's json_to_recordset reads it far faster than psycopg sends text arrays.
_PG_INSERT_SNAPSHOTS = text(
    "INSERT INTO score_snapshot (clinic_id, version, total, uncapped_total, safety_ok, items, computed_on,"
    " changes_on, created_at)"
    " SELECT clinic_id, version, total, uncapped_total, safety_ok, items, computed_on, changes_on,"
    " now() AT TIME ZONE 'UTC'"
    " FROM json_to_recordset(CAST(:rows AS json)) AS s(clinic_id integer, version varchar, total integer,"
    " uncapped_total integer, safety_ok boolean, items varchar, computed_on date, changes_on date)"
)


def _write_totals(connection, totals: list[dict]) -> None:
    """Store new totals in the denormalised column search sorts on (a score is not an edit of the listing)."""
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_UPDATE_TOTALS, {"ids": [t["b_id"] for t in totals],
                                               "totals": [t["b_total"] for t in totals]})
    else:
        connection.execute(_UPDATE_TOTAL, totals)


def _write_snapshots(connection, snapshots: list[dict]) -> None:
    """Append snapshot rows."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(_snapshot), snapshots)
        return
    connection.execute(_PG_INSERT_SNAPSHOTS, {"rows": json.dumps(snapshots, default=date.isoformat)})


def _refresh_loaded_clinics(session: Session, totals: list[dict]) -> None:
    """Give Clinic objects already in the session their new total without reloading them."""
    for row in totals:
        clinic = session.identity_map.get(identity_key(Clinic, row["b_id"]))
        if clinic is not None:
            set_committed_value(clinic, "score_total", row["b_total"])


def recompute_clinics(session: Session, clinic_ids: Sequence[int], on: date | None = None) -> RecomputeStats:
    """Recompute and store the scores of some clinics (absent ids are skipped)."""
    on = on or today()
    stats = RecomputeStats()
    started = time.perf_counter()
    ids = sorted(set(clinic_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        _recompute_set(session, ClinicSet(ids=ids[start : start + BATCH_SIZE]), on, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def recompute_all(
    session: Session,
    on: date | None = None,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[int], None] | None = None,
    only: Sequence[int] | None = None,
) -> RecomputeStats:
    """Recompute every clinic's score (or only the given ids) in id batches; after_batch(n) follows each batch."""
    on = on or today()
    stats = RecomputeStats()
    started = time.perf_counter()
    ids = sorted(only) if only is not None else list(session.scalars(select(Clinic.id).order_by(Clinic.id)))
    with bulk_page_cache(session), collector_paused():
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            clinics = ClinicSet(ids=chunk) if only is not None else ClinicSet(low=chunk[0], high=chunk[-1])
            _recompute_set(session, clinics, on, stats)
            if after_batch is not None:
                after_batch(len(chunk))
    stats.seconds = time.perf_counter() - started
    log.info(
        "recomputed %d clinic scores in %.1f s: %d totals changed, %d snapshots written",
        stats.clinics, stats.seconds, stats.totals_changed, stats.snapshots_written,
    )
    return stats


def due_clinic_ids(session: Session, on: date | None = None) -> list[int]:
    """Return clinics never scored, or whose stored score may have changed because a date in their evidence passed."""
    on = on or today()
    S, newer = ScoreSnapshot, aliased(ScoreSnapshot)  # noqa: N806
    latest = select(func.max(newer.id)).where(newer.clinic_id == S.clinic_id).scalar_subquery()
    lapsed = set(session.scalars(select(S.clinic_id).where(S.changes_on <= on, S.id == latest)))
    unscored = set(session.scalars(select(Clinic.id).where(Clinic.score_total.is_(None))))
    return sorted(lapsed | unscored)
