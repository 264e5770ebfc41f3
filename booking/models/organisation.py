"""Units of the organisation, the people in them, and their credentials."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base


class Role(StrEnum):
    """What a person may do: staff book for themselves; a unit manager also acts for the people of their unit and
    its sub-units; a planner edits scenarios and runs the optimiser; a committee member reads and compares them and
    saves proposals; a facilities admin runs the building (rules, blocks, zones, loads, people) and may plan."""

    STAFF = "staff"
    MANAGER = "manager"
    PLANNER = "planner"
    COMMITTEE = "committee"
    ADMIN = "admin"


class TokenKind(StrEnum):
    API = "api"  # bearer token from POST /api/auth/token
    SESSION = "session"  # page session cookie
    CALENDAR = "calendar"  # the secret of a personal iCalendar feed's URL


class Unit(Base):
    """A department, section or team; ``parent_id`` makes the tree."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)


class User(Base):
    """A person who books desks. ``id`` is the login name; ``search_key`` is the name and e-mail, NFKC-normalised
    and case-folded, so that a substring search finds ``ｽｽﾞｷ`` as ``スズキ`` and ``SATO`` as ``sato``."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.STAFF.value)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(600), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]

    unit: Mapped[Unit | None] = relationship(lazy="raise")


class Token(Base):
    """An opaque secret handed to a client; only its keyed digest is stored. Revoked by setting ``revoked_at``."""

    __tablename__ = "tokens"
    __table_args__ = (Index("ix_tokens_user_kind", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="raise")
