"""The typed declarative base, its naming convention and shared column types."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, TypeVar

from sqlalchemy import DateTime, Enum, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always read back as aware UTC, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
timestamp = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, nullable=False)]
str80 = Annotated[str, mapped_column(String(80))]
str200 = Annotated[str, mapped_column(String(200))]


class Base(DeclarativeBase):
    """The one declarative base of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


E = TypeVar("E", bound=enum.Enum)


def enum_values(enum_cls: type[enum.Enum]) -> list[str]:
    """Return the stored values of an enum, in declaration order."""
    return [member.value for member in enum_cls]


def to_mask(members: Iterable[E], enum_cls: type[E]) -> int:
    """Encode a set of enum members as a bit mask (bit i = i-th member)."""
    order = list(enum_cls)
    mask = 0
    for member in members:
        mask |= 1 << order.index(enum_cls(member))
    return mask


def from_mask(mask: int, enum_cls: type[E]) -> list[E]:
    """Decode a bit mask into enum members, in declaration order."""
    return list(_members_of_mask(mask, enum_cls))


@lru_cache(maxsize=4096)
def _members_of_mask(mask: int, enum_cls: type[E]) -> tuple[E, ...]:
    # Kept per mask: iterating an enum runs a generator in Python, and a page of search results decodes forty masks.
    return tuple(member for i, member in enumerate(enum_cls) if mask & (1 << i))


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a human label: Member = ("value", "Label")."""

    label: str

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return (value, label) pairs for forms."""
        return [(m.value, m.label) for m in cls]


def enum_type(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Return a portable (non-native) enum column type with a named CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        values_callable=enum_values,
        length=max(len(v) for v in enum_values(enum_cls)),
        validate_strings=True,
    )
