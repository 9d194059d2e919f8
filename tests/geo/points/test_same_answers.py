"""The points table gives every search what the database's statements give: counts, totals, pages and distances."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from provider_dir.extensions import db
from provider_dir.geo.filters.counts import filter_counts
from provider_dir.geo.filters.vocab import Feature, Payment
from provider_dir.geo.points.held import points_for
from provider_dir.geo.search import COUNT_CAP, SearchQuery, SortOrder, search_clinics
from provider_dir.listings.vocab import ClinicStatus, Closure, Condition, InsuranceOption, Route

CENTRES = [(40.7484, -73.9967), (39.7392, -104.9903)]


def _answers(query: SearchQuery) -> tuple:
    """What a person sees of a search: every count beside the filters, the total, and the page with distances."""
    counts = filter_counts(db.session, query)
    found = search_clinics(db.session, query, counts.total_for(query), counts.page_for(query))
    alone = search_clinics(db.session, query)  # the API's way: no counts first
    return (counts.features, counts.payments, counts.languages, counts.exact, counts.total, found.total,
            found.total_is_exact, [(hit.clinic.id, hit.distance_miles) for hit in found.hits],
            alone.total, [(hit.clinic.id, hit.distance_miles) for hit in alone.hits])


def _both_ways(search_points, query: SearchQuery) -> tuple[tuple, tuple]:
    search_points(enabled=False)
    from_database = _answers(query)
    search_points(enabled=True)
    assert points_for(db.session) is not None  # the table is what answers next
    return from_database, _answers(query)


def _varied_clinics(create_clinic, rng: random.Random, count: int, today: date) -> None:
    """Clinics around the centres with every column the filters read varied, NULLs and closures among them."""
    for n in range(count):
        latitude, longitude = rng.choice(CENTRES)
        closure, reopens_on = rng.choice([
            (Closure.OPEN, None), (Closure.OPEN, None), (Closure.TEMPORARY, today + timedelta(days=30)),
            (Closure.TEMPORARY, today - timedelta(days=1)), (Closure.TEMPORARY, None), (Closure.PERMANENT, None)])
        create_clinic(
            name=f"Varied {n}", latitude=latitude + rng.uniform(-0.6, 0.6),
            longitude=longitude + rng.uniform(-0.6, 0.6),
            status=rng.choice([ClinicStatus.PUBLISHED] * 5 + [ClinicStatus.DRAFT]),
            closure=closure, reopens_on=reopens_on,
            price_per_infusion_usd=rng.choice([None, 300, 450, 600]),
            score_total=rng.choice([None, 35.0, 62.5, 80.0]), rating_bayes=rng.choice([None, 3.2, 4.1, 4.8]),
            has_verified_credentials=rng.random() < 0.5, accepting_new_patients=rng.random() < 0.7,
            insurance=rng.choice(list(InsuranceOption)), languages=rng.sample(["English", "Spanish", "Tagalog"], 2),
            telehealth_intake=rng.random() < 0.5, offers_psychotherapy=rng.random() < 0.5,
            wheelchair_accessible=rng.choice([None, True, False]),
            routes=rng.sample(list(Route), rng.randint(1, 2)), conditions=rng.sample(list(Condition), 2),
        )
    # Two at the very same spot: their order is the id's.
    for n in range(2):
        create_clinic(name=f"Same spot {n}", latitude=40.7484, longitude=-73.9967)


def _random_query(rng: random.Random, today: date) -> SearchQuery:
    latitude, longitude = rng.choice(CENTRES)
    criteria: dict = {"radius_miles": rng.choice([1, 5, 20, 60]), "page": rng.choice([1, 1, 2, 3]),
                      "per_page": rng.choice([5, 20]), "today": today}
    maybe = [
        ("condition", lambda: rng.choice(list(Condition))), ("route", lambda: rng.choice(list(Route))),
        ("max_price_usd", lambda: rng.choice([300, 450])), ("min_score", lambda: rng.choice([50.0, 62.5])),
        ("min_rating", lambda: rng.choice([4.0, 4.1])), ("verified_only", lambda: True),
        ("accepting_only", lambda: True), ("include_closed", lambda: True),
        ("features", lambda: frozenset(rng.sample([f.value for f in Feature], rng.randint(1, 2)))),
        ("payment", lambda: rng.choice(list(Payment)).value), ("language", lambda: rng.choice(["Spanish", "tagalog"])),
    ]
    for name, value in maybe:
        if rng.random() < 0.25:
            criteria[name] = value()
    return SearchQuery(latitude=latitude + rng.uniform(-0.2, 0.2), longitude=longitude + rng.uniform(-0.2, 0.2),
                       **criteria)


def test_every_search_has_the_same_answers_from_the_table(app, create_clinic, search_points, today):
    rng = random.Random(18)
    _varied_clinics(create_clinic, rng, 160, today)
    db.session.commit()
    tried = 0
    for _ in range(120):
        query = _random_query(rng, today)
        from_database, from_table = _both_ways(search_points, query)
        assert from_table == from_database, query
        tried += bool(from_table[5])
    assert tried >= 40  # a third of the searches and more found clinics


@pytest.mark.parametrize("sort", [SortOrder.DISTANCE, SortOrder.SCORE])
def test_a_search_beyond_the_cap_has_the_same_answers(app, create_clinic, search_points, sort, today):
    rng = random.Random(7)
    for n in range(COUNT_CAP + 40):  # beyond the cap, the counts are of the first matches in the index's order
        create_clinic(name=f"Crowded {n}", latitude=40.7484 + rng.uniform(-0.05, 0.05),
                      longitude=-73.9967 + rng.uniform(-0.05, 0.05), telehealth_intake=n % 3 == 0,
                      insurance=InsuranceOption.IN_NETWORK if n % 4 == 0 else InsuranceOption.NONE)
    db.session.commit()
    query = SearchQuery(latitude=40.7484, longitude=-73.9967, radius_miles=10, sort=sort, page=2, today=today)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    for asked in (query, replace(query, page=50), replace(query, features=frozenset({"telehealth"}))):
        from_database, from_table = _both_ways(search_points, asked)
        capped = not from_table[3]
        assert capped is (asked.features == frozenset())  # capped unless the filter leaves a third
        if capped and postgresql:
            # Beyond the cap the counts are of the first matches read, and PostgreSQL's plan reads the bands in an
            # order of its own: the totals and the pages agree, and each count is within the matches counted.
            assert from_table[3:] == from_database[3:]
            assert all(0 < n <= COUNT_CAP + 1 for n in from_table[0].values() if n)
        else:
            assert from_table == from_database
