"""Structured review answers drawn to agree with the star rating and with how well the clinic works."""

from __future__ import annotations

from dataclasses import dataclass

from provider_dir.listings.vocab import Condition, Route
from provider_dir.reviews.vocab import Answer, SideEffect, TimeToRelief
from provider_dir.seeding.quickrandom import QuickRandom

# Star weights (1..5 stars) by clinic tier: mostly 4-5 with a real tail of 1-2, median about 4.
RATING_WEIGHTS = {
    "strong": (4, 3, 7, 28, 58),
    "solid": (7, 5, 10, 31, 47),
    "basic": (11, 7, 13, 31, 38),
    "weak": (24, 13, 14, 23, 26),
}
# How a rating bends the chance of a "yes" about the clinic's care.
RATING_FACTOR = {1: 0.55, 2: 0.75, 3: 0.92, 4: 1.0, 5: 1.03}
RELIEF_WEIGHTS = {5: (35, 45, 18, 2), 4: (22, 46, 27, 5), 3: (8, 30, 40, 22), 2: (4, 14, 32, 50), 1: (2, 6, 17, 75)}
RELIEF_ORDER = (TimeToRelief.HOURS, TimeToRelief.DAYS, TimeToRelief.WEEKS, TimeToRelief.NONE)
RECOMMEND = {5: 0.98, 4: 0.9, 3: 0.45, 2: 0.1, 1: 0.03}
CONDITION_WEIGHT = {
    Condition.DEPRESSION: 40, Condition.ANXIETY: 14, Condition.PTSD: 12, Condition.OCD: 4, Condition.BIPOLAR: 4,
    Condition.SUICIDAL: 3, Condition.FIBROMYALGIA: 6, Condition.CRPS: 4, Condition.NEUROPATHIC: 5,
    Condition.MIGRAINE: 5, Condition.OTHER_PAIN: 5,
}
ROUTE_WEIGHT = {Route.IV: 70, Route.IM: 8, Route.ESKETAMINE: 15, Route.ORAL: 7}
EFFECT_CHANCE = {
    SideEffect.NAUSEA: 0.22, SideEffect.DIZZINESS: 0.25, SideEffect.RAISED_BP: 0.12,
    SideEffect.DISSOCIATION: 0.45, SideEffect.FATIGUE: 0.30, SideEffect.OTHER: 0.04,
}
EFFECT_BITS = {effect: 1 << i for i, effect in enumerate(SideEffect)}


@dataclass(frozen=True)
class Care:
    """How often a clinic does the things patients are asked about (chance of a 'yes')."""

    evaluated: float
    vitals: float
    clinician: float
    ride: float
    tracked: float
    private_room: float
    price: float
    therapy: float


CARE = {
    "strong": Care(0.97, 0.97, 0.95, 0.95, 0.9, 0.85, 0.93, 0.8),
    "solid": Care(0.92, 0.92, 0.88, 0.92, 0.75, 0.75, 0.88, 0.6),
    "basic": Care(0.82, 0.85, 0.78, 0.85, 0.55, 0.6, 0.8, 0.35),
    "weak": Care(0.6, 0.62, 0.55, 0.7, 0.3, 0.45, 0.62, 0.15),
}


def _answer(rng: QuickRandom, chance: float, rating: int) -> Answer:
    if rng.random() < 0.06:
        return Answer.NOT_SURE
    return Answer.YES if rng.random() < min(0.99, chance * RATING_FACTOR[rating]) else Answer.NO


def _clamp(value: int) -> int:
    return 1 if value < 1 else (5 if value > 5 else value)


def draw_rating(rng: QuickRandom, tier: str) -> int:
    """Return an overall star rating for a review of a clinic of this tier."""
    return rng.weighted((1, 2, 3, 4, 5), RATING_WEIGHTS[tier])


def review_fields(rng: QuickRandom, *, rating: int, tier: str, routes: list[Route],
                  conditions: list[Condition], has_therapist: bool) -> dict:
    """Return every structured field of a review, consistent with its rating and the clinic."""
    care = CARE[tier]
    route = rng.weighted(routes, [ROUTE_WEIGHT[r] for r in routes]) if routes else Route.IV
    condition = rng.weighted(conditions, [CONDITION_WEIGHT[c] for c in conditions]) \
        if conditions else Condition.DEPRESSION
    vitals = _answer(rng, care.vitals, rating)
    clinician = _answer(rng, care.clinician, rating)
    price = _answer(rng, care.price, rating)
    therapy = _answer(rng, care.therapy if has_therapist else 0.05, rating)
    ride_chance = care.ride if route != Route.ORAL else care.ride * 0.6
    effect_boost = 1.4 if route == Route.ESKETAMINE else 1.0
    effects = [e for e, p in EFFECT_CHANCE.items() if rng.random() < p * effect_boost]
    if route == Route.ESKETAMINE:
        sessions = rng.randint(8, 30) if rating >= 3 else rng.randint(2, 8)
    elif route == Route.ORAL:
        sessions = rng.randint(3, 10)
    elif rating >= 4:
        sessions = rng.choice([6, 6, 6, 6, 4, 5, 7, 8, 10, 12, 14, 18, 24])
    else:
        sessions = rng.randint(1, 4) if rating <= 2 else rng.randint(2, 8)
    safety_dip = 1 if Answer.NO in (vitals, clinician) else 0
    return dict(
        rating_overall=rating,
        rating_staff=_clamp(rating + rng.choice((-1, 0, 0, 0, 1))),
        rating_safety=_clamp(rating + rng.choice((-1, 0, 0, 0, 1)) - safety_dip),
        rating_value=_clamp(rating + rng.choice((-1, -1, 0, 0, 1)) - (1 if price == Answer.NO else 0)),
        condition=condition,
        route=route,
        sessions_count=sessions,
        time_to_relief=rng.weighted(RELIEF_ORDER, RELIEF_WEIGHTS[rating]),
        side_effects=effects or [SideEffect.NONE],
        evaluated_before=_answer(rng, care.evaluated, rating),
        vitals_monitored=vitals,
        clinician_present=clinician,
        ride_required=_answer(rng, ride_chance, rating),
        symptoms_tracked=_answer(rng, care.tracked, rating),
        private_room=_answer(rng, care.private_room, rating),
        price_matched=price,
        psychotherapy_offered=therapy,
        would_recommend=rng.random() < RECOMMEND[rating],
    )


def side_effects_mask(effects: list[SideEffect]) -> int:
    """Return the bit mask the Review model stores for a list of side effects."""
    mask = 0
    for effect in effects:
        mask |= EFFECT_BITS[effect]
    return mask
