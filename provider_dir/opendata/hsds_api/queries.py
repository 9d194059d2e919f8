"""The clinics behind each HSDS list: filters combined with AND, a page by indexed offset, or every match in turn.

Nothing here imports Flask. Rows are plain columns (hsds.export's CLINIC_COLUMNS), which hsds.mapping reads
like clinics.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from provider_dir.credentials.models import StaffMember
from provider_dir.geo.distance import distance_km
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.models.base import to_mask
from provider_dir.opendata.hsds import mapping
from provider_dir.opendata.hsds.export import CLINIC_COLUMNS, STAFF_COLUMNS
from provider_dir.opendata.hsds_api.lookup import clinic_ids
from provider_dir.opendata.hsds_api.params import ListQuery
from provider_dir.pagecache.versioning import read_version

BATCH = 500
STRIDE = 50  # an anchor every 50 places: a page never skips more than 49 index entries
KEPT = 64  # (filters, data) combinations kept per process
_kept_values: OrderedDict = OrderedDict()
_lock = threading.Lock()
# taxonomy id -> (kind, mask column); term id -> (mask column, bit)
MASKS = {"route": Clinic.routes_mask, "condition": Clinic.conditions_mask}
TAXONOMY_MASKS = {mapping.taxonomy_id(kind): MASKS[kind] for kind in mapping.TAXONOMIES}
TERM_BITS = {mapping.taxonomy_term_id(kind, member.value): (MASKS[kind], to_mask([member], vocabulary))
             for kind, (_, _, vocabulary) in mapping.TAXONOMIES.items() for member in vocabulary}


@dataclass(frozen=True)
class Point:
    """Where distances are measured from (a postcode's centre) and how far to look."""

    latitude: float
    longitude: float
    metres: float


@dataclass
class Found:
    """One page of clinic rows and how many match in all."""

    rows: list
    total: int


def _has_bit(column, bit: int) -> ColumnElement[bool]:
    return column.op("&")(bit) != 0


def conditions(session: Session, query: ListQuery) -> list[ColumnElement[bool]]:
    """Return the SQL conditions of a list query over published clinics (all must hold)."""
    where = [Clinic.status == ClinicStatus.PUBLISHED]
    if query.search:
        term = query.search.lower()
        where.append(func.lower(Clinic.name).contains(term, autoescape=True)
                     | func.lower(Clinic.city).contains(term, autoescape=True))
    if query.taxonomy_term_id is not None:
        column_bit = TERM_BITS.get(query.taxonomy_term_id)
        where.append(_has_bit(*column_bit) if column_bit else false())
    if query.taxonomy_id is not None:
        column = TAXONOMY_MASKS.get(query.taxonomy_id)
        where.append(column != 0 if column is not None else false())
    if query.organization_id is not None:
        clinic_id = clinic_ids.clinic_id(session, "clinic", query.organization_id)
        where.append(Clinic.id == clinic_id if clinic_id is not None else false())
    if query.modified_after is not None:
        where.append(Clinic.updated_at >= query.modified_after)
    if query.postcode is not None and query.proximity_m is None:
        where.append(Clinic.zip_code == query.postcode)
    return where


def _box(point: Point) -> list[ColumnElement[bool]]:
    """Return a latitude/longitude box holding every point within the distance (served by ix_clinic_lat_lon)."""
    km = point.metres / 1000 * 1.01 + 1
    dlat = km / 110.5
    dlon = min(180.0, km / (111.3 * max(0.01, math.cos(math.radians(min(89.0, abs(point.latitude) + dlat))))))
    return [Clinic.latitude.between(point.latitude - dlat, point.latitude + dlat),
            Clinic.longitude.between(point.longitude - dlon, point.longitude + dlon)]


def _near_ids(session: Session, where: list, point: Point) -> list[int]:
    """Return the ids of the matching clinics within the distance, nearest first."""
    here = (point.latitude, point.longitude)
    found = []
    for clinic_id, lat, lon in session.execute(select(Clinic.id, Clinic.latitude, Clinic.longitude)
                                               .where(*where, *_box(point))):
        distance = distance_km(here, (lat, lon)) * 1000
        if distance <= point.metres:
            found.append((distance, clinic_id))
    return [clinic_id for _, clinic_id in sorted(found)]


def _rows_by_id(session: Session, ids: list[int]) -> list:
    rows = {row.id: row for row in session.execute(select(*CLINIC_COLUMNS).where(Clinic.id.in_(ids)))} if ids else {}
    return [rows[i] for i in ids if i in rows]


def _ranked_ids(session: Session, where: list) -> tuple[int, array]:
    """Return how many clinics match and the id at every STRIDE-th place of their list in id order."""
    numbered = select(Clinic.id, func.row_number().over(order_by=Clinic.id).label("place")).where(*where).subquery()
    anchors = array("q", session.scalars(select(numbered.c.id).where((numbered.c.place - 1) % STRIDE == 0)
                                         .order_by(numbered.c.id)))
    total = session.scalar(select(func.count()).select_from(Clinic).where(*where))
    return total, anchors


def page(session: Session, query: ListQuery, point: Point | None = None) -> Found:
    """Return the page of matching clinic rows (by id, or nearest first around a point) and the total.

    A page by id starts from the nearest anchor (the id at every STRIDE-th place, kept per process until the data
    changes), so page 1,900 costs what page 1 does; the anchors themselves take one pass over the index.
    """
    where = conditions(session, query)
    offset = (query.page - 1) * query.per_page
    if point is not None:
        ids = _kept(session, ("near", query.filters(), point), lambda: array("q", _near_ids(session, where, point)))
        return Found(_rows_by_id(session, list(ids[offset:offset + query.per_page])), len(ids))
    total, anchors = _kept(session, ("ids", query.filters()), lambda: _ranked_ids(session, where))
    if offset >= total:
        return Found([], total)
    anchor = anchors[offset // STRIDE]
    rows = session.execute(select(*CLINIC_COLUMNS).where(*where, Clinic.id >= anchor).order_by(Clinic.id)
                           .limit(query.per_page).offset(offset % STRIDE)).all()
    return Found(rows, total)


def forget_kept() -> None:
    """Drop every kept page anchor and distance list of this process."""
    with _lock:
        _kept_values.clear()


def _kept(session: Session, key: tuple, compute):
    """Return what compute() gives for key, kept while the content version and the newest clinic stay the same."""
    connection = session.connection()
    full_key = (read_version(connection), session.scalar(select(func.max(Clinic.id))), connection.engine.url, *key)
    with _lock:
        if full_key in _kept_values:
            _kept_values.move_to_end(full_key)
            return _kept_values[full_key]
    value = compute()
    with _lock:
        _kept_values[full_key] = value
        while len(_kept_values) > KEPT:
            _kept_values.popitem(last=False)
    return value


def every(session: Session, query: ListQuery, point: Point | None = None) -> Iterator:
    """Yield every matching clinic row, a batch at a time (for format=ndjson)."""
    where = conditions(session, query)
    if point is not None:
        ids = _near_ids(session, where, point)
        for start in range(0, len(ids), BATCH):
            yield from _rows_by_id(session, ids[start:start + BATCH])
        return
    last = 0
    while True:
        rows = session.execute(select(*CLINIC_COLUMNS).where(*where, Clinic.id > last)
                               .order_by(Clinic.id).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1].id


def published_clinic(session: Session, kind: str, public_id: str):
    """Return the published clinic row whose `kind` UUID is public_id, or None."""
    clinic_id = clinic_ids.clinic_id(session, kind, public_id)
    if clinic_id is None:
        return None
    return session.execute(select(*CLINIC_COLUMNS).where(Clinic.id == clinic_id,
                                                         Clinic.status == ClinicStatus.PUBLISHED)).first()


def staff_of(session: Session, clinic_id: int) -> list:
    """Return the clinic's listed staff, in the clinic's order."""
    return session.execute(select(*STAFF_COLUMNS).where(StaffMember.clinic_id == clinic_id)
                           .order_by(StaffMember.sort_order, StaffMember.id)).all()
