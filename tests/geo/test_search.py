"""The radius search service: distances, every filter and order, pagination, and the dense-area paths."""

import math
import random

import pytest
from geopy.distance import geodesic

from provider_dir.extensions import db
from provider_dir.geo import search as search_module
from provider_dir.geo.distance import km_to_miles
from provider_dir.geo.filters.counts import filter_counts
from provider_dir.geo.search import SearchQuery, SortOrder, search_clinics
from provider_dir.listings.vocab import ClinicStatus, Condition, Route

BOISE = (43.6150, -116.2023)


def spot(miles: float, bearing: float, origin=BOISE) -> dict:
    """Return latitude/longitude fields for a point `miles` from the origin along a bearing."""
    there = geodesic(miles=miles).destination(origin, bearing)
    return {"latitude": there.latitude, "longitude": there.longitude}


def search(origin=BOISE, **fields):
    return search_clinics(db.session, SearchQuery(latitude=origin[0], longitude=origin[1], **fields))


def names(results) -> list[str]:
    return [hit.clinic.name for hit in results.hits]


def test_results_are_nearest_first_with_distances_that_agree_with_geodesic(create_clinic):
    for miles, bearing in [(12, 200), (1, 45), (24.5, 90), (7, 310), (3, 135)]:
        create_clinic(name=f"At {miles} miles", **spot(miles, bearing))
    create_clinic(name="Just outside", **spot(25.3, 10))

    found = search(radius_miles=25)

    assert names(found) == ["At 1 miles", "At 3 miles", "At 7 miles", "At 12 miles", "At 24.5 miles"]
    assert (found.total, found.total_is_exact) == (5, True)
    for hit in found.hits:
        expected = geodesic(BOISE, (hit.clinic.latitude, hit.clinic.longitude)).miles
        assert math.isclose(hit.distance_miles, expected, rel_tol=0.005)
        assert math.isclose(hit.distance_km, expected * 1.609344, rel_tol=0.005)


def test_only_published_clinics_are_found(create_clinic):
    create_clinic(name="Published", **spot(2, 0))
    create_clinic(name="Draft", status=ClinicStatus.DRAFT, **spot(2, 90))
    create_clinic(name="Suspended", status=ClinicStatus.SUSPENDED, **spot(2, 180))
    assert names(search()) == ["Published"]


def test_a_radius_in_kilometres(create_clinic):
    create_clinic(name="9 km away", **spot(km_to_miles(9), 0))
    create_clinic(name="11 km away", **spot(km_to_miles(11), 0))
    assert names(search(radius_miles=km_to_miles(10))) == ["9 km away"]


def test_the_radius_edges_are_one_and_five_hundred_miles(create_clinic):
    create_clinic(name="Near", **spot(0.5, 0))
    create_clinic(name="Far", **spot(480, 100))
    assert names(search(radius_miles=1)) == ["Near"]
    assert names(search(radius_miles=500)) == ["Near", "Far"]
    for bad in (0.99, 500.01, -5):
        with pytest.raises(ValueError, match="radius"):
            SearchQuery(latitude=BOISE[0], longitude=BOISE[1], radius_miles=bad)


FILTER_CASES = [
    ({"condition": Condition.PTSD}, {"conditions": [Condition.PTSD, Condition.OCD]}, {"conditions": [Condition.OCD]}),
    ({"route": Route.ESKETAMINE}, {"routes": [Route.IV, Route.ESKETAMINE]}, {"routes": [Route.IV]}),
    ({"max_price_usd": 450}, {"price_per_infusion_usd": 450}, {"price_per_infusion_usd": 451}),
    ({"max_price_usd": 450}, {"price_per_infusion_usd": 0}, {"price_per_infusion_usd": None}),
    ({"min_score": 70}, {"score_total": 70.0}, {"score_total": 69.9}),
    ({"min_score": 70}, {"score_total": 95.0}, {"score_total": None}),
    ({"min_rating": 4.0}, {"rating_bayes": 4.0, "rating_count": 9}, {"rating_bayes": 3.9, "rating_count": 9}),
    ({"min_rating": 4.0}, {"rating_bayes": 4.6, "rating_count": 3}, {"rating_bayes": None, "rating_count": 0}),
    ({"verified_only": True}, {"has_verified_credentials": True}, {"has_verified_credentials": False}),
    ({"accepting_only": True}, {"accepting_new_patients": True}, {"accepting_new_patients": False}),
]  # fmt: skip


@pytest.mark.parametrize("criteria, passing, failing", FILTER_CASES)
def test_each_filter_keeps_only_the_clinics_that_meet_it(create_clinic, criteria, passing, failing):
    create_clinic(name="Meets it", **spot(5, 0), **passing)
    create_clinic(name="Does not", **spot(3, 0), **failing)
    assert names(search(**criteria)) == ["Meets it"]
    assert names(search()) == ["Does not", "Meets it"]


def test_filters_combine(create_clinic):
    create_clinic(name="Both", routes=[Route.IM], price_per_infusion_usd=300, **spot(4, 0))
    create_clinic(name="Route only", routes=[Route.IM], price_per_infusion_usd=900, **spot(3, 0))
    create_clinic(name="Price only", routes=[Route.IV], price_per_infusion_usd=300, **spot(2, 0))
    assert names(search(route=Route.IM, max_price_usd=500)) == ["Both"]


def test_sort_by_score_puts_unscored_last_and_ties_nearest_first(create_clinic):
    create_clinic(name="Unscored, nearest", score_total=None, **spot(1, 0))
    create_clinic(name="82 far", score_total=82.0, **spot(20, 0))
    create_clinic(name="82 near", score_total=82.0, **spot(6, 0))
    create_clinic(name="91", score_total=91.0, **spot(15, 0))
    create_clinic(name="40", score_total=40.0, **spot(2, 0))
    assert names(search(sort=SortOrder.SCORE)) == ["91", "82 near", "82 far", "40", "Unscored, nearest"]


def test_sort_by_rating_uses_the_bayesian_rating_and_puts_unrated_last(create_clinic):
    create_clinic(name="Unrated", rating_bayes=None, **spot(1, 0))
    create_clinic(name="4.7", rating_bayes=4.7, rating_count=40, rating_avg=4.8, **spot(9, 0))
    create_clinic(name="4.2", rating_bayes=4.2, rating_count=3, rating_avg=5.0, **spot(2, 0))
    assert names(search(sort=SortOrder.RATING)) == ["4.7", "4.2", "Unrated"]


def test_pages_split_the_results_without_gaps_or_repeats(create_clinic):
    rng = random.Random(7)
    for i in range(45):
        create_clinic(name=f"Clinic {i:02d}", **spot(rng.uniform(0.2, 24), rng.uniform(0, 360)))
    pages = [search(page=n, per_page=20) for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [20, 20, 5]
    assert {p.total for p in pages} == {45} and {p.pages for p in pages} == {3}
    seen = [hit for p in pages for hit in p.hits]
    assert len({hit.clinic.id for hit in seen}) == 45
    distances = [hit.distance_miles for hit in seen]
    assert distances == sorted(distances)
    assert (pages[0].has_prev, pages[0].has_next, pages[2].has_next, pages[2].prev_num) == (False, True, False, 2)


def test_a_page_past_the_end_is_empty_and_says_how_many_pages_there_are(create_clinic):
    create_clinic(**spot(1, 0))
    past = search(page=2)
    assert past.hits == [] and past.total == 1 and past.pages == 1


def test_no_results_is_one_empty_page(create_clinic):
    found = search()
    assert (found.hits, found.total, found.pages, found.has_next) == ([], 0, 1, False)
    with pytest.raises(ValueError, match="page"):
        SearchQuery(latitude=0, longitude=0, page=0)


def test_a_search_across_the_antimeridian(create_clinic):
    adak = (51.88, -176.66)
    create_clinic(name="Shemya side", latitude=52.72, longitude=174.11)  # about 460 miles west, across 180
    create_clinic(name="Adak", latitude=51.87, longitude=-176.64)
    found = search(origin=adak, radius_miles=500)
    assert names(found) == ["Adak", "Shemya side"]
    expected = geodesic(adak, (52.72, 174.11)).miles
    assert math.isclose(found.hits[1].distance_miles, expected, rel_tol=0.005)


class TestWhereTheRadiusHoldsMoreThanTheCap:
    """Dense places: the total stops at the cap, nearest first reads growing circles, score walks its index."""

    @pytest.fixture
    def crowd(self, create_clinic, monkeypatch):
        monkeypatch.setattr(search_module, "COUNT_CAP", 12)
        monkeypatch.setattr(search_module, "START_KM", 0.5)
        rng = random.Random(3)
        clinics = []
        for i in range(40):
            score = None if i % 7 == 0 else float(rng.randint(30, 99))
            rating = None if i % 5 == 0 else round(rng.uniform(2.5, 5.0), 2)
            clinics.append(
                create_clinic(name=f"Crowd {i:02d}", score_total=score, rating_bayes=rating,
                              **spot(rng.uniform(0.1, 24), rng.uniform(0, 360)))
            )  # fmt: skip
        return clinics

    @staticmethod
    def expected(clinics, key):
        return [c.name for c in sorted(clinics, key=key)]

    def test_the_total_is_a_lower_bound_and_the_pages_stop_at_the_cap(self, crowd):
        found = search(per_page=5)
        assert (found.total, found.total_is_exact, found.pages) == (12, False, 3)

    def test_nearest_first_from_growing_circles_matches_sorting_everything(self, crowd):
        def miles(c):
            return geodesic(BOISE, (c.latitude, c.longitude)).miles

        expected = self.expected(crowd, miles)
        got = [name for n in (1, 2, 3) for name in names(search(page=n, per_page=4))]
        assert got == expected[:12]

    @pytest.mark.parametrize("sort, attribute", [(SortOrder.SCORE, "score_total"), (SortOrder.RATING, "rating_bayes")])
    def test_walking_the_score_or_rating_index_matches_sorting_everything(self, crowd, sort, attribute):
        def key(c):
            value = getattr(c, attribute)
            return (value is None, -(value or 0), geodesic(BOISE, (c.latitude, c.longitude)).miles)

        expected = self.expected(crowd, key)
        got = [name for n in (1, 2, 3) for name in names(search(sort=sort, page=n, per_page=4))]
        assert got == expected[:12]

    def test_when_the_index_runs_out_of_scored_clinics_the_rest_follow_nearest_first(self, create_clinic, monkeypatch):
        monkeypatch.setattr(search_module, "COUNT_CAP", 3)
        create_clinic(name="Scored", score_total=50.0, **spot(9, 0))
        for miles in (1, 2, 3, 4):
            create_clinic(name=f"Unscored {miles}", score_total=None, **spot(miles, 90))
        assert names(search(sort=SortOrder.SCORE)) == ["Scored", "Unscored 1", "Unscored 2"]


def search_with_counts(origin=BOISE, **fields):
    """Search as the search page does: the counts beside the filters first, then the page they may already hold."""
    query = SearchQuery(latitude=origin[0], longitude=origin[1], **fields)
    counts = filter_counts(db.session, query)
    return search_clinics(db.session, query, counts.total_for(query), counts.page_for(query)), counts


@pytest.mark.parametrize("cap", [1000, 30])
def test_the_page_a_search_finds_after_the_counts_is_the_page_it_finds_alone(create_clinic, monkeypatch, cap):
    monkeypatch.setattr(search_module, "COUNT_CAP", cap)
    rng = random.Random(11)
    for i in range(45):
        create_clinic(name=f"Clinic {i:02d}", languages=["English", "Spanish"] if i % 3 else ["English"],
                      score_total=float(rng.randint(30, 99)), **spot(rng.uniform(0.2, 24), rng.uniform(0, 360)))
    for fields in [dict(page=1), dict(page=2), dict(page=3), dict(page=2, per_page=7), dict(language="Spanish"),
                   dict(sort=SortOrder.SCORE, page=2)]:
        alone = search(**fields)
        together, counts = search_with_counts(**fields)
        assert names(together) == names(alone) and (together.total, together.total_is_exact) == (
            alone.total, alone.total_is_exact)
        assert [hit.distance_miles for hit in together.hits] == [hit.distance_miles for hit in alone.hits]
        query = SearchQuery(latitude=BOISE[0], longitude=BOISE[1], **fields)
        # The counts' own total is the search's wherever no language or way to pay is chosen; on PostgreSQL the
        # counts' statement also reads the page where it counted every match of this very search, nearest first.
        assert (counts.total_for(query) is None) == ("language" in fields)
        held = counts.page_for(query) is not None
        on_postgresql = db.engine.dialect.name == "postgresql"
        assert held == (on_postgresql and cap > 45 and "language" not in fields and "sort" not in fields)
        if on_postgresql and cap < 45:
            assert counts.nearest == []  # beyond the cap the statement sorts no page: the search reads its own


@pytest.mark.parametrize("layout", ["even", "all at the edge", "a crowd at the centre", "one near, the rest far"])
def test_every_page_nearest_first_holds_the_nearest_matches_however_they_spread(create_clinic, layout):
    # The first circle is sized from the count as if the matches were spread evenly: where they are not, it
    # grows until it holds the page, and no nearer clinic is ever left out.
    rng = random.Random(5)
    for i in range(60):
        miles = {"even": 24 * math.sqrt(rng.random()), "all at the edge": rng.uniform(20, 24.5),
                 "a crowd at the centre": rng.uniform(0.1, 1.5) if i < 40 else rng.uniform(2, 24.5),
                 "one near, the rest far": 0.5 if i == 0 else rng.uniform(15, 24.5)}[layout]
        create_clinic(name=f"Clinic {i:02d}", **spot(miles, rng.uniform(0, 360)))
    every = [(hit.distance_miles, hit.clinic.name) for hit in search(radius_miles=25, per_page=100).hits]
    assert len(every) == 60 and every == sorted(every)
    for per_page in (1, 7, 20):
        pages = [search(radius_miles=25, per_page=per_page, page=page) for page in range(1, 60 // per_page + 2)]
        assert [name for page in pages for name in names(page)] == [name for _miles, name in every]
