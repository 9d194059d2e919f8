"""The cache of online geocoder answers, and the indexes that radius search reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

import provider_dir.geo.index.sqlite_math  # noqa: F401 - SQLite connections get math functions
import provider_dir.geo.places.placement  # noqa: F401 - coordinates on save
from provider_dir.credentials.models import StaffMember
from provider_dir.geo.filters.bits import TALLY_COLUMNS
from provider_dir.geo.filters.bits import create_statements as facet_triggers
from provider_dir.geo.index.triggers import create_statements
from provider_dir.geo.names import ddl
from provider_dir.listings.models import Clinic
from provider_dir.models.base import Base, intpk, timestamp


class GeocodeCacheEntry(Base):
    """One answer of an online geocoder for a normalised query, so the service is asked once."""

    __tablename__ = "geocode_cache"
    __table_args__ = (UniqueConstraint("service", "query"),)

    id: Mapped[intpk]
    service: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[timestamp]

    def is_fresh(self, now: datetime, max_age_days: int) -> bool:
        """Return True while the answer is younger than max_age_days."""
        return (now - self.created_at).days < max_age_days


# Within a band of the grid, cells are contiguous: one range scan per band reads every clinic near the
# origin, with the columns that the distance and the filters need, without touching the table. The status
# comes after the position on purpose: as a leading equality it made SQLite build a Bloom filter over the
# whole table for searches that cover many bands.
SEARCH_INDEX = Index(
    "ix_clinic_geo_search",
    Clinic.geo_cell,
    Clinic.geo_x,
    Clinic.geo_y,
    Clinic.geo_z,
    Clinic.status,
    Clinic.closure,
    Clinic.reopens_on,
    Clinic.conditions_mask,
    Clinic.routes_mask,
    Clinic.price_per_infusion_usd,
    Clinic.score_total,
    Clinic.rating_bayes,
    Clinic.has_verified_credentials,
    Clinic.accepting_new_patients,
    Clinic.search_facets,
    *(Clinic.__table__.c[name] for name in TALLY_COLUMNS),
    Clinic.id,
)
# Where thousands of clinics lie within the radius, the best-scored (or best-rated) near ones are found
# by walking these from the top and keeping those inside the circle.
# The closure columns ride along at the end so that the open-clinics filter is read from the index too.
WALK_TAIL = (Clinic.id, Clinic.geo_x, Clinic.geo_y, Clinic.geo_z, Clinic.closure, Clinic.reopens_on)
Index("ix_clinic_score_walk", Clinic.status, Clinic.score_total, *WALK_TAIL)
Index("ix_clinic_rating_walk", Clinic.status, Clinic.rating_bayes, *WALK_TAIL)


@event.listens_for(Clinic.__table__, "after_create")
def _install_triggers(table, connection, **kw) -> None:
    # Databases made by create_all (not by the migrations) get the same triggers.
    for statement in create_statements(connection.dialect.name) + facet_triggers(connection.dialect.name):
        connection.exec_driver_sql(statement)


@event.listens_for(StaffMember.__table__, "after_create")
def _install_name_search(table, connection, **kw) -> None:
    # Databases made by create_all get the name-search indexes too (staff_member is created after clinic).
    ddl.install(connection)
