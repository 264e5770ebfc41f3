"""Bookings, and the responses remembered for Idempotency-Key headers.

A booking holds one desk for the half-open interval [start_utc, end_utc). On PostgreSQL two exclusion constraints
(created by the migration, see ``booking/migrations/versions/0001_initial.py``) make overlaps impossible:

- ``EXCLUDE USING gist (desk_id WITH =, tstzrange(start_utc, end_utc, '[)') WITH &&) WHERE (active)``
- ``EXCLUDE USING gist (user_id WITH =, tstzrange(...) WITH &&) WHERE (active AND exclusive)``

``exclusive`` is the building's "one desk per person at a time" rule as it stood when the booking was made.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base
from booking.models.organisation import User
from booking.models.places import DeskRow


class BookingState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


#: States that hold the desk.
ACTIVE_STATES = (BookingState.BOOKED.value, BookingState.CHECKED_IN.value)


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_desk_start", "desk_id", "start_utc"),
        Index("ix_bookings_user_start", "user_id", "start_utc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    start_utc: Mapped[datetime]
    end_utc: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default=BookingState.BOOKED.value)
    exclusive: Mapped[bool] = mapped_column(default=True)
    series_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(100))
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    desk: Mapped[DeskRow] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class IdempotentResponse(Base):
    """The first successful response to a request sent with an ``Idempotency-Key`` (per user and key)."""

    __tablename__ = "idempotent_responses"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
