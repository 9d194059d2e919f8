"""The clinic listing."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    Index,
    Integer,
    String,
    Text,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.geo.index.columns import SearchPointMixin
from provider_dir.listings.vocab import ClinicStatus, Closure, Condition, InsuranceOption, Route, closure_as_of
from provider_dir.models.base import Base, enum_type, from_mask, intpk, timestamp, to_mask, utcnow

if TYPE_CHECKING:
    from provider_dir.accounts.models import ClinicMembership
    from provider_dir.credentials.models import StaffMember
    from provider_dir.reviews.models import Review
    from provider_dir.scoring.models import ChecklistAnswer


class Clinic(SearchPointMixin, Base):
    """A ketamine clinic's listing, with denormalised figures that search sorts on."""

    __tablename__ = "clinic"
    __table_args__ = (
        Index("ix_clinic_lat_lon", "latitude", "longitude"),
        Index("ix_clinic_state_city", "state", "city"),
        # Serves the directory's order and the home page's count per city from the index alone.
        Index("ix_clinic_directory", "status", "state", "city", "name", "id"),
        # The HSDS API's modified_after (opendata/hsds_api): a range of one status's change times.
        Index("ix_clinic_status_updated_at", "status", "updated_at"),
        # The clinics flagged as having verified staff credentials, which the daily lapse check reads
        # (credentials/lapsed.py): a narrow index of those ids instead of a pass over the whole wide table.
        # Partial, and written as the check writes its test ("IS true"), so that only queries stating that test
        # use it: a search for verified clinics must keep walking the score or rating index.
        Index("ix_clinic_credentials_flagged", "has_verified_credentials", "id",
              sqlite_where=text("has_verified_credentials IS 1"),
              postgresql_where=text("has_verified_credentials IS true")),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("price_per_infusion_usd IS NULL OR price_per_infusion_usd >= 0", name="price_nonneg"),
        CheckConstraint("price_series_usd IS NULL OR price_series_usd >= 0", name="series_nonneg"),
    )

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    zip_code: Mapped[str] = mapped_column(String(10))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(30), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(300), default="")  # notes about hours, beside opening_hours
    # Structured hours (provider_dir/hours): [{"day": 0, "opens": "09:00", "closes": "17:00"}, ...], Monday = 0;
    # open_evenings / open_weekends derive from it for the search filters (set together by set_opening_hours).
    opening_hours: Mapped[list[dict]] = mapped_column(JSON, default=list)
    open_evenings: Mapped[bool] = mapped_column(default=False, server_default=false())
    open_weekends: Mapped[bool] = mapped_column(default=False, server_default=false())
    routes_mask: Mapped[int] = mapped_column(Integer, default=0)
    conditions_mask: Mapped[int] = mapped_column(Integer, default=0)
    price_per_infusion_usd: Mapped[int | None] = mapped_column(Integer)
    price_series_usd: Mapped[int | None] = mapped_column(Integer)
    series_infusions: Mapped[int | None] = mapped_column(Integer)
    insurance: Mapped[InsuranceOption] = mapped_column(
        enum_type(InsuranceOption, "clinic_insurance"), default=InsuranceOption.NONE
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["English"])
    accessibility: Mapped[str] = mapped_column(String(500), default="")
    accepting_new_patients: Mapped[bool] = mapped_column(default=True)
    telehealth_intake: Mapped[bool] = mapped_column(default=False)
    # Psychotherapy offered alongside ketamine (integration sessions, KAP); a search filter.
    offers_psychotherapy: Mapped[bool] = mapped_column(default=False, server_default=false())
    # True, False, or None when the clinic has not said: search's "wheelchair accessible" needs True.
    wheelchair_accessible: Mapped[bool | None] = mapped_column()
    # The patient filters as bits (provider_dir/geo/filters/bits.py), kept by triggers from the columns above.
    search_facets: Mapped[int | None] = mapped_column(Integer)
    # The same bits spread out for counting them six at a time (bits.py), kept by the same triggers.
    facet_tally_0: Mapped[int | None] = mapped_column(BigInteger)
    facet_tally_1: Mapped[int | None] = mapped_column(BigInteger)
    facet_tally_2: Mapped[int | None] = mapped_column(BigInteger)
    facet_tally_3: Mapped[int | None] = mapped_column(BigInteger)
    facet_tally_4: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[ClinicStatus] = mapped_column(
        enum_type(ClinicStatus, "clinic_status"), default=ClinicStatus.DRAFT, index=True
    )
    # Operating status (open / temporarily / permanently closed), apart from the moderation status above; a
    # temporary closure with a reopening date ends by itself on that date (see effective_closure).
    closure: Mapped[Closure] = mapped_column(
        enum_type(Closure, "clinic_closure"), default=Closure.OPEN, server_default=Closure.OPEN.value
    )
    reopens_on: Mapped[date | None] = mapped_column(Date)
    last_verified_on: Mapped[date | None] = mapped_column(Date)
    # Set by every owner save (shown as "last edited"); last_verified_on by every moderator check.
    last_edited_at: Mapped[datetime | None]
    # Denormalised for search; kept current by the scoring and reviews features.
    score_total: Mapped[float | None] = mapped_column(Float)
    rating_avg: Mapped[float | None] = mapped_column(Float)
    rating_bayes: Mapped[float | None] = mapped_column(Float)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    has_verified_credentials: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]
    # When the listing last changed through the ORM (see _stamp_edit below); bulk statements that write derived
    # figures (ratings, scores, the credentials flag) leave it alone without naming it.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[list[StaffMember]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan", order_by="StaffMember.sort_order"
    )
    reviews: Mapped[list[Review]] = relationship(back_populates="clinic", cascade="all, delete-orphan")
    checklist_answers: Mapped[list[ChecklistAnswer]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[ClinicMembership]] = relationship(
        back_populates="clinic", cascade="all, delete-orphan"
    )

    @property
    def routes(self) -> list[Route]:
        """Routes offered, in a fixed order."""
        return from_mask(self.routes_mask or 0, Route)

    @routes.setter
    def routes(self, values) -> None:
        self.routes_mask = to_mask(values, Route)

    @property
    def conditions(self) -> list[Condition]:
        """Conditions treated, in a fixed order."""
        return from_mask(self.conditions_mask or 0, Condition)

    @conditions.setter
    def conditions(self, values) -> None:
        self.conditions_mask = to_mask(values, Condition)

    def effective_closure(self, today: date | None = None) -> Closure:
        """Return the closure as of today: a temporary closure whose reopening date has come is open again."""
        return closure_as_of(self.closure, self.reopens_on, today)

    @property
    def address_line(self) -> str:
        """The postal address on one line."""
        return f"{self.street}, {self.city}, {self.state} {self.zip_code}"

    def __repr__(self) -> str:
        return f"<Clinic {self.slug}>"


@event.listens_for(Clinic, "before_update")
def _stamp_edit(mapper, connection, target: Clinic) -> None:
    """Set updated_at when a flush changes the clinic's row, as a column onupdate would.

    Not an onupdate: SQLAlchemy adds an onupdate column to every UPDATE statement that does not name it, so the bulk
    statements that rewrite ratings or scores had to set updated_at to itself, and SQLite then moves the row's entry
    in every index holding updated_at (the HSDS API's), at a random leaf: the one part of a ratings rewrite that grew
    faster than the table.
    """
    state = inspect(target)
    changed = [attr for attr in mapper.column_attrs if state.attrs[attr.key].history.has_changes()]
    if changed and not any(attr.key == "updated_at" for attr in changed):
        target.updated_at = utcnow()
