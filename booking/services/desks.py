"""A desk with everything its rules depend on: its space, floor and building (with the building's rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from booking.errors import NotFound
from booking.models import BuildingRow, DeskRow, FloorRow, SpaceRow
from booking.services.intervals import Interval, OfficeHours
from booking.services.time_requests import TimeRequest, resolve


@lru_cache(maxsize=64)
def zone_info(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def office_hours(building: BuildingRow) -> OfficeHours:
    return OfficeHours(building.opens_at, building.closes_at, building.noon)


@dataclass(frozen=True)
class DeskContext:
    desk: DeskRow
    space: SpaceRow
    floor: FloorRow
    building: BuildingRow

    @property
    def zone(self) -> ZoneInfo:
        return zone_info(self.building.timezone)

    @property
    def hours(self) -> OfficeHours:
        return office_hours(self.building)


# Built once: every booking reads its desk this way.
_DESK_CONTEXT = (
    select(DeskRow, SpaceRow, FloorRow, BuildingRow)
    .join(SpaceRow, DeskRow.space_id == SpaceRow.id)
    .join(FloorRow, DeskRow.floor_id == FloorRow.id)
    .join(BuildingRow, DeskRow.building_id == BuildingRow.id)
    .where(DeskRow.id == bindparam("desk_id"))
)


def load_desk(session: Session, desk_id: int) -> DeskContext:
    """The desk with its space, floor and building; kept for the session's life (its identity map holds rows only
    weakly), so that later steps of the same request, or the next date of a recurring booking, need no query."""
    known: dict[int, DeskContext] = session.info.setdefault("floorwise_desks", {})
    if desk_id in known:
        return known[desk_id]
    row = session.execute(_DESK_CONTEXT, {"desk_id": desk_id}).one_or_none()
    if row is None:
        raise NotFound("no desk %(id)s", words={"id": desk_id})
    known[desk_id] = DeskContext(*row)
    return known[desk_id]


def requested_interval(context: DeskContext, request: TimeRequest) -> Interval:
    """The UTC interval ``request`` means at the desk's building (see `booking.services.time_requests`)."""
    return resolve(request, context.hours, context.zone)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def wall_minutes(moment: datetime, zone: ZoneInfo) -> tuple[int, int]:
    """(minutes since local midnight, seconds) of a moment's wall-clock time."""
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute, local.second + local.microsecond


def format_time(value: time) -> str:
    return value.strftime("%H:%M")
