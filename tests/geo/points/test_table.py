"""The points table on its own (no database): a circle's matches in the statements' order, its counts and its page."""

from __future__ import annotations

import random
from datetime import date

from provider_dir.geo.distance import chord_km_for, covering_cells, distance_km, ecef_km, search_point
from provider_dir.geo.filters.bits import TALLY_COLUMNS
from provider_dir.geo.points.table import COLUMNS, Circle, PointsTable
from provider_dir.geo.search_sql import padded
from provider_dir.listings.vocab import Closure


def _row(n: int, latitude: float, longitude: float, **values) -> tuple:
    row = {**search_point(latitude, longitude), "closure": Closure.OPEN.value, "reopens_on": None,
           "conditions_mask": 1, "routes_mask": 1, "price_per_infusion_usd": 400, "score_total": None,
           "rating_bayes": None, "has_verified_credentials": 0, "accepting_new_patients": 1, "search_facets": 0,
           **dict.fromkeys(TALLY_COLUMNS, 0), "id": n, **values}
    return tuple(row[name] for name in COLUMNS)


def _table(rows: list[tuple]) -> PointsTable:
    return PointsTable(sorted(rows, key=lambda row: row[:4]))  # the index's order


def _circle(latitude: float, longitude: float, radius_km: float) -> Circle:
    return Circle.of(padded(covering_cells(latitude, longitude, radius_km)), ecef_km(latitude, longitude),
                     chord_km_for(radius_km) ** 2)


def test_the_matches_are_the_clinics_within_the_radius():
    rng = random.Random(3)
    spots = {n: (40.75 + rng.uniform(-0.5, 0.5), -73.99 + rng.uniform(-0.5, 0.5)) for n in range(400)}
    table = _table([_row(n, *spot) for n, spot in spots.items()])

    found, d2 = table.matches(_circle(40.75, -73.99, 20.0), ("open_on",), {"open_on": date(2026, 12, 7)})

    within = {n for n, spot in spots.items() if distance_km((40.75, -73.99), spot) <= 20.0}
    assert set(table.id[found].tolist()) == within and len(within) > 50
    page = table.page(found, d2, 0, 5)
    assert [row.id for row in page] == sorted(within, key=lambda n: distance_km((40.75, -73.99), spots[n]))[:5]


def test_across_the_antimeridian_the_ranges_are_read_in_their_order():
    # Taveuni, Fiji: the circle's bands each cover two ranges, the eastern edge of the map then its western edge.
    east, west = _row(1, -16.85, 179.99), _row(2, -16.85, -179.99)
    table = _table([west, east])
    circle = _circle(-16.85, 179.995, 5.0)

    found, _d2 = table.matches(circle, (), {})

    assert table.id[found].tolist() == [1, 2]
    assert table.counts(found, 1, ((None, 0),))[0] == 1  # the first match in that order is the one counted


def test_an_empty_circle_has_no_matches_no_counts_and_no_page():
    table = _table([_row(1, 40.75, -73.99)])
    found, d2 = table.matches(_circle(35.0, -100.0, 10.0), ("open_on",), {"open_on": date(2026, 12, 7)})
    assert len(found) == 0
    assert table.counts(found, 1001, ((None, 0), (8, 1))) == (0, 0, 0)
    assert table.page(found, d2, 0, 20) == []


def test_nulls_match_no_filter_as_in_sql():
    rows = [_row(1, 40.75, -73.99, price_per_infusion_usd=None, score_total=None, has_verified_credentials=None,
                 closure=Closure.TEMPORARY.value, reopens_on="2026-12-01"),
            _row(2, 40.751, -73.99, price_per_infusion_usd=300, score_total=70.0, has_verified_credentials=1,
                 closure=Closure.TEMPORARY.value, reopens_on=None)]
    table = _table(rows)
    circle = _circle(40.75, -73.99, 5.0)

    def ids(*filters, **params):
        found, _d2 = table.matches(circle, filters, params)
        return sorted(table.id[found].tolist())

    assert ids("max_price", max_price=450) == [2]
    assert ids("min_score", min_score=50.0) == [2]
    assert ids("verified", verified=True) == [2]
    # Temporarily closed: open again from its reopening date (a string from SQLite), never without one.
    assert ids("open_on", open_on=date(2026, 12, 7)) == [1]
    assert ids("open_on", open_on=date(2026, 11, 30)) == []
    assert ids("not_closed_for_good") == [1, 2]


def test_ties_in_distance_come_by_id():
    table = _table([_row(n, 40.75, -73.99) for n in (9, 4, 7)])
    found, d2 = table.matches(_circle(40.75, -73.99, 1.0), (), {})
    assert [row.id for row in table.page(found, d2, 0, 2)] == [4, 7]
    assert [row.id for row in table.page(found, d2, 2, 2)] == [9]
