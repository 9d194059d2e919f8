"""The SQL of radius search: statements built once per shape and cached, values sent as bound parameters.

Building a SQLAlchemy statement costs about as much as running one of these queries, so each shape (kind,
number of cell ranges, which filters) is built once per process; SQLAlchemy's compiled cache does the rest.
Core columns (not ORM attributes) keep the ORM layer off the hot path.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    column,
    func,
    or_,
    select,
    text,
    true,
)

from provider_dir.geo.filters.bits import TALLY_COLUMNS
from provider_dir.geo.summaries import ClinicSummary
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Closure

CLINIC = Clinic.__table__
# What a search result shows of a clinic, id first: the last columns of a page read with its summaries.
SUMMARY_COLUMNS = ClinicSummary._fields
RANGES_STEP = 8  # the statements' VALUES tables hold a multiple of this many cell ranges


def _d2() -> ColumnElement[float]:
    """Squared chord (km^2) between each clinic and the origin, from the indexed x, y, z."""
    c = CLINIC.c
    x, y, z = (bindparam(name, type_=Float) for name in ("x0", "y0", "z0"))
    return ((c.geo_x - x) * (c.geo_x - x) + (c.geo_y - y) * (c.geo_y - y) + (c.geo_z - z) * (c.geo_z - z)).label("d2")


def _filter(name: str) -> ColumnElement[bool]:
    c = CLINIC.c
    clauses = {
        "condition": lambda: c.conditions_mask.op("&")(bindparam("condition_bit", type_=Integer)) != 0,
        "route": lambda: c.routes_mask.op("&")(bindparam("route_bit", type_=Integer)) != 0,
        "max_price": lambda: c.price_per_infusion_usd <= bindparam("max_price", type_=Integer),
        "min_score": lambda: c.score_total >= bindparam("min_score", type_=Float),
        "min_rating": lambda: c.rating_bayes >= bindparam("min_rating", type_=Float),
        "verified": lambda: c.has_verified_credentials == bindparam("verified", type_=Boolean),
        "accepting": lambda: c.accepting_new_patients == bindparam("accepting", type_=Boolean),
        # Open today: never closed, or temporarily closed with a reopening date that has come.
        "open_on": lambda: or_(
            c.closure == Closure.OPEN,
            and_(c.closure == Closure.TEMPORARY, c.reopens_on <= bindparam("open_on", type_=Date)),
        ),
        # "Include temporarily closed": everything but the permanently closed.
        "not_closed_for_good": lambda: c.closure != Closure.PERMANENT,
        # The patient filters at once: every bit of the mask (provider_dir.geo.filters.bits) set.
        "facets": lambda: c.search_facets.op("&")(bindparam("facet_mask", type_=Integer))
        == bindparam("facet_mask", type_=Integer),
        # A language the filters do not offer (it has no bit): matched in the stored list's text.
        "language": _speaks,
    }
    return clauses[name]()


def _speaks() -> ColumnElement[bool]:
    # The stored JSON list as text, lowered: '["english", "spanish"]' holds '"spanish"' exactly when the list
    # holds the language (the quotes stop "english" matching "english (asl)"), on SQLite and PostgreSQL alike.
    return func.lower(cast(CLINIC.c.languages, String)).like(bindparam("language_pattern", type_=String))


@lru_cache(maxsize=512)
def facet_sums(n_ranges: int, filters: tuple[str, ...], lateral: bool,
               sums: tuple[tuple[int | None, int], ...]) -> Select:
    """Count the first `count_limit` matches and, among them, add up tally columns; on PostgreSQL (lateral), beside
    the counts, the page of those matches nearest first.

    Each of `sums` is (base, tally column): the sum of that column (provider_dir.geo.filters.bits: six counts at
    once) over the matches with every bit of the bound mask b<base>, or over all of them when base is None. One
    statement for every count beside the filters, read from the same index entries as the search's own count
    (the facets and tallies are in the covering index): no row is visited, and the masks are bound values, so the
    statement's shape depends only on the circle's ranges, the filters and which sums.

    On PostgreSQL each row holds the counts, then one clinic of the page (d2 and what its result shows, as
    with_summaries reads them; NULL when there is none) nearest
    first among the matches counted, when the count stayed under the cap (then it is the search's own page, so the
    circle is read once for both: a statement more costs the worker more there than the sort costs the server);
    beyond the cap the one row holds the counts and NULLs.
    On SQLite the one row holds the counts only: keeping the matches to sort them cost a third of the statement,
    where the search's page sized from the count reads a small circle (search.py, _Plan.nearest).
    """
    found = _matches(n_ranges, filters, lateral, facets=True)
    columns = [found.c.facets, *(found.c[name] for name in TALLY_COLUMNS)]
    if lateral:
        # Read twice (counted, then sorted): kept once.
        counted = select(found.c.id, found.c.d2, *columns).limit(bindparam("count_limit", type_=Integer))
        counted = counted.cte("counted").prefix_with("MATERIALIZED")
    else:
        counted = select(*columns).limit(bindparam("count_limit", type_=Integer)).subquery("counted")
    totals = [func.count().label("all")]
    for i, (base, tally) in enumerate(sums):
        total = func.sum(counted.c[TALLY_COLUMNS[tally]])
        if base is not None:
            # FILTER (WHERE ...), on SQLite (3.30 on) and PostgreSQL alike: a row that fails the test skips the
            # aggregate step.
            mask = bindparam(f"b{base}", type_=Integer)
            total = total.filter(counted.c.facets.op("&")(mask) == mask)
        # PostgreSQL sums a BIGINT as a NUMERIC; the fields' total fits a BIGINT.
        totals.append(cast(total, BigInteger).label(f"s{i}"))
    if not lateral:
        return select(*totals).select_from(counted)
    counts = select(*totals).select_from(counted).subquery("n")
    # The page only when every match was counted (under the cap): beyond it the search reads its page from a circle
    # of its own, and PostgreSQL skips the sort (a one-time filter), 0.17 ms of a capped count's 1.38.
    under_cap = counts.c["all"] < bindparam("count_limit", type_=Integer)
    page = _page(select(counted.c.id, counted.c.d2).where(under_cap).order_by(counted.c.d2, counted.c.id))
    page = page.lateral("p")
    # Each clinic of the page with what its result shows, from the table's rows: no statement of their own for them
    # (see with_summaries).
    shown, summary = _shown()
    joined = counts.outerjoin(page, true()).outerjoin(shown, shown.c.id == page.c.id)
    return select(counts, page.c.d2, *summary).select_from(joined)


def _published() -> ColumnElement[bool]:
    return CLINIC.c.status == ClinicStatus.PUBLISHED


def _published_in_band() -> ColumnElement[bool]:
    # Written as a range on purpose: given an equality on status inside the join, SQLite's planner may
    # build an automatic index over every published clinic instead of range-scanning ix_clinic_geo_search.
    return CLINIC.c.status.between(ClinicStatus.PUBLISHED, ClinicStatus.PUBLISHED)


def _span_table(n_ranges: int, arrays: bool = False):
    """Return the cell ranges as a table `span` with columns column1, column2.

    On SQLite n ranges as VALUES, rather than a recursive CTE: SQLite reads a covering index through VALUES but not
    through one. On PostgreSQL (arrays) two bound arrays unnested: the statement's text is then the same for every
    circle, short enough for psycopg to keep its parsed form (it parses again any statement of more than 50
    parameters, 0.5 ms for a search's hundred ranges) and to prepare it on the server.
    """
    if arrays:
        sql = "SELECT * FROM unnest(CAST(:span_lo AS BIGINT[]), CAST(:span_hi AS BIGINT[])) AS span(column1, column2)"
    else:
        sql = "VALUES " + ", ".join(f"(:lo{i}, :hi{i})" for i in range(n_ranges))
    return text(sql).columns(column("column1", Integer), column("column2", Integer)).cte("span")


def padded(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the ranges with empty ones added up to a multiple of RANGES_STEP.

    Each number of ranges is a statement of its own to build and compile (a few ms each); padding keeps them to
    a few shapes, and an empty range (from 1 to 0) costs one index probe that finds nothing.
    """
    missing = -len(ranges) % RANGES_STEP
    return [*ranges, *[(1, 0)] * missing]


def span_params(ranges: list[tuple[int, int]], arrays: bool = False) -> dict:
    """Return the bound parameters of _span_table for these ranges (two lists when arrays)."""
    if arrays:
        return {"span_lo": [lo for lo, _hi in ranges], "span_hi": [hi for _lo, hi in ranges]}
    return dict(zip(_span_names(len(ranges)), chain.from_iterable(ranges), strict=True))


@lru_cache(maxsize=64)
def _span_names(n_ranges: int) -> tuple[str, ...]:
    """Return lo0, hi0, lo1, hi1, ...: the names of n ranges' bound parameters (formatted once per count)."""
    return tuple(f"{end}{i}" for i in range(n_ranges) for end in ("lo", "hi"))


def _matches(n_ranges: int, filters: tuple[str, ...], lateral: bool, sort: str | None = None, facets: bool = False):
    """Return the clinics in the ranges and the circle as a subquery with columns id, d2 (key, to sort by; facets).

    On SQLite a plain join, which its planner turns into one covering range scan per band. PostgreSQL's
    planner, left to itself, would scan the whole table there; a LATERAL subquery that it may not flatten
    (OFFSET 0) makes it run one index-only range scan per band instead.
    """
    span = _span_table(n_ranges, arrays=lateral)
    d2 = _d2()
    columns = [CLINIC.c.id, d2]
    if sort is not None:
        columns.append(_sort_column(sort).label("key"))
    if facets:
        columns.append(CLINIC.c.search_facets.label("facets"))
        columns.extend(CLINIC.c[name] for name in TALLY_COLUMNS)
    in_band = [CLINIC.c.geo_cell.between(span.c.column1, span.c.column2), _published_in_band()]
    filtered = [_filter(name) for name in filters]
    within = bindparam("c2", type_=Float)
    if lateral:
        # The circle tested outside the fence, on the band's d2 column: inside, PostgreSQL worked d2 out twice for
        # every match, for the test and for the column (about a tenth of the server's CPU for a count of 1,000).
        per_band = select(*columns).where(*in_band, *filtered).offset(0).lateral("matches")
        stmt = select(per_band).select_from(span).join(per_band, true()).where(per_band.c.d2 <= within)
        return stmt.subquery("found")
    joined = select(*columns).select_from(span).join(CLINIC, and_(*in_band))
    return joined.where(d2.element <= within, *filtered).subquery("found")


def _page(stmt: Select) -> Select:
    return stmt.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))


@lru_cache(maxsize=2048)
def capped_count(n_ranges: int, filters: tuple[str, ...], lateral: bool) -> Select:
    """Count matches in the ranges and the circle, stopping after `count_limit` of them."""
    found = _matches(n_ranges, filters, lateral)
    capped = select(found.c.id).limit(bindparam("count_limit", type_=Integer)).subquery("capped")
    return select(func.count()).select_from(capped)


@lru_cache(maxsize=2048)
def nearest(n_ranges: int, filters: tuple[str, ...], lateral: bool) -> Select:
    """One page nearest first: each row d2, then what the result shows (with_summaries)."""
    found = _matches(n_ranges, filters, lateral)
    page = _page(select(found.c.id, found.c.d2).order_by(found.c.d2, found.c.id))
    return with_summaries(page)


def with_summaries(page: Select) -> Select:
    """Return a page of (id, d2) as rows of d2 and the summary columns (id among them), in the page's order.

    The page and what its results show in one statement (summaries.summaries_by_id is the other way, for the pages
    read by score or rating): on PostgreSQL a round trip more cost the worker more than the server's join of a
    page's twenty rows by primary key.
    """
    found = page.subquery("page")
    shown, summary = _shown()
    return (select(found.c.d2, *summary).select_from(found.join(shown, shown.c.id == found.c.id))
            .order_by(found.c.d2, found.c.id))


def _shown():
    """Return the clinic table under the name `shown` and its summary columns, for a page's rows to join."""
    shown = CLINIC.alias("shown")
    return shown, [shown.c[name] for name in SUMMARY_COLUMNS]


def _sort_column(sort: str):
    return CLINIC.c.score_total if sort == "score" else CLINIC.c.rating_bayes


@lru_cache(maxsize=2048)
def ranked(n_ranges: int, filters: tuple[str, ...], sort: str, lateral: bool) -> Select:
    """One page of (id, d2) by score or rating (unknown last), then nearest first, sorting every match."""
    found = _matches(n_ranges, filters, lateral, sort)
    order = (func.coalesce(found.c.key, -1.0).desc(), found.c.d2, found.c.id)
    return _page(select(found.c.id, found.c.d2).order_by(*order))


@lru_cache(maxsize=256)
def walk(filters: tuple[str, ...], sort: str) -> Select:
    """One page of (id, d2) by score or rating, walking that column's index from the top within the circle."""
    key = _sort_column(sort)
    d2 = _d2()
    stmt = (
        select(CLINIC.c.id, d2)
        .where(_published(), key.is_not(None), d2.element <= bindparam("c2", type_=Float))
        .where(*(_filter(name) for name in filters))
        .order_by(key.desc(), d2, CLINIC.c.id)
    )
    return _page(stmt)


@lru_cache(maxsize=256)
def nearest_anywhere(filters: tuple[str, ...]) -> Select:
    """The nearest (id, d2) among all published clinics that pass the filters, with no radius."""
    d2 = _d2()
    stmt = select(CLINIC.c.id, d2).where(_published(), *(_filter(name) for name in filters)).order_by(d2, CLINIC.c.id)
    return _page(stmt)
