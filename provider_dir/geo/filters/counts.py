"""How many clinics in the circle each patient filter would leave: one statement beside every search."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlalchemy.orm import Session

from provider_dir.geo.filters.bits import known_language, need_mask
from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.geo.search import SearchQuery, SortOrder, capped, count_among_matches


@dataclass(frozen=True)
class FilterCounts:
    """Counts beside the filters, by value; `exact` is False when they were taken among the first COUNT_CAP."""

    features: dict[str, int] = field(default_factory=dict)
    payments: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    exact: bool = True

    total: int | None = None  # matches of the search without its language and way to pay, up to COUNT_CAP + 1
    # That search's page nearest first (rows of id, d2) among the matches counted; None where not read (SQLite).
    nearest: list | None = field(default=None, repr=False, compare=False)
    nearest_whole: bool = field(default=False, repr=False, compare=False)  # nearest is the page among every match

    def total_for(self, query: SearchQuery) -> tuple[int, bool] | None:
        """Return the search's own (capped total, exact) when these counts hold it: no language or way to pay."""
        if self.total is None or query.language or query.payment:
            return None
        return capped(self.total)

    def page_for(self, query: SearchQuery) -> list | None:
        """Return the search's own page nearest first when these counts read every match of it, else None."""
        known = self.total_for(query)
        whole = known is not None and (known[1] or self.nearest_whole)
        return self.nearest if whole and query.sort is SortOrder.DISTANCE else None  # None when not read

    def as_json(self) -> dict:
        """Return the counts as the API gives them."""
        return {"features": self.features, "payment": self.payments, "language": self.languages,
                "exact": self.exact}


@lru_cache(maxsize=256)  # one per language offered and way to pay, or none: a few dozen at most
def _counted(language: str | None, payment: str | None) -> tuple[tuple[int, int], ...]:
    """Return each count as (the filters it keeps, the bit of the value counted), features, ways to pay, languages."""
    return (*((need_mask(language, payment), need_mask(features=[f])) for f in Feature),
            *((need_mask(language), need_mask(payment=p)) for p in Payment),
            *((need_mask(payment=payment), need_mask(name)) for name in LANGUAGES))


def filter_counts(session: Session, query: SearchQuery) -> FilterCounts:
    """Return, for each filter value, how many clinics of this search would match with it chosen.

    A yes-or-no feature counts with every other filter kept; a way to pay or a language counts as if it
    replaced the one chosen (picking another language does not also keep the first).
    """
    # A language without a bit (not one the filters offer) cannot be counted with: it is left out of the counts.
    language = query.language if known_language(query.language) else None
    counted = _counted(language.lower() if language else None, query.payment)
    row, nearest, whole = count_among_matches(session, replace(query, language=None, payment=None), counted)
    values = list(row)[1:]
    features, payments = len(Feature), len(Payment)
    return FilterCounts(
        features={f.value: int(n) for f, n in zip(Feature, values[:features], strict=True)},
        payments={p.value: int(n) for p, n in zip(Payment, values[features:features + payments], strict=True)},
        languages={name: int(n) for name, n in zip(LANGUAGES, values[features + payments:], strict=True)},
        exact=capped(int(row[0]))[1],
        total=int(row[0]),
        nearest=nearest,
        nearest_whole=whole,
    )
