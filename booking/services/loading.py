"""Loading a floorplan building into the database: floors, spaces and desks are matched by their ids in the file,
and the building's plan (its native GeoJSON, for the floor maps) replaces the one of the last load.

New ones are added, existing ones updated, and ones missing from the file *retired*: they keep their rows and
their bookings' history. A desk that is retired with active bookings still ahead is listed in the result, so
that whoever loaded the file can tell the people concerned; those bookings are not deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import InvalidInput
from booking.models import ACTIVE_STATES, Booking, BuildingRow, DeskRow, FloorRow, SpaceRow, User
from booking.services import audit
from booking.services.desks import zone_info
from booking.services.plans import store_plan
from floorplan.errors import Problem
from floorplan.model import Building, SpaceKind


@dataclass(frozen=True)
class AffectedBooking:
    booking_id: int
    desk: str
    user_id: str
    user_name: str
    start: datetime
    end: datetime


@dataclass
class LoadReport:
    building_id: str
    created: bool
    floors: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "retired": 0})
    spaces: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "retired": 0})
    desks: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "retired": 0, "restored": 0})
    retired_desks: list[str] = field(default_factory=list)
    affected_bookings: list[AffectedBooking] = field(default_factory=list)


def load_building(session: Session, building: Building, *, now: datetime, actor: str) -> LoadReport:
    """Create or update ``building`` (by its id), its floors, spaces and desks, and its stored plan."""
    try:
        zone_info(building.timezone)
    except Exception:
        raise InvalidInput([Problem(f"unknown time zone {building.timezone!r}", "building", "timezone")]) from None
    row = session.get(BuildingRow, building.id)
    report = LoadReport(building.id, created=row is None)
    if row is None:
        row = BuildingRow(id=building.id, name=building.name, timezone=building.timezone, loaded_at=now)
        session.add(row)
    else:
        row.name, row.timezone, row.loaded_at = building.name, building.timezone, now
    session.flush()
    store_plan(session, building, loaded_at=now)  # same transaction and loaded_at as the desks below

    floors = {f.ref: f for f in session.scalars(select(FloorRow).where(FloorRow.building_id == building.id))}
    spaces = {s.ref: s for s in session.scalars(select(SpaceRow).where(SpaceRow.building_id == building.id))}
    desks = {d.ref: d for d in session.scalars(select(DeskRow).where(DeskRow.building_id == building.id))}

    floor_ids: dict[str, FloorRow] = {}
    for f in building.floors:
        floor = floors.get(f.id)
        if floor is None:
            floor = FloorRow(building_id=building.id, ref=f.id, name=f.name, level=f.level)
            session.add(floor)
            report.floors["added"] += 1
        else:
            floor.name, floor.level, floor.retired = f.name, f.level, False
            report.floors["updated"] += 1
        floor_ids[f.id] = floor
    session.flush()

    space_rows: dict[str, SpaceRow] = {}
    for f in building.floors:
        for s in f.spaces:
            space = spaces.get(s.id)
            values: dict[str, Any] = {
                "floor_id": floor_ids[f.id].id,
                "name": s.name,
                "kind": s.kind.value,
                "hourly": s.hourly,
                "retired": False,
            }
            if space is None:
                space = SpaceRow(building_id=building.id, ref=s.id, **values)
                session.add(space)
                report.spaces["added"] += 1
            else:
                for key, value in values.items():
                    setattr(space, key, value)
                report.spaces["updated"] += 1
            space_rows[s.id] = space
    session.flush()

    seen_desks: set[str] = set()
    for f in building.floors:
        for d in f.desks:
            seen_desks.add(d.id)
            position = d.position
            values = {
                "floor_id": floor_ids[f.id].id,
                "space_id": space_rows[d.space_id].id,
                "name": d.name,
                "attributes": dict(d.attributes),
                "x": float(position.x),
                "y": float(position.y),
            }
            desk = desks.get(d.id)
            if desk is None:
                session.add(DeskRow(building_id=building.id, ref=d.id, **values))
                report.desks["added"] += 1
            else:
                for key, value in values.items():
                    setattr(desk, key, value)
                if desk.retired_at is not None:
                    desk.retired_at = None
                    report.desks["restored"] += 1
                else:
                    report.desks["updated"] += 1

    present_floors = {f.id for f in building.floors}
    for ref, floor in floors.items():
        if ref not in present_floors and not floor.retired:
            floor.retired = True
            report.floors["retired"] += 1
    present_spaces = {s.id for s in building.spaces()}
    for ref, space in spaces.items():
        if ref not in present_spaces and not space.retired:
            space.retired = True
            report.spaces["retired"] += 1
    retired_ids = []
    for ref, desk in desks.items():
        if ref not in seen_desks and desk.retired_at is None:
            desk.retired_at = now
            report.desks["retired"] += 1
            report.retired_desks.append(ref)
            retired_ids.append(desk.id)
    session.flush()

    if retired_ids:
        zone = zone_info(building.timezone)
        for booking, desk, user in session.execute(
            select(Booking, DeskRow, User)
            .join(DeskRow, Booking.desk_id == DeskRow.id)
            .join(User, Booking.user_id == User.id)
            .where(Booking.desk_id.in_(retired_ids), Booking.state.in_(ACTIVE_STATES), Booking.end_utc > now)
            .order_by(Booking.start_utc)
        ):
            report.affected_bookings.append(
                AffectedBooking(
                    booking.id,
                    desk.ref,
                    user.id,
                    user.name,
                    booking.start_utc.astimezone(zone),
                    booking.end_utc.astimezone(zone),
                )
            )
    report.retired_desks.sort()
    audit.record(
        session,
        actor=actor,
        action="building.load",
        entity="building",
        entity_id=building.id,
        now=now,
        after={
            "floors": report.floors,
            "spaces": report.spaces,
            "desks": report.desks,
            "retired_desks": report.retired_desks,
            "affected_bookings": [b.booking_id for b in report.affected_bookings],
        },
    )
    return report


def is_bookable_kind(kind: str) -> bool:
    return kind in (SpaceKind.OFFICE.value, SpaceKind.MEETING.value)
