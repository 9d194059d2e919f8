"""The search's statements: on PostgreSQL one text for every circle, with few enough values for psycopg to keep it."""

from __future__ import annotations

import re

from sqlalchemy.dialects import postgresql, sqlite

from provider_dir.geo import search_sql as sql
from provider_dir.geo.search import _circle_params

# psycopg parses a statement's %(name)s placeholders again on every run once it has more than 50 values or
# 4,096 characters (psycopg._queries.MAX_CACHED_STATEMENT_PARAMS / _LENGTH); a search's hundred cell ranges as
# VALUES had 200 and more.
PSYCOPG_CACHED_PARAMS, PSYCOPG_CACHED_LENGTH = 50, 4096
# The counts beside the filters with a language and a way to pay chosen: the features' two tallies under one mask,
# the ways to pay under another, the languages' four under a third.
SUMS = ((0, 0), (0, 1), (1, 0), (2, 1), (2, 2), (2, 3), (2, 4))
CIRCLES = [(40.75, -73.99, 2.0), (40.75, -73.99, 80.0), (39.74, -104.99, 40.2), (64.84, -147.72, 800.0)]
FILTERS = ("open_on", "facets", "min_score")


def statements(dialect, n_ranges: int, lateral: bool) -> list[str]:
    built = [sql.facet_sums(n_ranges, FILTERS, lateral, SUMS), sql.capped_count(n_ranges, FILTERS, lateral),
             sql.nearest(n_ranges, FILTERS, lateral), sql.ranked(n_ranges, FILTERS, "score", lateral)]
    return [str(statement.compile(dialect=dialect)) for statement in built]


def test_on_postgresql_every_circle_sends_the_same_short_statements():
    texts = set()
    for latitude, longitude, radius_km in CIRCLES:
        n_ranges, params = _circle_params(latitude, longitude, radius_km, True)
        assert n_ranges == 0 and len(params["span_lo"]) == len(params["span_hi"]) > 0
        texts.add(tuple(statements(postgresql.dialect(), n_ranges, True)))
    assert len(texts) == 1
    for text in texts.pop():
        assert "unnest" in text
        assert len(set(re.findall(r"%\((\w+)\)s", text))) <= PSYCOPG_CACHED_PARAMS
        assert len(text) <= PSYCOPG_CACHED_LENGTH


def test_on_sqlite_the_ranges_are_values_padded_to_a_few_shapes():
    shapes = set()
    for latitude, longitude, radius_km in CIRCLES:
        n_ranges, params = _circle_params(latitude, longitude, radius_km)
        assert n_ranges % sql.RANGES_STEP == 0 and len(params) == 2 * n_ranges + 1
        shapes.add(n_ranges)
        assert "VALUES" in statements(sqlite.dialect(), n_ranges, False)[0]
    assert len(shapes) > 1
