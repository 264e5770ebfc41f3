"""What admins set beside the building's own rules: closed days, blocked desks, unit zones; and the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from booking.models.base import Base


class Closure(Base):
    """A day the building is closed beyond weekends and public holidays."""

    __tablename__ = "closures"
    __table_args__ = (UniqueConstraint("building_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500), default="")


class Block(Base):
    """A desk taken out of booking from ``first_day`` to ``last_day`` (both included), with a reason."""

    __tablename__ = "blocks"
    __table_args__ = (Index("ix_blocks_desk_days", "desk_id", "first_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("desks.id"))
    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]


zone_desks = Table(
    "zone_desks",
    Base.metadata,
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
    Column("desk_id", ForeignKey("desks.id"), primary_key=True),
)
zone_spaces = Table(
    "zone_spaces",
    Base.metadata,
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
    Column("space_id", ForeignKey("spaces.id"), primary_key=True),
)


class Zone(Base):
    """A team neighbourhood: desks (listed, or all desks of listed spaces) kept for a unit and its sub-units on
    some weekdays (0 Monday .. 6 Sunday), released to everyone at the building's release time the day before."""

    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    weekdays: Mapped[list[int]]


class AuditEntry(Base):
    """Who changed what, when, with the thing as it was before and after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
