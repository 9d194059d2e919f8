"""Rating aggregation: plain functions, checked by examples and by hypothesis properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provider_dir.reviews.figures.aggregation import (
    ReviewFacts,
    Share,
    bayesian_average,
    category_distribution,
    mean_or_none,
    outcomes_by_condition,
    percentile_from_counts,
    percentile_rank,
    recommend_share,
    side_effect_frequencies,
    star_distribution,
    summarise,
    wilson_lower_bound,
)

RATINGS = st.lists(st.integers(1, 5), max_size=300)
PRIOR = st.floats(1, 5)
WEIGHT = st.integers(0, 100)
EFFECTS = ("nausea", "dizziness", "raised_bp", "dissociation", "fatigue", "other", "none")
RELIEF = ("hours", "days", "weeks", "none")
FACTS = st.builds(
    ReviewFacts,
    rating=st.integers(1, 5),
    staff=st.none() | st.integers(1, 5),
    safety=st.none() | st.integers(1, 5),
    value=st.none() | st.integers(1, 5),
    would_recommend=st.none() | st.booleans(),
    side_effects=st.frozensets(st.sampled_from(EFFECTS)),
    time_to_relief=st.none() | st.sampled_from(RELIEF),
    condition=st.none() | st.sampled_from(("depression", "ptsd", "crps")),
)


# --- examples a reader can check by hand ---------------------------------------------------------


def test_two_perfect_reviews_do_not_outrank_two_hundred_at_four_point_seven():
    prior_mean, weight = 4.2, 10
    few = bayesian_average(2 * 5, 2, prior_mean, weight)
    many = bayesian_average(200 * 4.7, 200, prior_mean, weight)
    assert few == pytest.approx((10 * 4.2 + 10) / 12)
    assert many > few


def test_no_reviews_means_no_rating():
    assert bayesian_average(0, 0, 4.2, 10) is None


def test_wilson_lower_bound_of_a_known_case():
    # 8 of 10: the 95 % Wilson interval is about 0.490 to 0.943.
    assert wilson_lower_bound(8, 10) == pytest.approx(0.4902, abs=1e-3)
    assert wilson_lower_bound(0, 0) == 0.0


def test_star_distribution_counts_each_star_out_of_all():
    stars = star_distribution([5, 5, 4, 1])
    assert [stars[s].count for s in (1, 2, 3, 4, 5)] == [1, 0, 0, 1, 2]
    assert stars[5].percent == 50
    with pytest.raises(ValueError):
        star_distribution([6])


def test_unanswered_questions_are_left_out_of_shares():
    assert recommend_share([True, False, None, True]) == Share(2, 3)
    relief = category_distribution(["days", None, "none"], RELIEF)
    assert relief["days"] == Share(1, 2)
    effects = side_effect_frequencies([{"nausea"}, set(), {"none"}], EFFECTS)
    assert effects["nausea"] == Share(1, 2)
    assert effects["none"] == Share(1, 2)


def test_outcomes_are_split_by_condition_most_reviewed_first():
    facts = [
        ReviewFacts(rating=5, condition="ptsd", would_recommend=True, time_to_relief="hours"),
        ReviewFacts(rating=3, condition="ptsd", would_recommend=False, time_to_relief="none"),
        ReviewFacts(rating=4, condition="crps", time_to_relief="weeks"),
        ReviewFacts(rating=1),
    ]
    ptsd, crps = outcomes_by_condition(facts)
    assert (ptsd.condition, ptsd.count, ptsd.mean_rating) == ("ptsd", 2, 4.0)
    assert ptsd.recommend == Share(1, 2)
    assert ptsd.relief == Share(1, 2)
    assert (crps.condition, crps.relief) == ("crps", Share(1, 1))


def test_percentile_counts_ties_as_half():
    assert percentile_rank(4.0, [3.0, 4.0, 4.0, 5.0]) == pytest.approx(50.0)
    assert percentile_rank(5.0, [5.0]) == 50.0
    assert percentile_from_counts(0, 0, 0) is None


# --- properties ----------------------------------------------------------------------------------


@given(RATINGS.filter(bool), PRIOR, WEIGHT)
def test_bayesian_average_lies_between_the_prior_and_the_clinic_mean(ratings, prior_mean, weight):
    mean = sum(ratings) / len(ratings)
    value = bayesian_average(sum(ratings), len(ratings), prior_mean, weight)
    assert min(mean, prior_mean) - 1e-9 <= value <= max(mean, prior_mean) + 1e-9


@given(RATINGS.filter(bool), PRIOR)
def test_without_prior_weight_the_bayesian_average_is_the_mean(ratings, prior_mean):
    assert bayesian_average(sum(ratings), len(ratings), prior_mean, 0) == pytest.approx(sum(ratings) / len(ratings))


@given(st.integers(1, 5), PRIOR, st.integers(1, 50))
def test_more_reviews_at_one_rating_move_the_average_towards_it(rating, prior_mean, weight):
    gaps = [abs(bayesian_average(rating * n, n, prior_mean, weight) - rating) for n in (1, 10, 100, 1000)]
    assert gaps == sorted(gaps, reverse=True)


@given(RATINGS.filter(bool), PRIOR, WEIGHT, st.integers(1, 5))
def test_adding_a_higher_rating_never_lowers_the_bayesian_average(ratings, prior_mean, weight, extra):
    before = bayesian_average(sum(ratings), len(ratings), prior_mean, weight)
    after = bayesian_average(sum(ratings) + extra, len(ratings) + 1, prior_mean, weight)
    if extra >= before:
        assert after >= before - 1e-12
    else:
        assert after <= before + 1e-12


@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_lower_bound_is_a_probability_below_the_share(a, b):
    successes, total = min(a, b), max(a, b)
    bound = wilson_lower_bound(successes, total)
    assert 0.0 <= bound <= 1.0
    if total:
        assert bound <= successes / total + 1e-12


@given(st.integers(1, 300), st.data())
def test_wilson_lower_bound_grows_with_successes(total, data):
    successes = data.draw(st.integers(0, total - 1))
    assert wilson_lower_bound(successes + 1, total) > wilson_lower_bound(successes, total)


@given(st.integers(1, 50), st.integers(1, 20))
def test_the_same_share_with_more_answers_has_a_higher_lower_bound(successes_per_unit, units):
    total_per_unit = successes_per_unit + 1
    small = wilson_lower_bound(successes_per_unit, total_per_unit)
    large = wilson_lower_bound(successes_per_unit * (units + 1), total_per_unit * (units + 1))
    assert large >= small


@given(RATINGS)
def test_star_distribution_adds_up_to_every_review(ratings):
    stars = star_distribution(ratings)
    assert sum(share.count for share in stars.values()) == len(ratings)
    assert all(share.total == len(ratings) for share in stars.values())


@given(st.lists(FACTS, max_size=60), PRIOR, WEIGHT, st.randoms())
def test_summary_does_not_depend_on_review_order(facts, prior_mean, weight, rng):
    shuffled = list(facts)
    rng.shuffle(shuffled)
    first = summarise(facts, prior_mean, weight, EFFECTS, RELIEF)
    second = summarise(shuffled, prior_mean, weight, EFFECTS, RELIEF)
    assert first.count == second.count
    assert first.stars == second.stars
    assert first.recommend == second.recommend
    assert first.side_effects == second.side_effects
    assert first.time_to_relief == second.time_to_relief
    assert sorted(first.by_condition, key=lambda o: o.condition) == sorted(
        second.by_condition, key=lambda o: o.condition
    )
    for key in ("staff", "safety", "value"):
        a, b = first.sub_ratings[key], second.sub_ratings[key]
        assert (a is None and b is None) or math.isclose(a, b)
    if first.bayesian is not None:
        assert math.isclose(first.bayesian, second.bayesian)


@given(st.lists(FACTS, max_size=60))
def test_every_share_is_a_proportion_of_those_who_answered(facts):
    summary = summarise(facts, 4.0, 10, EFFECTS, RELIEF)
    answered_effects = sum(1 for f in facts if f.side_effects)
    for share in summary.side_effects.values():
        assert share.total == answered_effects and 0 <= share.count <= share.total
    answered_relief = sum(1 for f in facts if f.time_to_relief)
    assert sum(s.count for s in summary.time_to_relief.values()) == answered_relief
    assert summary.recommend.total == sum(1 for f in facts if f.would_recommend is not None)
    assert sum(o.count for o in summary.by_condition) == sum(1 for f in facts if f.condition)


@given(st.lists(st.integers(1, 5) | st.none(), max_size=50))
def test_sub_rating_mean_ignores_missing_answers(values):
    present = [v for v in values if v is not None]
    mean = mean_or_none(values)
    assert (mean is None) == (not present)
    if present:
        assert min(present) <= mean <= max(present)


@given(st.lists(st.floats(1, 5), min_size=1, max_size=100), st.data())
def test_percentile_is_in_range_and_rises_with_the_value(population, data):
    low, high = sorted(data.draw(st.lists(st.sampled_from(population), min_size=2, max_size=2)))
    low_rank, high_rank = percentile_rank(low, population), percentile_rank(high, population)
    assert 0 <= low_rank <= high_rank <= 100
