"""Factories with keyword defaults: a small building with a few desks, people and units, loaded as in real use."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shapely import Point, box
from sqlalchemy.orm import Session

from booking.models import BuildingRow, DeskRow, FloorRow, Role, Unit, User
from booking.services.loading import load_building
from booking.services.people import create_user, search_key
from floorplan.model import Building, Desk, Floor, Space, SpaceKind

#: Tuesday 31 March 2026, 09:00 in Tokyo: the "now" of most tests.
NOW = datetime(2026, 3, 31, 0, 0, tzinfo=UTC)


def floorplan_building(
    *,
    building_id: str = "hq",
    timezone: str = "Asia/Tokyo",
    floors: int = 1,
    desks: int = 4,
    hourly_desks: int = 2,
    attributes: dict[str, dict[str, Any]] | None = None,
    skip: frozenset[str] = frozenset(),
) -> Building:
    """Floors 1F.. each with an office space of ``desks`` desks (``{floor}-D1``...) and, when ``hourly_desks``, a
    meeting space that takes hourly bookings (``{floor}-H1``...). ``skip`` leaves out desks by id."""
    made = []
    for level in range(floors):
        name = f"{level + 1}F"
        office = Space(f"{name}-office", name, SpaceKind.OFFICE, box(0, 0, 20, 10), name="office")
        spaces = [office]
        desk_list = [
            Desk(f"{name}-D{i}", office.id, Point(1 + 2 * i, 5), attributes=(attributes or {}).get(f"{name}-D{i}", {}))
            for i in range(1, desks + 1)
        ]
        if hourly_desks:
            meeting = Space(f"{name}-meet", name, SpaceKind.MEETING, box(20, 0, 30, 10), name="meet", hourly=True)
            spaces.append(meeting)
            desk_list += [Desk(f"{name}-H{i}", meeting.id, Point(21 + 2 * i, 5)) for i in range(1, hourly_desks + 1)]
        made.append(
            Floor(
                name,
                level,
                name,
                4.0 * level,
                outline=box(0, 0, 30, 10),
                spaces=tuple(spaces),
                desks=tuple(d for d in desk_list if d.id not in skip),
            )
        )
    return Building(building_id, f"Building {building_id}", tuple(made), timezone=timezone)


def make_building(session: Session, *, now: datetime = NOW, **rules: Any) -> BuildingRow:
    """Load `floorplan_building` (its keyword arguments pass through) and set any rule given, e.g. days_ahead=7."""
    shape = {k: rules.pop(k) for k in list(rules) if k in floorplan_building.__kwdefaults__}
    building = floorplan_building(**shape)
    load_building(session, building, now=now, actor="test")
    row = session.get(BuildingRow, building.id)
    assert row is not None
    for name, value in rules.items():
        setattr(row, name, value)
    session.flush()
    return row


def desk(session: Session, ref: str, building_id: str = "hq") -> DeskRow:
    from sqlalchemy import select

    found = session.scalar(select(DeskRow).where(DeskRow.ref == ref, DeskRow.building_id == building_id))
    assert found is not None, ref
    return found


def floor(session: Session, ref: str = "1F", building_id: str = "hq") -> FloorRow:
    from sqlalchemy import select

    found = session.scalar(select(FloorRow).where(FloorRow.ref == ref, FloorRow.building_id == building_id))
    assert found is not None, ref
    return found


def make_unit(session: Session, unit_id: str = "koseki", *, name: str = "", parent: str | None = None) -> Unit:
    unit = Unit(id=unit_id, name=name or unit_id, parent_id=parent)
    session.add(unit)
    session.flush()
    return unit


def make_user(
    session: Session,
    user_id: str = "sato",
    *,
    name: str | None = None,
    unit: str | None = None,
    role: Role = Role.STAFF,
    password: str | None = None,
    email: str | None = None,
    now: datetime = NOW,
) -> User:
    if password is not None:
        return create_user(
            session,
            user_id=user_id,
            name=name or user_id,
            unit_id=unit,
            role=role,
            password=password,
            email=email,
            now=now,
            actor="test",
        )
    user = User(
        id=user_id,
        name=name or user_id,
        unit_id=unit,
        role=role.value,
        email=email,
        search_key=search_key(name or user_id, email),
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user
