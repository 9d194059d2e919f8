"""Search by name: with a place, the matches within the radius; without one, the matches anywhere, best first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Float, bindparam, select
from sqlalchemy.orm import Session

from provider_dir.geo import search_sql as sql
from provider_dir.geo.distance import chord_km_for, distance_km_for_chord, ecef_km, km_to_miles, miles_to_km
from provider_dir.geo.names.lookup import CANDIDATES, NameMatch, find_names
from provider_dir.geo.search import SearchQuery, SearchResults, _filter_params
from provider_dir.listings.models import Clinic


@dataclass(frozen=True)
class NameHit:
    """A clinic found by name, the clinician whose name matched (if one did) and its distance (with a place)."""

    clinic: Clinic
    distance_miles: float | None = None
    clinician: str | None = None

    @property
    def distance_km(self) -> float | None:
        """The distance in kilometres, if there is a place."""
        return None if self.distance_miles is None else miles_to_km(self.distance_miles)


@dataclass(frozen=True)
class NameResults(SearchResults):
    """One page of clinics found by name; total_is_exact is False when the index's candidates ran out first."""

    text: str = ""
    nationwide: bool = True
    hits: list[NameHit] = field(default_factory=list)


def search_names(session: Session, typed: str, query: SearchQuery, nationwide: bool) -> NameResults:
    """Return a page of published clinics that match the name typed and the query's filters (and its radius
    unless nationwide), best match first, then nearest. A clinic found through several names is shown once.
    """
    x, y, z = ecef_km(query.latitude, query.longitude)
    c2 = chord_km_for(miles_to_km(query.radius_miles)) ** 2
    near = None if nationwide else {"x0": x, "y0": y, "z0": z, "c2": c2}
    matches = find_names(session, typed, near=near)
    # Past the index's candidates there may be more matches than are counted: the total is then "more than".
    exact = len(matches) < CANDIDATES
    best: dict[int, NameMatch] = {}
    for match in matches:
        best.setdefault(match.clinic_id, match)
    if not best:
        return NameResults(query, [], 0, True, typed, nationwide)
    filters, params = _filter_params(query)
    c = Clinic.__table__.c
    d2 = ((c.geo_x - x) * (c.geo_x - x) + (c.geo_y - y) * (c.geo_y - y) + (c.geo_z - z) * (c.geo_z - z)).label("d2")
    stmt = select(c.id, d2).where(c.id.in_(list(best)), *(sql._filter(name) for name in filters))
    if not nationwide:
        stmt = stmt.where(d2.element <= bindparam("c2", type_=Float))
        params["c2"] = c2
    distances = {row.id: row.d2 for row in session.execute(stmt, params)}
    order = sorted(distances, key=lambda cid: (-round(best[cid].score, 3), distances[cid], cid))
    page = order[query.offset : query.offset + query.per_page]
    clinics = {cl.id: cl for cl in session.scalars(select(Clinic).where(Clinic.id.in_(page)))} if page else {}
    hits = [
        NameHit(
            clinics[cid],
            None if nationwide else km_to_miles(distance_km_for_chord(math.sqrt(max(0.0, distances[cid])))),
            best[cid].staff_name,
        )
        for cid in page
        if cid in clinics
    ]
    return NameResults(query, hits, len(order), exact, typed, nationwide)
