"""One page of a clinic's published reviews for its page, by statements built once per kind of filter."""

from __future__ import annotations

from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from provider_dir.accounts.models import User
from provider_dir.extensions import db
from provider_dir.models.reads import column_rows
from provider_dir.portal.models import ClinicReply
from provider_dir.reviews.filters import ReviewFilters
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus


def _narrowed(statement: Select, condition: bool, verified_only: bool, stars: bool) -> Select:
    statement = statement.where(Review.clinic_id == bindparam("clinic_id"), Review.status == ReviewStatus.APPROVED)
    if condition:
        statement = statement.where(Review.condition == bindparam("condition"))
    if verified_only:
        statement = statement.where(Review.verified_patient.is_(True))
    if stars:
        statement = statement.where(Review.rating_overall == bindparam("stars"))
    return statement


# Built once per combination of filters (the values go in as parameters): building the select with its loader
# options and its LIMIT on every page cost more than running it. The page shows each author's name and the clinic's
# reply, joined here (reviews.template_globals.replies_for then asks nothing more).
@cache
def _items(condition: bool, verified_only: bool, stars: bool) -> Select:
    return (
        _narrowed(select(Review), condition, verified_only, stars)
        .options(joinedload(Review.author).load_only(User.display_name),
                 joinedload(Review.reply).load_only(ClinicReply.body))
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
        filters: ReviewFilters = self._query_args["filters"]
        shape = (filters.condition is not None, filters.verified_only, filters.stars is not None)
        params = {"clinic_id": self._query_args["clinic_id"], "condition": filters.condition, "stars": filters.stars}
        return shape, {name: value for name, value in params.items() if value is not None}

    def _query_items(self) -> list[Review]:
        shape, params = self._shape_and_params()
        params.update(limit=self.per_page, offset=self._query_offset)
        return list(db.session.scalars(_items(*shape), params))

    def _query_count(self) -> int:
        return self.count_all()

    def count_all(self) -> int:
        """Return how many reviews match, over all pages."""
        shape, params = self._shape_and_params()
        return column_rows(db.session, _count(*shape), params).scalar()


def review_page(clinic_id: int, filters: ReviewFilters, page: int, per_page: int) -> ReviewPage:
    """Return the reviews on page `page` (its total left to the caller, see listings.views.paginate_or_404)."""
    return ReviewPage(page=page, per_page=per_page, error_out=False, count=False, clinic_id=clinic_id, filters=filters)
