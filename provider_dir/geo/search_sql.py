"""The SQL of radius search: statements built once per shape and cached, values sent as bound parameters.

Building a SQLAlchemy statement costs about as much as running one of these queries, so each shape (kind,
number of cell ranges, which filters) is built once per process; SQLAlchemy's compiled cache does the rest.
Core columns (not ORM attributes) keep the ORM layer off the hot path.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    text,
    true,
)

from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Closure, InsuranceOption

CLINIC = Clinic.__table__


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
        **FACET_CLAUSES,
    }
    return clauses[name]()


def _speaks() -> ColumnElement[bool]:
    # The stored JSON list as text, lowered: '["english", "spanish"]' holds '"spanish"' exactly when the list
    # holds the language (the quotes stop "english" matching "english (asl)"), on SQLite and PostgreSQL alike.
    return func.lower(cast(CLINIC.c.languages, String)).like(bindparam("language_pattern", type_=String))


FACET_CLAUSES = {
    "language": _speaks,
    "in_network": lambda: CLINIC.c.insurance == InsuranceOption.IN_NETWORK,
    "superbill": lambda: CLINIC.c.insurance == InsuranceOption.SUPERBILL,
    "self_pay": lambda: CLINIC.c.price_per_infusion_usd.is_not(None),
    "telehealth": lambda: CLINIC.c.telehealth_intake == true(),
    "psychotherapy": lambda: CLINIC.c.offers_psychotherapy == true(),
    "evenings": lambda: CLINIC.c.open_evenings == true(),
    "weekends": lambda: CLINIC.c.open_weekends == true(),
    "wheelchair": lambda: CLINIC.c.wheelchair_accessible == true(),
}


def language_pattern(language: str) -> str:
    """Return the LIKE pattern that finds a language in the stored list."""
    return '%"' + language.lower().replace("%", "").replace("_", "").replace('"', "") + '"%'


@lru_cache(maxsize=512)
def facet_sums(n_ranges: int, filters: tuple[str, ...], lateral: bool, counted: tuple[tuple[str, str], ...]) -> Select:
    """Count, among the first `count_limit` matches, those that pass each of `counted` (name, SQL-ready test).

    One statement for every count beside the filters: the matches of the circle (capped as the total is), joined
    back to their rows by primary key, each count a SUM of a CASE.
    """
    found = _matches(n_ranges, filters, lateral)
    capped = select(found.c.id).limit(bindparam("count_limit", type_=Integer)).subquery("capped")
    sums = [func.count().label("all")]
    for label, test in counted:
        sums.append(func.coalesce(func.sum(case((_facet_test(test), 1), else_=0)), 0).label(label))
    return select(*sums).select_from(capped.join(CLINIC, CLINIC.c.id == capped.c.id))


def _facet_test(test: str) -> ColumnElement[bool]:
    """Return the test of one count: facet names joined by '+' (all must hold), languages as 'lang:<name>'."""
    clauses = []
    for part in test.split("+"):
        if part.startswith("lang:"):
            clauses.append(func.lower(cast(CLINIC.c.languages, String)).like(
                literal(language_pattern(part[5:]), type_=String)))
        else:
            clauses.append(FACET_CLAUSES[part]())
    return and_(*clauses)


def _published() -> ColumnElement[bool]:
    return CLINIC.c.status == ClinicStatus.PUBLISHED


def _published_in_band() -> ColumnElement[bool]:
    # Written as a range on purpose: given an equality on status inside the join, SQLite's planner may
    # build an automatic index over every published clinic instead of range-scanning ix_clinic_geo_search.
    return CLINIC.c.status.between(ClinicStatus.PUBLISHED, ClinicStatus.PUBLISHED)


def _span_table(n_ranges: int):
    """Return n cell ranges as a VALUES table (columns column1, column2 on SQLite and PostgreSQL alike).

    VALUES rather than a recursive CTE: SQLite reads a covering index through VALUES but not through one.
    """
    sql = "VALUES " + ", ".join(f"(:lo{i}, :hi{i})" for i in range(n_ranges))
    return text(sql).columns(column("column1", Integer), column("column2", Integer)).cte("span")


def span_params(ranges: list[tuple[int, int]]) -> dict[str, int]:
    """Return the bound parameters of _span_table for these ranges."""
    params: dict[str, int] = {}
    for i, (lo, hi) in enumerate(ranges):
        params[f"lo{i}"] = lo
        params[f"hi{i}"] = hi
    return params


def _matches(n_ranges: int, filters: tuple[str, ...], lateral: bool, sort: str | None = None):
    """Return the clinics in the ranges and the circle as a subquery with columns id, d2 (and key, to sort by).

    On SQLite a plain join, which its planner turns into one covering range scan per band. PostgreSQL's
    planner, left to itself, would scan the whole table there; a LATERAL subquery that it may not flatten
    (OFFSET 0) makes it run one index-only range scan per band instead.
    """
    span = _span_table(n_ranges)
    d2 = _d2()
    columns = [CLINIC.c.id, d2]
    if sort is not None:
        columns.append(_sort_column(sort).label("key"))
    conditions = [
        CLINIC.c.geo_cell.between(span.c.column1, span.c.column2),
        _published_in_band(),
        d2.element <= bindparam("c2", type_=Float),
        *(_filter(name) for name in filters),
    ]
    if lateral:
        per_band = select(*columns).where(*conditions).offset(0).lateral("matches")
        return select(per_band).select_from(span).join(per_band, true()).subquery("found")
    joined = select(*columns).select_from(span).join(CLINIC, and_(*conditions[:2]))
    return joined.where(*conditions[2:]).subquery("found")


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
    """One page of (id, d2), nearest first."""
    found = _matches(n_ranges, filters, lateral)
    return _page(select(found.c.id, found.c.d2).order_by(found.c.d2, found.c.id))


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
