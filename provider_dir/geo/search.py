"""Radius search over published clinics: a plain function of a session and a query, no Flask.

How it stays fast at a million clinics (see provider_dir.geo.distance for the geometry):
- the circle is covered by bands of a 0.02-degree grid; one index range scan per band reads each clinic's
  cell, its Earth-centred x/y/z and the filter columns from `ix_clinic_geo_search` without touching the
  table, and the distance test is three subtractions and three multiplications;
- the total is counted exactly up to COUNT_CAP and reported as "more than" beyond it, so a count never has
  to visit the 70,000 clinics that a 25-mile circle around Midtown Manhattan holds in the million-clinic
  benchmark;
- nearest first, circles grow until one holds the page, so a dense city reads a few hundred rows, not the
  whole radius: from START_KM where the total is capped, else from a circle sized by the count;
- by score or rating where the total is capped: the score (rating) index is walked from the top, keeping
  clinics inside the circle, which in a dense place finds a page within a few hundred rows;
- in the app, by distance, all of this is read from the same columns held in memory as arrays (geo/points), when
  they were read from the data this search's transaction sees: the same answers, without the statements' per-row
  work; the statements serve everything else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

from sqlalchemy.orm import Session

from provider_dir.geo import search_sql as sql
from provider_dir.geo.distance import (
    chord_km_for,
    covering_cells,
    distance_km_for_chord,
    ecef_km,
    km_to_miles,
    miles_to_km,
)
from provider_dir.geo.filters import bits
from provider_dir.geo.points.held import points_for
from provider_dir.geo.points.table import FILTERS as TABLE_FILTERS
from provider_dir.geo.points.table import Circle, PointsTable
from provider_dir.geo.summaries import ClinicSummary, carried_summaries, summaries_by_id
from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.base import LabelledEnum, to_mask
from provider_dir.models.reads import driver_rows

MIN_RADIUS_MILES = 1
MAX_RADIUS_MILES = 500
MAX_PER_PAGE = 100
COUNT_CAP = 1000  # totals are exact up to here; "more than 1,000" beyond
if COUNT_CAP + 1 > bits.TALLY_FIELD:  # the counts beside the filters are added up in fields of that size
    raise RuntimeError("COUNT_CAP is too large for the facet tallies' fields (provider_dir.geo.filters.bits)")
START_KM = 2.0  # first circle of the growing nearest-first search
GROWTH = 3.0
# With every match counted, the first circle's radius: this many times the share of the radius that would hold
# the page's last row if the matches were spread evenly; the whole radius from WHOLE_RADIUS_SHARE of it on.
FIRST_CIRCLE_MARGIN = 1.25
WHOLE_RADIUS_SHARE = 0.7
NEAREST_CIRCLES_MILES = 150  # an empty search's nearest match: growing circles up to here, then one pass
WALK_MAX_ROWS = 200  # deepest result (page * per page) fetched by walking the score or rating index


class SortOrder(LabelledEnum):
    """How results are ordered."""

    DISTANCE = ("distance", "Nearest first")
    SCORE = ("score", "Highest quality score")
    RATING = ("rating", "Best rated")


class Unit(LabelledEnum):
    """Units a person can give a radius in."""

    MILES = ("mi", "miles")
    KILOMETRES = ("km", "km")


@dataclass(frozen=True)
class SearchQuery:
    """What a person asks for: an origin, a radius in miles, filters, an order and a page."""

    latitude: float
    longitude: float
    radius_miles: float = 25.0
    condition: Condition | None = None
    route: Route | None = None
    max_price_usd: int | None = None
    min_score: float | None = None
    min_rating: float | None = None
    verified_only: bool = False
    accepting_only: bool = False
    # The patient filters (provider_dir.geo.filters): a language spoken, a way to pay, yes-or-no features.
    language: str | None = None
    payment: str | None = None  # a Payment value
    features: frozenset[str] = frozenset()  # Feature values
    # Temporarily closed clinics leave search unless asked for; permanently closed ones always do.
    include_closed: bool = False
    # The day "open" is judged on (a temporary closure ends on its reopening date); None means today.
    today: date | None = None
    sort: SortOrder = SortOrder.DISTANCE
    page: int = 1
    per_page: int = 20

    def __post_init__(self):
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError("The origin must be a latitude between -90 and 90 and a longitude between -180 and 180.")
        if not (MIN_RADIUS_MILES <= self.radius_miles <= MAX_RADIUS_MILES):
            raise ValueError(f"The radius must be between {MIN_RADIUS_MILES} and {MAX_RADIUS_MILES} miles.")
        if self.page < 1 or not (1 <= self.per_page <= MAX_PER_PAGE):
            raise ValueError(f"The page must be 1 or more, with 1 to {MAX_PER_PAGE} results per page.")

    @property
    def offset(self) -> int:
        """Number of results before this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class SearchHit:
    """A clinic (what a result shows of it) and its distance from the origin."""

    clinic: ClinicSummary
    distance_miles: float

    @property
    def distance_km(self) -> float:
        """The distance in kilometres."""
        return miles_to_km(self.distance_miles)


@dataclass(frozen=True)
class SearchResults:
    """One page of results, the total (exact up to COUNT_CAP) and what pagination needs."""

    query: SearchQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    total_is_exact: bool = True

    @property
    def page(self) -> int:
        """This page's number."""
        return self.query.page

    @property
    def pages(self) -> int:
        """Number of pages that can be shown."""
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether a previous page exists."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether a next page exists."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        """The previous page's number."""
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        """The next page's number."""
        return self.page + 1 if self.has_next else None

    def iter_pages(self, *, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2):
        """Yield page numbers for links, None where a gap is skipped (as Flask-SQLAlchemy's Pagination does)."""
        end = self.pages + 1
        left_end = min(1 + left_edge, end)
        yield from range(1, left_end)
        if left_end == end:
            return
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, end)
        if mid_start > left_end:
            yield None
        yield from range(mid_start, mid_end)
        if mid_end >= end:
            return
        right_start = max(mid_end, end - right_edge)
        if right_start > mid_end:
            yield None
        yield from range(right_start, end)


def search_clinics(session: Session, query: SearchQuery, known_total: tuple[int, bool] | None = None,
                   known_page: list | None = None) -> SearchResults:
    """Return one page of published clinics within the radius that pass the filters, in the asked order.

    Only clinics open on the query's day count, unless include_closed asks for temporarily closed ones too;
    permanently closed clinics never do. known_total is (capped total, exact) when the caller has counted already,
    and known_page the page's rows (d2 and what each result shows, id among it) when it also has them
    (count_among_matches on PostgreSQL, every match counted).
    """
    plan = _Plan(session, query)
    total, exact = known_total or plan.capped_total()
    if query.offset >= total:
        return SearchResults(query, [], total, exact)
    # Where the total stopped at the cap, the pages stop there too.
    wanted = min(query.per_page, total - query.offset)
    rows = None
    if known_page is not None:
        rows = known_page
    elif query.sort is SortOrder.DISTANCE:
        rows = plan.nearest(wanted, total if exact else None)
    elif not exact and query.offset + query.per_page <= WALK_MAX_ROWS:
        rows = plan.walk()
        if len(rows) < wanted:
            rows = None  # the index ran out of scored (rated) clinics: sort them all instead
    if rows is None:
        rows = plan.run(sql.ranked, plan.radius_km, query.sort.value)
    return SearchResults(query, _hits(session, rows[:wanted]), total, exact)


def nearest_match(session: Session, query: SearchQuery) -> SearchHit | None:
    """Return the nearest published clinic that passes the query's filters, however far beyond its radius.

    For an empty result: circles grow from the query's radius (each one index range scan per band, as a search
    does) up to NEAREST_CIRCLES_MILES; beyond that one pass orders every matching clinic by distance. Covering a
    wide circle with cell ranges costs more than that pass over a small directory (about 60 ms for 225 miles
    against 2 ms for 173 clinics), and in a large one a match within 150 miles is all but certain.
    """
    first = replace(query, page=1, per_page=1)
    radius = query.radius_miles
    while radius < NEAREST_CIRCLES_MILES:
        radius = min(NEAREST_CIRCLES_MILES, radius * GROWTH)
        plan = _Plan(session, replace(first, radius_miles=radius))
        rows = plan.run(sql.nearest, plan.radius_km)
        if rows:
            return _hits(session, rows)[0]
    plan = _Plan(session, first)
    rows = driver_rows(session, sql.nearest_anywhere(plan.filters), plan.params)
    return _hits(session, rows)[0] if rows else None


def capped(count: int) -> tuple[int, bool]:
    """Return (total, exact) for a count taken up to COUNT_CAP + 1: "more than COUNT_CAP" beyond the cap."""
    return (COUNT_CAP, False) if count > COUNT_CAP else (count, True)


class CountedMatches(NamedTuple):
    """The counts of count_among_matches and, on PostgreSQL, the page of the matches counted, nearest first."""

    counts: tuple  # matches up to COUNT_CAP + 1, then how many of them each (base, bit) counted leaves
    # The query's page (rows of d2 and what each result shows, id among it) among the matches counted (its page when
    # all were counted); None on SQLite's statements. From the points table: rows of id and d2.
    nearest: list | None
    # True when nearest is the query's page among every match, counted or not (read from the points table).
    whole: bool = False


def count_among_matches(session: Session, query: SearchQuery, counted: Sequence[tuple[int, int]]) -> CountedMatches:
    """Return the matches up to COUNT_CAP + 1 and, for each (base, bit) counted, how many of them have the bit and
    every bit of the base mask, in one statement.

    Masks and bits are provider_dir.geo.filters.bits ones; the counts are read from the tallies, six to a sum
    (search_sql.facet_sums). On PostgreSQL the same statement gives the query's page nearest first among the
    matches counted. From the points table (geo/points), the same counts, and the query's page among every match.
    """
    bases, places, sums = _count_layout(tuple(counted))  # a tuple already from filter_counts: not copied
    plan = _Plan(session, query)
    table = plan.table()
    if table is not None:
        found, d2 = table.matches(plan.circle(plan.radius_km), plan.filters, plan.params)
        table_sums = tuple((bases[base] if base is not None else None, tally) for base, tally in sums)
        row = table.counts(found, COUNT_CAP + 1, table_sums)
        page = table.page(found, d2, query.offset, query.per_page) if query.sort is SortOrder.DISTANCE else None
    else:
        n_ranges, bounds = plan._circle(plan.radius_km)
        stmt = sql.facet_sums(n_ranges, plan.filters, plan.lateral, sums)
        masks = {f"b{i}": base for i, base in enumerate(bases) if base}
        rows = driver_rows(session, stmt, {**plan.params, **bounds, **masks, "count_limit": COUNT_CAP + 1})
        row = rows[0]
        page = None
        if plan.lateral:  # the page came beside the counts
            page = sorted((row for row in rows if row.id is not None), key=lambda row: (row.d2, row.id))
    n_sums = len(sums)
    totals = dict(zip(sums, (total or 0 for total in row[1:1 + n_sums]), strict=True))
    counts = [totals[base, tally] >> shift & bits.TALLY_FIELD for base, tally, shift in places]
    return CountedMatches((row[0], *counts), page, whole=table is not None and page is not None)


@lru_cache(maxsize=256)
def _count_layout(counted: tuple[tuple[int, int], ...]) -> tuple[tuple[int, ...], tuple[tuple, ...], tuple[tuple, ...]]:
    """Return the base masks, each count's (base index, tally column, shift), and the sums to read, for these counts."""
    bases = tuple(dict.fromkeys(base for base, _bit in counted))
    places = tuple((bases.index(base) if base else None, *bits.tally_place(bit)) for base, bit in counted)
    sums = tuple(dict.fromkeys((base, tally) for base, tally, _shift in places))
    return bases, places, sums


class _Plan:
    """One search's statements and parameters: the origin, the filters, and the circles it reads."""

    def __init__(self, session: Session, query: SearchQuery):
        self.session, self.query = session, query
        self.radius_km = miles_to_km(query.radius_miles)
        self.filters, self.params = _filter_params(query)
        x, y, z = ecef_km(query.latitude, query.longitude)
        self.params.update(x0=x, y0=y, z0=z, limit=query.per_page, offset=query.offset)
        self.lateral = session.get_bind().dialect.name == "postgresql"
        self._table: PointsTable | None | bool = False  # not looked up yet

    def table(self) -> PointsTable | None:
        """Return the points table this search may read instead of the database (geo/points), or None."""
        if self._table is False:
            usable = TABLE_FILTERS.issuperset(self.filters)
            self._table = points_for(self.session) if usable else None
        return self._table  # type: ignore[return-value]

    def circle(self, radius_km: float) -> Circle:
        """Return the circle of radius_km around the origin as the points table reads it."""
        return _table_circle(self.query.latitude, self.query.longitude, radius_km)

    def _circle(self, radius_km: float) -> tuple[int, Mapping[str, float]]:
        """Return (number of cell ranges, their parameters and the radius's) for a circle."""
        return _circle_params(self.query.latitude, self.query.longitude, radius_km, self.lateral)

    def run(self, statement, radius_km: float, *shape) -> list:
        """Run one of search_sql's banded statements over the circle of radius_km."""
        n_ranges, bounds = self._circle(radius_km)
        stmt = statement(n_ranges, self.filters, *shape, self.lateral)
        return driver_rows(self.session, stmt, {**self.params, **bounds})

    def capped_total(self) -> tuple[int, bool]:
        """Return (matches in the radius, up to COUNT_CAP; whether that is all of them)."""
        table = self.table()
        if table is not None:
            found, _d2 = table.matches(self.circle(self.radius_km), self.filters, self.params)
            return capped(len(found))
        n_ranges, bounds = self._circle(self.radius_km)
        stmt = sql.capped_count(n_ranges, self.filters, self.lateral)
        [(count,)] = driver_rows(self.session, stmt, {**self.params, **bounds, "count_limit": COUNT_CAP + 1})
        return capped(count)

    def nearest(self, wanted: int, matches: int | None = None) -> list:
        """Return the page nearest first from the smallest of growing circles that holds all of it.

        matches, when every match in the radius was counted, sizes the first circle: the one that would hold the
        page's last row with room to spare were the matches spread evenly (they crowd towards a city's centre
        more often than not), or the whole radius when that is most of it.
        """
        table = self.table()
        if table is not None:  # the whole radius at once: a circle's matches cost microseconds there
            found, d2 = table.matches(self.circle(self.radius_km), self.filters, self.params)
            return table.page(found, d2, self.query.offset, self.query.per_page)
        r = min(self.radius_km, START_KM)
        if matches is not None:
            share = FIRST_CIRCLE_MARGIN * math.sqrt((self.query.offset + wanted) / matches)
            r = self.radius_km if share >= WHOLE_RADIUS_SHARE else self.radius_km * share
        while True:
            rows = self.run(sql.nearest, r)
            if len(rows) >= wanted or r >= self.radius_km:
                return rows
            r = min(self.radius_km, r * GROWTH)

    def walk(self) -> list:
        """Return the page by score or rating, walking that column's index within the radius."""
        stmt = sql.walk(self.filters, self.query.sort.value)
        return driver_rows(self.session, stmt, {**self.params, "c2": chord_km_for(self.radius_km) ** 2})


# A search and the counts beside it read the same circle: its ranges are worked out once.
@lru_cache(maxsize=1024)
def _circle_params(latitude: float, longitude: float, radius_km: float,
                   arrays: bool = False) -> tuple[int, Mapping[str, object]]:
    """Return (number of ranges, the bound parameters): as arrays on PostgreSQL, where the number is always 0."""
    cells = covering_cells(latitude, longitude, radius_km)
    ranges = cells if arrays else sql.padded(cells)
    return (0 if arrays else len(ranges)), MappingProxyType(
        {**sql.span_params(ranges, arrays), "c2": chord_km_for(radius_km) ** 2})


@lru_cache(maxsize=1024)
def _table_circle(latitude: float, longitude: float, radius_km: float) -> Circle:
    """Return the circle's cell ranges, origin and squared chord for the points table."""
    return Circle.of(covering_cells(latitude, longitude, radius_km), ecef_km(latitude, longitude),
                     chord_km_for(radius_km) ** 2)


def _hits(session: Session, rows) -> list[SearchHit]:
    clinics = carried_summaries(rows)
    if clinics is None:
        clinics = summaries_by_id(session, [row.id for row in rows])
    return [
        SearchHit(clinics[row.id], km_to_miles(distance_km_for_chord(math.sqrt(max(0.0, row.d2)))))
        for row in rows
        if row.id in clinics
    ]


def _filter_params(query: SearchQuery) -> tuple[tuple[str, ...], dict]:
    """Return the names of the filters in use (the statement's shape) and their bound values."""
    params: dict = {}
    if query.condition is not None:
        params["condition_bit"] = to_mask([query.condition], Condition)
    if query.route is not None:
        params["route_bit"] = to_mask([query.route], Route)
    if query.max_price_usd is not None:
        params["max_price"] = query.max_price_usd
    if query.min_score is not None:
        params["min_score"] = query.min_score
    if query.min_rating is not None:
        params["min_rating"] = query.min_rating
    if query.verified_only:
        params["verified"] = True
    if query.accepting_only:
        params["accepting"] = True
    if not query.include_closed:
        params["open_on"] = query.today or date.today()
    # The patient filters: one bit test (provider_dir.geo.filters.bits); a language without a bit, by its text.
    spoken = query.language if bits.known_language(query.language) else None
    if query.language and not spoken:
        params["language_pattern"] = bits.language_pattern(query.language)
    mask = bits.need_mask(spoken, query.payment, query.features)
    if mask:
        params["facet_mask"] = mask
    if query.include_closed:
        params["not_closed_for_good"] = None  # no bound value: the statement names the closure to leave out
    names = {"condition_bit": "condition", "route_bit": "route", "language_pattern": "language",
             "facet_mask": "facets"}
    shape = tuple(names.get(key, key) for key in params)
    params.pop("not_closed_for_good", None)
    return shape, params
