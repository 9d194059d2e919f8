"""The content version: one number that grows whenever a write could change what a public page shows."""

from __future__ import annotations

from sqlalchemy import BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

from provider_dir.models.base import Base

VERSION_ROW_ID = 1


class ContentVersion(Base):
    """A single row whose number every committed write to public data increases (see pagecache.versioning)."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(BigInteger, default=0)


@event.listens_for(ContentVersion.__table__, "after_create")
def _insert_the_row(table, connection, **kw) -> None:
    # Databases made by create_all (not by the migrations) get the row too; without it pages are never kept.
    connection.execute(table.insert().values(id=VERSION_ROW_ID, number=0))
