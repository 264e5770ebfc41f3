"""The bookable part of a loaded building: floors, spaces and desks, each known by its id in the building file,
and the building's plan as it was loaded.

Rows are never deleted: a floor, space or desk missing from a newer file is *retired*, so that the bookings made
on it keep their history.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base
from booking.models.organisation import User


class BuildingRow(Base):
    """A building and its booking rules (one row: the rules are per building, edited by admins through the API)."""

    __tablename__ = "buildings"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    loaded_at: Mapped[datetime]
    # -- rules (see booking.services.rules for what each means) --
    opens_at: Mapped[time] = mapped_column(default=time(8, 30))
    closes_at: Mapped[time] = mapped_column(default=time(17, 15))
    noon: Mapped[time] = mapped_column(default=time(12, 0))
    days_ahead: Mapped[int] = mapped_column(default=28)
    longest_booking_minutes: Mapped[int | None]
    hourly_step_minutes: Mapped[int] = mapped_column(default=30)
    one_desk_per_person: Mapped[bool] = mapped_column(default=True)
    closed_weekdays: Mapped[list[int]] = mapped_column(default=lambda: [5, 6])
    holiday_country: Mapped[str | None] = mapped_column(String(8), default="JP")
    #: Closed from 29 December to 3 January where ``holiday_country`` is JP (`booking.services.calendar_rules`).
    year_end_closure: Mapped[bool] = mapped_column(default=True, server_default=true())
    cancel_cutoff_minutes: Mapped[int] = mapped_column(default=0)
    check_in_required: Mapped[bool] = mapped_column(default=True)
    check_in_opens_minutes: Mapped[int] = mapped_column(default=30)
    check_in_closes_minutes: Mapped[int] = mapped_column(default=60)
    zone_release_time: Mapped[time] = mapped_column(default=time(15, 0))
    show_booker_names: Mapped[bool] = mapped_column(default=True)


class BuildingPlan(Base):
    """The native GeoJSON of a building as it was last loaded (`floorplan.geojson.building_to_geojson`): the rooms,
    outlines and cores the floor maps draw, which the rows below do not hold.

    A table of its own, so that reading a building's rules never reads its plan; loading writes both in one
    transaction, with the building's ``loaded_at``. Kept as JSON as written: nothing queries inside it.
    """

    __tablename__ = "building_plans"

    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"), primary_key=True)
    loaded_at: Mapped[datetime]
    geojson: Mapped[dict[str, Any]] = mapped_column(JSON(), deferred=True, deferred_raiseload=True)


class FloorRow(Base):
    __tablename__ = "floors"
    __table_args__ = (UniqueConstraint("building_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    ref: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int]
    retired: Mapped[bool] = mapped_column(default=False)

    building: Mapped[BuildingRow] = relationship(lazy="raise")


class SpaceRow(Base):
    __tablename__ = "spaces"
    __table_args__ = (UniqueConstraint("building_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"), index=True)
    ref: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(20))
    hourly: Mapped[bool] = mapped_column(default=False)
    retired: Mapped[bool] = mapped_column(default=False)


class DeskRow(Base):
    """A desk; ``owner_id`` makes it a fixed desk, ``retired_at`` says when it left the building file."""

    __tablename__ = "desks"
    __table_args__ = (UniqueConstraint("building_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[str] = mapped_column(ForeignKey("buildings.id"))
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id"), index=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    ref: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    x: Mapped[float | None]
    y: Mapped[float | None]
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    retired_at: Mapped[datetime | None]

    floor: Mapped[FloorRow] = relationship(lazy="raise")
    space: Mapped[SpaceRow] = relationship(lazy="raise")
    owner: Mapped[User | None] = relationship(lazy="raise")
