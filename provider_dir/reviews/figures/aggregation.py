"""Rating aggregation that is fair to small samples: plain functions, no Flask, no database.

Callers pass only approved reviews; every function is order-independent.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

STARS = (1, 2, 3, 4, 5)
# z for a two-sided 95 % interval.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class ReviewFacts:
    """The parts of one approved review that aggregation reads."""

    rating: int
    staff: int | None = None
    safety: int | None = None
    value: int | None = None
    would_recommend: bool | None = None
    side_effects: frozenset[str] = frozenset()
    time_to_relief: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class Share:
    """A count out of a total, with the Wilson lower bound of the share."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        """The raw share, or None when nobody answered."""
        return self.count / self.total if self.total else None

    @property
    def lower_bound(self) -> float | None:
        """The 95 % Wilson lower bound, or None when nobody answered."""
        return wilson_lower_bound(self.count, self.total) if self.total else None

    @property
    def percent(self) -> int:
        """The share as a whole percentage (0 when nobody answered)."""
        return round(100 * self.count / self.total) if self.total else 0


@dataclass(frozen=True)
class ConditionOutcome:
    """How patients treated for one condition fared."""

    condition: str
    count: int
    mean_rating: float
    recommend: Share
    relief: Share  # reported any relief, out of those who answered the relief question


@dataclass(frozen=True)
class RatingSummary:
    """Every aggregate the clinic page shows."""

    count: int
    mean: float | None
    bayesian: float | None
    stars: dict[int, Share]
    sub_ratings: dict[str, float | None]
    recommend: Share
    side_effects: dict[str, Share]
    time_to_relief: dict[str, Share]
    by_condition: list[ConditionOutcome] = field(default_factory=list)


def bayesian_average(rating_sum: float, count: int, prior_mean: float | None, prior_weight: float) -> float | None:
    """Shrink a clinic's mean towards the site mean by prior_weight imaginary reviews; None without reviews."""
    if count <= 0:
        return None
    if prior_mean is None or prior_weight <= 0:
        return rating_sum / count
    return (prior_weight * prior_mean + rating_sum) / (prior_weight + count)


def wilson_lower_bound(successes: int, total: int, z: float = Z95) -> float:
    """Return the lower bound of the Wilson score interval for successes out of total."""
    if total <= 0:
        return 0.0
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    p = successes / total
    z2 = z * z
    centre = p + z2 / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    return max(0.0, (centre - margin) / (1 + z2 / total))


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are present, or None when none are."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def star_distribution(ratings: Iterable[int]) -> dict[int, Share]:
    """Return how many reviews gave each star rating, 1 to 5, out of all of them."""
    counts = Counter(ratings)
    unknown = set(counts) - set(STARS)
    if unknown:
        raise ValueError(f"ratings outside 1-5: {sorted(unknown)}")
    total = sum(counts.values())
    return {star: Share(counts[star], total) for star in STARS}


def recommend_share(answers: Iterable[bool | None]) -> Share:
    """Return the share who would recommend, out of those who answered."""
    answered = [a for a in answers if a is not None]
    return Share(sum(1 for a in answered if a), len(answered))


def category_distribution(values: Iterable[str | None], categories: Sequence[str]) -> dict[str, Share]:
    """Return each category's share among the answers given (unanswered values are left out)."""
    answered = [v for v in values if v is not None]
    counts = Counter(answered)
    return {c: Share(counts[c], len(answered)) for c in categories}


def side_effect_frequencies(reported: Iterable[Collection[str]], categories: Sequence[str]) -> dict[str, Share]:
    """Return how often each side effect was reported, out of the reviews that answered the question."""
    answered = [set(effects) for effects in reported if effects]
    return {c: Share(sum(1 for effects in answered if c in effects), len(answered)) for c in categories}


def outcomes_by_condition(facts: Iterable[ReviewFacts], no_relief: str = "none") -> list[ConditionOutcome]:
    """Split ratings, recommendation and relief by condition treated, most reviewed first."""
    groups: dict[str, list[ReviewFacts]] = {}
    for fact in facts:
        if fact.condition is not None:
            groups.setdefault(fact.condition, []).append(fact)
    outcomes = []
    for condition, group in groups.items():
        relief_answers = [f.time_to_relief for f in group if f.time_to_relief is not None]
        outcomes.append(
            ConditionOutcome(
                condition=condition,
                count=len(group),
                mean_rating=sum(f.rating for f in group) / len(group),
                recommend=recommend_share(f.would_recommend for f in group),
                relief=Share(sum(1 for r in relief_answers if r != no_relief), len(relief_answers)),
            )
        )
    return sorted(outcomes, key=lambda o: (-o.count, o.condition))


def percentile_from_counts(below: int, equal: int, total: int) -> float | None:
    """Percentile rank (0-100) of a value given how many values lie below it and equal it (itself included)."""
    if total <= 0:
        return None
    if below < 0 or equal < 0 or below + equal > total:
        raise ValueError("below and equal must be counts within total")
    return 100.0 * (below + 0.5 * equal) / total


def percentile_rank(value: float, population: Iterable[float]) -> float | None:
    """Percentile rank (0-100) of value within a population that contains it."""
    values = list(population)
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return percentile_from_counts(below, equal, len(values))


def summarise(
    facts: Sequence[ReviewFacts],
    prior_mean: float | None,
    prior_weight: float,
    side_effect_categories: Sequence[str],
    relief_categories: Sequence[str],
) -> RatingSummary:
    """Compute every aggregate of one clinic's approved reviews."""
    count = len(facts)
    rating_sum = sum(f.rating for f in facts)
    return RatingSummary(
        count=count,
        mean=rating_sum / count if count else None,
        bayesian=bayesian_average(rating_sum, count, prior_mean, prior_weight),
        stars=star_distribution(f.rating for f in facts),
        sub_ratings={
            "staff": mean_or_none(f.staff for f in facts),
            "safety": mean_or_none(f.safety for f in facts),
            "value": mean_or_none(f.value for f in facts),
        },
        recommend=recommend_share(f.would_recommend for f in facts),
        side_effects=side_effect_frequencies((f.side_effects for f in facts), side_effect_categories),
        time_to_relief=category_distribution((f.time_to_relief for f in facts), relief_categories),
        by_condition=outcomes_by_condition(facts),
    )
