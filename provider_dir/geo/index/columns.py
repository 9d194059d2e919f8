"""Derived copies of a clinic's position that radius search reads: its grid cell and its Earth-centred x, y, z.

They are kept by the database itself (triggers, see provider_dir.geo.index.triggers) for every writer, bulk
inserts included, and by the ORM on save (provider_dir.geo.places.placement) so loaded objects agree.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer
from sqlalchemy.orm import Mapped, mapped_column


class SearchPointMixin:
    """Columns that make radius search an index range scan plus arithmetic (see provider_dir.geo.distance)."""

    geo_cell: Mapped[int | None] = mapped_column(Integer)
    geo_x: Mapped[float | None] = mapped_column(Float)
    geo_y: Mapped[float | None] = mapped_column(Float)
    geo_z: Mapped[float | None] = mapped_column(Float)
