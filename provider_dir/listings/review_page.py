"""One page of a clinic's published reviews for its page, by statements built once per kind of filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, select

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.listings.vocab import Condition, Route
from provider_dir.models.prefetch import Read
from provider_dir.models.reads import driver_rows
from provider_dir.portal.models import ClinicReply
from provider_dir.reviews.filters import ReviewFilters
from provider_dir.reviews.forms import ANSWER_FIELDS
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import Answer, ReviewStatus, TimeToRelief


def _narrowed(statement: Select, condition: bool, verified_only: bool, stars: bool) -> Select:
    statement = statement.where(Review.clinic_id == bindparam("clinic_id"), Review.status == ReviewStatus.APPROVED)
    if condition:
        statement = statement.where(Review.condition == bindparam("condition"))
    if verified_only:
        statement = statement.where(Review.verified_patient.is_(True))
    if stars:
        statement = statement.where(Review.rating_overall == bindparam("stars"))
    return statement


@dataclass(frozen=True, slots=True)
class PageReview:
    """A published review as the clinic page shows it, read as one row (names as on Review)."""

    id: int
    rating_overall: int
    verified_patient: bool
    author_name: str
    created_at: datetime
    title: str
    body: str
    would_recommend: bool | None
    condition: Condition | None
    route: Route | None
    sessions_count: int | None
    time_to_relief: TimeToRelief | None
    side_effects_mask: int
    answers: tuple[Answer | None, ...]  # in ANSWER_FIELDS' order
    reply_body: str | None  # the clinic's reply, if any

    # Review's own, read from these values.
    month_label = Review.month_label
    side_effects = Review.side_effects

    @property
    def answered(self) -> list[tuple[str, str]]:
        """Return (question, answer) for each structured question answered, in the form's order."""
        return [(question, answer.label)
                for (_name, question), answer in zip(ANSWER_FIELDS, self.answers, strict=True) if answer]


_COLUMNS = (Review.id, Review.rating_overall, Review.verified_patient, User.display_name, Review.created_at,
            Review.title, Review.body, Review.would_recommend, Review.condition, Review.route, Review.sessions_count,
            Review.time_to_relief, Review.side_effects_mask)
_ANSWERS = tuple(getattr(Review, name) for name, _question in ANSWER_FIELDS)


# Built once per combination of filters (the values go in as parameters): building the select with its joins
# and its LIMIT on every page cost more than running it. Rows, not objects: the page changes nothing, and
# loading reviews, authors and replies as objects cost about 0.3 ms of a clinic page.
@cache
def _items(condition: bool, verified_only: bool, stars: bool) -> Select:
    return (
        _narrowed(select(*_COLUMNS, *_ANSWERS, ClinicReply.body), condition, verified_only, stars)
        .select_from(Review)
        .join(User, User.id == Review.author_id)
        .outerjoin(ClinicReply, ClinicReply.review_id == Review.id)
        .order_by(Review.published_at.desc().nulls_last(), Review.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


@cache
def _count(condition: bool, verified_only: bool, stars: bool) -> Select:
    return _narrowed(select(func.count()).select_from(Review), condition, verified_only, stars)


class ReviewPage(Pagination):
    """A page of a clinic's published reviews, newest first, narrowed by the page's filters."""

    def _shape_and_params(self) -> tuple[tuple[bool, bool, bool], dict]:
        return _shape_and_params(self._query_args["clinic_id"], self._query_args["filters"])

    def _query_items(self) -> list[PageReview]:
        answers = len(_ANSWERS)
        read = items_read(self._query_args["clinic_id"], self._query_args["filters"], self.per_page,
                          self._query_offset)
        return [PageReview(*row[:13], tuple(row[13:13 + answers]), row[13 + answers])
                for row in driver_rows(db.session, *read)]

    def _query_count(self) -> int:
        return self.count_all()

    def count_all(self) -> int:
        """Return how many reviews match, over all pages."""
        shape, params = self._shape_and_params()
        [(count,)] = driver_rows(db.session, _count(*shape), params)
        return count


def _shape_and_params(clinic_id: int, filters: ReviewFilters) -> tuple[tuple[bool, bool, bool], dict]:
    shape = (filters.condition is not None, filters.verified_only, filters.stars is not None)
    params = {"clinic_id": clinic_id, "condition": filters.condition, "stars": filters.stars}
    return shape, {name: value for name, value in params.items() if value is not None}


def items_read(clinic_id: int, filters: ReviewFilters, per_page: int, offset: int) -> Read:
    """Return the read of a page of reviews (for models.prefetch: page `n` is at offset (n - 1) * per_page)."""
    shape, params = _shape_and_params(clinic_id, filters)
    return Read(_items(*shape), {**params, "limit": per_page, "offset": offset})


def review_page(clinic_id: int, filters: ReviewFilters, page: int, per_page: int) -> ReviewPage:
    """Return the reviews on page `page` (its total left to the caller, see listings.views.paginate_or_404)."""
    return ReviewPage(page=page, per_page=per_page, error_out=False, count=False, clinic_id=clinic_id, filters=filters)
