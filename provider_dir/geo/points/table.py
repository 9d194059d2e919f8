"""Published clinics' search columns as arrays: a circle's matches, their counts and their nearest page, worked out
with numpy as the database's statements work them out (provider_dir.geo.search_sql), row for row.

The arrays hold what `ix_clinic_geo_search` holds, in its order, so a circle's cell ranges are slices found by
binary search, and a match is what the statements' WHERE keeps: the same squared chord, computed in the same
order with the same doubles, against the same bound; NULL where the database has NULL never matches. The counts
are taken over the first matches in the order the database scans them (range by range, each in the index's order),
so even a count that stops at the cap adds up the same clinics.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np

from provider_dir.geo.filters.bits import TALLY_COLUMNS
from provider_dir.listings.vocab import Closure

# What each row holds, in the index's order (geo/models.py): the position, the filters' columns, the tallies, the id.
COLUMNS = (
    "geo_cell", "geo_x", "geo_y", "geo_z", "closure", "reopens_on", "conditions_mask", "routes_mask",
    "price_per_infusion_usd", "score_total", "rating_bayes", "has_verified_credentials", "accepting_new_patients",
    "search_facets", *TALLY_COLUMNS, "id",
)  # fmt: skip
# The filters the arrays can apply (search_sql._filter's names); a search with any other goes to the database.
FILTERS = frozenset({"condition", "route", "max_price", "min_score", "min_rating", "verified", "accepting",
                     "open_on", "not_closed_for_good", "facets"})  # fmt: skip
# A closure as the driver gives it (its stored text) or as SQLAlchemy does; NULL (never stored): 3.
_CLOSURES = {**{c.value: i for i, c in enumerate(Closure)}, **{c: i for i, c in enumerate(Closure)}}
if [_CLOSURES[c] for c in (Closure.OPEN, Closure.TEMPORARY, Closure.PERMANENT)] != [0, 1, 2]:
    raise RuntimeError("PointsTable's closure codes assume Closure's order: open, temporarily, permanently closed")
_NEVER = np.iinfo(np.int64).max  # a reopening date that never comes: NULL


class PointRow(NamedTuple):
    """A clinic of a page: its id and squared chord (km^2) from the origin, as the statements' pages give them."""

    id: int
    d2: float


class Circle(NamedTuple):
    """A search's circle: its cell ranges' first and last cells (distance.covering_cells), the origin's x, y, z and
    the squared chord."""

    first: np.ndarray
    last: np.ndarray
    origin: tuple[float, float, float]
    c2: float

    @classmethod
    def of(cls, ranges: Sequence[tuple[int, int]], origin: tuple[float, float, float], c2: float) -> Circle:
        """Return the circle of these cell ranges."""
        bounds = np.array(ranges, dtype=np.int64).reshape(-1, 2)
        return cls(bounds[:, 0].copy(), bounds[:, 1].copy(), origin, c2)


class PointsTable:
    """The search columns of every published clinic with a position, one array per column, in the index's order."""

    def __init__(self, rows: Sequence[Sequence]) -> None:
        """Take rows of COLUMNS' values as the driver gives them (a date as a date or its ISO text, a boolean as one
        or as 0 and 1), sorted as the index sorts them (points/held.py)."""
        values = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
        column = dict(zip(COLUMNS, values, strict=True))
        self.cell = np.array(column["geo_cell"], dtype=np.int64)
        self.x, self.y, self.z = (_floats(column[name]) for name in ("geo_x", "geo_y", "geo_z"))
        self.closure = np.array([_CLOSURES.get(c, 3) for c in column["closure"]], dtype=np.int8)
        self.reopens = np.array([_day(d) for d in column["reopens_on"]], dtype=np.int64)
        self.conditions, self.routes, self.facets = (
            _ints(column[name]) for name in ("conditions_mask", "routes_mask", "search_facets"))
        self.price, self.score, self.rating = (
            _floats(column[name]) for name in ("price_per_infusion_usd", "score_total", "rating_bayes"))
        self.verified, self.accepting = (  # 1, 0, or -1 for NULL, which equals neither
            np.array([-1 if v is None else int(v) for v in column[name]], dtype=np.int8)
            for name in ("has_verified_credentials", "accepting_new_patients"))
        self.tallies = [_ints(column[name]) for name in TALLY_COLUMNS]
        self.id = np.array(column["id"], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.id)

    @property
    def nbytes(self) -> int:
        """Return the bytes the arrays take."""
        arrays = [self.cell, self.x, self.y, self.z, self.closure, self.reopens, self.conditions, self.routes,
                  self.facets, self.price, self.score, self.rating, self.verified, self.accepting, self.id]
        return sum(a.nbytes for a in [*arrays, *self.tallies])

    def matches(self, circle: Circle, filters: Sequence[str], params: Mapping[str, object]):
        """Return (the rows' positions, their squared chords) of the clinics in the circle that pass the filters,
        in the order the database scans them."""
        starts = np.searchsorted(self.cell, circle.first, "left")
        lengths = np.searchsorted(self.cell, circle.last, "right") - starts
        lengths[lengths < 0] = 0  # a range whose first cell comes after its last (search_sql.padded's (1, 0))
        # The ranges' positions one after the other: each range's first position, repeated along it, plus a count.
        total = int(lengths.sum())
        before = np.cumsum(lengths) - lengths
        at = np.repeat(starts - before, lengths) + np.arange(total)
        x0, y0, z0 = circle.origin
        # As the statements write it, ((x - x0)(x - x0) + (y - y0)(y - y0)) + (z - z0)(z - z0): the same doubles.
        dx, dy, dz = self.x[at] - x0, self.y[at] - y0, self.z[at] - z0
        d2 = dx * dx + dy * dy + dz * dz
        keep = d2 <= circle.c2
        for name in filters:
            keep &= self._passes(name, at, params)
        return at[keep], d2[keep]

    def _passes(self, name: str, at: np.ndarray, params: Mapping[str, object]) -> np.ndarray:
        """Return which of the rows at these positions pass one filter (search_sql._filter's)."""
        if name == "open_on":
            closure = self.closure[at]
            on: date = params["open_on"]  # type: ignore[assignment]
            return (closure == 0) | ((closure == 1) & (self.reopens[at] <= on.toordinal()))
        if name == "not_closed_for_good":
            return self.closure[at] < 2
        if name == "facets":
            mask = int(params["facet_mask"])  # type: ignore[arg-type]
            return self.facets[at] & mask == mask
        if name == "condition":
            return self.conditions[at] & int(params["condition_bit"]) != 0  # type: ignore[arg-type]
        if name == "route":
            return self.routes[at] & int(params["route_bit"]) != 0  # type: ignore[arg-type]
        if name == "max_price":
            return self.price[at] <= float(params["max_price"])  # type: ignore[arg-type]
        if name == "min_score":
            return self.score[at] >= float(params["min_score"])  # type: ignore[arg-type]
        if name == "min_rating":
            return self.rating[at] >= float(params["min_rating"])  # type: ignore[arg-type]
        if name == "verified":
            return self.verified[at] == int(bool(params["verified"]))
        if name == "accepting":
            return self.accepting[at] == int(bool(params["accepting"]))
        raise ValueError(f"The points table cannot apply the filter {name!r}.")

    def counts(self, found: np.ndarray, limit: int, sums: Sequence[tuple[int | None, int]]) -> tuple[int, ...]:
        """Return (the matches up to limit, then each sum) as search_sql.facet_sums's row: each (base mask, tally
        column) adds up that tally over the first `limit` matches with every bit of the base, or over all of them."""
        counted = found[:limit]
        totals = [len(counted)]
        facets = self.facets[counted] if any(base for base, _tally in sums) else None
        for base, tally in sums:
            values = self.tallies[tally][counted]
            if base:
                values = values[facets & base == base]
            totals.append(int(values.sum()))
        return tuple(totals)

    def page(self, found: np.ndarray, d2: np.ndarray, offset: int, limit: int) -> list[PointRow]:
        """Return the matches from offset, at most limit of them, nearest first (ties by id), as the statements'
        `ORDER BY d2, id LIMIT limit OFFSET offset`."""
        deepest = offset + limit
        if deepest <= 0 or len(found) == 0:
            return []
        if len(found) > deepest:
            # The deepest rows by distance, with every row tied with the last of them, then sorted by (d2, id).
            bound = np.partition(d2, deepest - 1)[deepest - 1]
            near = d2 <= bound
            found, d2 = found[near], d2[near]
        ids = self.id[found]
        order = np.lexsort((ids, d2))[offset:deepest]
        return [PointRow(*row) for row in zip(ids[order].tolist(), d2[order].tolist(), strict=True)]


def _day(value: date | str | None) -> int:
    if value is None:
        return _NEVER
    return (value if isinstance(value, date) else date.fromisoformat(value)).toordinal()


def _floats(values: Sequence) -> np.ndarray:
    return np.array(values, dtype=np.float64)  # None becomes NaN, which no comparison passes


def _ints(values: Sequence) -> np.ndarray:
    try:
        return np.array(values, dtype=np.int64)
    except TypeError:  # NULLs among them
        return np.array([0 if v is None else v for v in values], dtype=np.int64)
