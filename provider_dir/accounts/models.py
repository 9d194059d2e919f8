"""Accounts and their memberships of clinics."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_dir.accounts.vocab import MembershipRole, UserRole
from provider_dir.models.base import Base, enum_type, intpk, timestamp

if TYPE_CHECKING:
    from provider_dir.listings.models import Clinic


def new_session_token() -> str:
    """Return a fresh random per-user session token."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Base):
    """An account: pseudonymous for patients, named by role for everyone else."""

    __tablename__ = "user"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(enum_type(UserRole, "user_role"), default=UserRole.PATIENT)
    active: Mapped[bool] = mapped_column(default=True)
    # Rotated at login and logout, so a logout ends every copy of the session cookie.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token, index=True)
    created_at: Mapped[timestamp]
    last_login_at: Mapped[datetime | None]
    # None until the owner of the address follows the link mailed to it.
    email_confirmed_at: Mapped[datetime | None]

    memberships: Mapped[list[ClinicMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # flask-login reads this
        return self.active

    @property
    def email_confirmed(self) -> bool:
        """Return True once the owner of the address has followed the confirmation link."""
        return self.email_confirmed_at is not None

    def get_id(self) -> str:
        """Return the token flask-login stores in the session (not the row id)."""
        return self.session_token

    def has_role(self, *roles: UserRole) -> bool:
        """Return True when the account has one of the roles."""
        return self.role in roles

    def belongs_to(self, clinic_id: int) -> bool:
        """Return True when the account is an owner or staff member of the clinic."""
        return any(m.clinic_id == clinic_id for m in self.memberships)

    def __repr__(self) -> str:
        return f"<User {self.display_name} {self.role.value}>"


class ClinicMembership(Base):
    """Links an account to a clinic it owns or works at."""

    __tablename__ = "clinic_membership"
    __table_args__ = (UniqueConstraint("user_id", "clinic_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    role: Mapped[MembershipRole] = mapped_column(
        enum_type(MembershipRole, "membership_role"), default=MembershipRole.OWNER
    )
    created_at: Mapped[timestamp]

    user: Mapped[User] = relationship(back_populates="memberships")
    clinic: Mapped[Clinic] = relationship(back_populates="memberships")
