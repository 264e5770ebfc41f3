"""Which building a request is about when it does not say: the person's own.

A site may hold several buildings (a main building and an annex, or a second one loaded to compare). A page or
endpoint that takes a building takes it explicitly, else the asker's *home building*, the first of:

1. the building of a team zone of their unit, or of the nearest unit above it that has one (where their team sits);
2. the building of a desk they own (a fixed desk);
3. the building of their latest booking;
4. the building with the most desks in service (ties: the first by id): where most people work.

Never "the first by id" alone: loading a second building (any COBie) must not move everybody's reports to it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.errors import NotFound
from booking.models import Booking, BuildingRow, DeskRow, User, Zone
from booking.services.desks import zone_info
from booking.services.units import ancestors_of, unit_parents

#: Where no building is loaded yet (times shown before any building exists).
DEFAULT_TIMEZONE = "Asia/Tokyo"


def home_building(session: Session, user: User | None = None, building_id: str | None = None) -> BuildingRow:
    """The building asked for (404 if unknown), else ``user``'s home building (see the module), else the largest.

    Raises `NotFound` when no building has been loaded."""
    if building_id is not None:
        row = session.get(BuildingRow, building_id)
        if row is None:
            raise NotFound("no building %(id)r", words={"id": building_id})
        return row
    found = _home_building_id(session, user) if user is not None else None
    found = found or _largest_building_id(session)
    row = session.get(BuildingRow, found) if found is not None else None
    if row is None:
        raise NotFound("no building has been loaded")
    return row


def home_timezone(session: Session, user: User | None = None) -> str:
    """The IANA time zone of ``user``'s home building, or `DEFAULT_TIMEZONE` where no building is loaded: the one
    rule for the time zone of a page or endpoint that is about no building in particular."""
    try:
        return home_building(session, user).timezone
    except NotFound:
        return DEFAULT_TIMEZONE


def home_zone(session: Session, user: User | None = None) -> ZoneInfo:
    """`home_timezone` as a ZoneInfo."""
    return zone_info(home_timezone(session, user))


def building_zone(building: BuildingRow) -> ZoneInfo:
    return zone_info(building.timezone)


def _home_building_id(session: Session, user: User) -> str | None:
    if user.unit_id is not None:
        units = ancestors_of(unit_parents(session), user.unit_id)
        zoned = dict(session.execute(select(Zone.unit_id, Zone.building_id).where(Zone.unit_id.in_(units))).all())
        for unit in units:
            if unit in zoned:
                return str(zoned[unit])
    owned = session.scalar(
        select(DeskRow.building_id).where(DeskRow.owner_id == user.id, DeskRow.retired_at.is_(None)).limit(1)
    )
    if owned is not None:
        return owned
    return session.scalar(
        select(DeskRow.building_id)
        .join(Booking, Booking.desk_id == DeskRow.id)
        .where(Booking.user_id == user.id)
        .order_by(Booking.start_utc.desc())
        .limit(1)
    )


def _largest_building_id(session: Session) -> str | None:
    desks = func.count(DeskRow.id)
    largest = session.scalar(
        select(BuildingRow.id)
        .outerjoin(DeskRow, (DeskRow.building_id == BuildingRow.id) & DeskRow.retired_at.is_(None))
        .group_by(BuildingRow.id)
        .order_by(desks.desc(), BuildingRow.id)
        .limit(1)
    )
    return largest
