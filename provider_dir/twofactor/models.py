"""An account's authenticator key and its recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_dir.models.base import Base, intpk, timestamp


class SecondFactor(Base):
    """One account's TOTP key, encrypted; it counts once confirmed with a code from the app."""

    __tablename__ = "second_factor"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # Fernet token of the base32 key (codes.encrypt); the key itself is shown only until setup is confirmed.
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[timestamp]
    # None while the account is still setting it up: until then log-in does not ask for a code.
    confirmed_at: Mapped[datetime | None]
    # The last TOTP time step accepted: a code of that step or an earlier one is refused (no replay).
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def confirmed(self) -> bool:
        """Return True once the account has proved it can read codes from the app."""
        return self.confirmed_at is not None


class RecoveryCode(Base):
    """A single-use code for when the phone is lost; only its SHA-256 is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[timestamp]
    used_at: Mapped[datetime | None]
