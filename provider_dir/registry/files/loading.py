"""Load a registry file into fresh rows, then make it the current load in one transaction and drop the old rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.models.base import utcnow
from provider_dir.models.collector import collector_paused
from provider_dir.models.rewrites import bulk_page_cache
from provider_dir.registry.files.leie import read_leie
from provider_dir.registry.files.nppes import read_nppes
from provider_dir.registry.files.opening import BadFile, date_in_name
from provider_dir.registry.models import CURRENT, FAILED, LOADING, REPLACED, LeieRecord, NppesRecord, RegistryLoad

log = logging.getLogger(__name__)
BATCH = 5_000
# Rows between commits: few commits (each an fsync on SQLite), yet a bounded write-ahead log.
COMMIT_EVERY = 100_000
NPPES, LEIE = "nppes", "leie"
TABLES = {NPPES: NppesRecord, LEIE: LeieRecord}


@dataclass(slots=True)
class LoadSummary:
    """What a load did."""

    load_id: int
    source: str
    file_date: date | None
    rows_read: int
    rows_kept: int
    replaced: int


def staff_npis(session: Session) -> set[str]:
    """Return every NPI that a staff member on the site lists."""
    return set(session.scalars(select(Credential.identifier).where(Credential.kind == CredentialKind.NPI)))


def _batches(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while batch := list(islice(rows, size)):
        yield batch


def _load(session: Session, source: str, path: Path, rows: Iterator[dict], counts: dict,
          date_of: Callable[[list[dict]], date | None]) -> LoadSummary:
    with bulk_page_cache(session), collector_paused():
        return _write_load(session, source, path, rows, counts, date_of)


def _write_load(session: Session, source: str, path: Path, rows: Iterator[dict], counts: dict,
                date_of: Callable[[list[dict]], date | None]) -> LoadSummary:
    table = TABLES[source].__table__
    # The first rows are read before anything is written: a file refused at its header leaves no trace.
    batches = _batches(rows, BATCH)
    first = next(batches, [])
    load = RegistryLoad(source=source, file_name=path.name[:200], state=LOADING)
    session.add(load)
    session.commit()
    load_id = load.id
    kept = 0
    latest: date | None = None
    try:
        pending = [first] if first else []
        for batch in _chain(pending, batches):
            for row in batch:
                row["load_id"] = load_id
            session.execute(insert(table), batch)
            kept += len(batch)
            if kept % COMMIT_EVERY < len(batch):
                session.commit()
            batch_date = date_of(batch)
            if batch_date and (latest is None or batch_date > latest):
                latest = batch_date
        if not counts.get("read"):
            raise BadFile(f"{path.name} has a header but no rows.")
        session.commit()
    except BaseException:
        session.rollback()
        session.execute(delete(table).where(table.c.load_id == load_id))
        session.execute(update(RegistryLoad).where(RegistryLoad.id == load_id)
                        .values(state=FAILED, finished_at=utcnow()))
        session.commit()
        raise
    file_date = date_in_name(path.name) or latest
    # The swap: one transaction turns the old load into "replaced" and the new one into "current".
    old_ids = list(session.scalars(
        select(RegistryLoad.id).where(RegistryLoad.source == source, RegistryLoad.state == CURRENT)
    ))
    session.execute(update(RegistryLoad).where(RegistryLoad.id.in_(old_ids)).values(state=REPLACED))
    session.execute(update(RegistryLoad).where(RegistryLoad.id == load_id).values(
        state=CURRENT, file_date=file_date, rows_read=counts.get("read", 0), rows_kept=kept, finished_at=utcnow()))
    session.commit()
    if old_ids:
        session.execute(delete(table).where(table.c.load_id.in_(old_ids)))
        session.commit()
    _gather_statistics(session, table.name)
    log.info("loaded %s file %s: %d rows read, %d kept", source, path.name, counts.get("read", 0), kept)
    return LoadSummary(load_id, source, file_date, counts.get("read", 0), kept, len(old_ids))


def _gather_statistics(session: Session, table_name: str) -> None:
    # The checks usually follow a load at once, before autovacuum has looked at the new rows: without statistics
    # PostgreSQL plans each chunk's read by NPI for the nearly empty table it last saw (the likely cause of the
    # check of every staff member running more than 19 minutes at 300,000 clinics against 99 s at 100,000).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {table_name}"))
        session.commit()


def _chain(first: list[list[dict]], rest: Iterator[list[dict]]) -> Iterator[list[dict]]:
    yield from first
    yield from rest


def _latest(field: str) -> Callable[[list[dict]], date | None]:
    def latest(batch: list[dict]) -> date | None:
        days = [row[field] for row in batch if row[field] is not None]
        return max(days) if days else None

    return latest


def load_nppes(session: Session, path: Path, progress: Callable[[int], None] | None = None) -> LoadSummary:
    """Load an NPPES NPI data file, keeping the rows the site needs; raise BadFile and keep the old data if bad."""
    counts: dict = {}
    rows = read_nppes(Path(path), staff_npis(session), progress, counts)
    return _load(session, NPPES, Path(path), rows, counts, _latest("last_update"))


def load_leie(session: Session, path: Path, progress: Callable[[int], None] | None = None) -> LoadSummary:
    """Load the OIG LEIE exclusions file; raise BadFile and keep the old data if bad."""
    counts: dict = {}
    rows = read_leie(Path(path), progress, counts)
    return _load(session, LEIE, Path(path), rows, counts, _latest("excluded_on"))


def current_load(session: Session, source: str) -> RegistryLoad | None:
    """Return the current load of a source, or None when no file was loaded."""
    return session.scalar(select(RegistryLoad).where(RegistryLoad.source == source, RegistryLoad.state == CURRENT))
