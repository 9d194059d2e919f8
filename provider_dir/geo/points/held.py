"""The points table a process holds for each database, built from the data of one content version. No Flask.

A search may use the table only when it was built from the data its own transaction sees: the same content
version (raised in the same transaction as every write to a public table, pagecache/versioning.py), nothing written
by this transaction yet, and not older than SEARCH_POINTS_SECONDS (writes by other programs straight to the database
raise no version). Otherwise the table is built again, from this transaction, unless the last build is younger than
SEARCH_POINTS_REBUILD_SECONDS: while the data keeps changing (an import), searches go to the database meanwhile
rather than every one of them rebuilding. Anything that cannot use the table goes to the database's statements,
which give the same answers.

On PostgreSQL (read committed) the rows read may be newer than the version read with the transaction's BEGIN, never
older; the next version builds the table again.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from provider_dir.geo.models import SEARCH_INDEX
from provider_dir.geo.points.table import COLUMNS, PointsTable
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.reads import flushed_connection
from provider_dir.pagecache.versioning import PENDING, read_version

log = logging.getLogger(__name__)
_TABLE = Clinic.__table__
# Every published clinic with a position, in ix_clinic_geo_search's order (geo/models.py): by its leading columns,
# which SQLite reads from the index with no sort (clinics at the very same point then come in the index's order).
_LOAD = (
    select(*(_TABLE.c[name] for name in COLUMNS))
    .where(_TABLE.c.status == ClinicStatus.PUBLISHED, _TABLE.c.geo_cell.is_not(None))
    .order_by(*list(SEARCH_INDEX.columns)[:4])
)


def _version_read(session: Session) -> int | None:
    return read_version(session.connection())


@dataclass(frozen=True)
class PointsSettings:
    """Whether searches use a held table, how long one is used, and the least time between two builds."""

    enabled: bool = True
    max_age: float = 300.0
    rebuild_after: float = 10.0
    version: Callable[[Session], int | None] = _version_read  # the app reads it once per request


@dataclass(frozen=True)
class _Held:
    table: PointsTable
    version: int
    built_at: float


_UNSET = PointsSettings(enabled=False)  # a script's own engine: its searches read the database as they always did
_SETTINGS: weakref.WeakKeyDictionary[Engine, PointsSettings] = weakref.WeakKeyDictionary()
# By the session's bind: the engine, or a connection of its own (the tests' joined transactions).
_HELD: weakref.WeakKeyDictionary[object, _Held] = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()  # gthread workers: one build at a time, the others use the database meanwhile


def hold_points(engine: Engine, settings: PointsSettings) -> None:
    """Set how searches on this engine use the points table (the app does, from its SEARCH_POINTS_* settings)."""
    _SETTINGS[engine] = settings
    _HELD.pop(engine, None)


def points_settings(engine: Engine) -> PointsSettings:
    """Return how searches on this engine use the points table: not at all unless an app said (hold_points)."""
    return _SETTINGS.get(engine) or _UNSET


def load_points(session: Session) -> PointsTable:
    """Read every published clinic's search columns into a new table, in this session's transaction."""
    connection = flushed_connection(session)
    # The driver's values as they come: SQLAlchemy's conversions of 100,000 rows took longer than the reading.
    return PointsTable(connection.exec_driver_sql(_load_sql(connection.dialect)).fetchall())


@lru_cache(maxsize=4)
def _load_sql(dialect) -> str:
    return str(_LOAD.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def points_for(session: Session) -> PointsTable | None:
    """Return the table a search in this session may use, building it when due; None to use the database."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    settings = points_settings(engine)
    if not settings.enabled:
        return None
    if flushed_connection(session).info.get(PENDING):
        return None  # this transaction wrote public rows: only the database sees them
    version = settings.version(session)
    if version is None:
        return None
    now = time.monotonic()
    held = _HELD.get(bind)
    if held is not None and now - held.built_at < settings.rebuild_after and held.version != version:
        return None
    if held is not None and held.version == version and now - held.built_at <= settings.max_age:
        return held.table
    if not _BUILDING.acquire(blocking=False):
        return None
    try:
        table = load_points(session)
        _HELD[bind] = _Held(table, version, now)
    finally:
        _BUILDING.release()
    log.info("search points of content version %s: %d clinics, %.1f MB, read in %.2f s", version, len(table),
             table.nbytes / 2**20, time.monotonic() - now)
    return table
