"""The state of every desk of a floor over an interval, with its particulars, in a handful of queries.

States, first match wins: ``retired`` (gone from the building file), ``closed`` (the building is closed that
day), ``mine`` (the viewer holds it), ``booked`` (someone else does), ``blocked`` (by an admin, with a reason),
``fixed`` (a fixed desk with an owner), ``reserved`` (in a unit's zone that day, not the viewer's, until the release
time the day before), ``free``. A booking whose check-in window closed without a check-in no longer counts, even
before `mark_no_shows` has run.

A state is a kind and typed particulars (names, datetimes, the closed day), never a sentence: the pages word it
from their catalogue, the API in English (`booking.api.schemas`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from booking.errors import NotFound
from booking.models import (
    ACTIVE_STATES,
    Block,
    Booking,
    BookingState,
    BuildingRow,
    DeskRow,
    FloorRow,
    SpaceRow,
    Unit,
    User,
    Zone,
    zone_desks,
    zone_spaces,
)
from booking.services.caches import LockedLRU
from booking.services.calendar_rules import ClosedDay, closed_day
from booking.services.desks import local_date, zone_info
from booking.services.intervals import Interval, overlaps_clause
from booking.services.rules import own_zone_units, zone_release


class DeskStateKind(StrEnum):
    FREE = "free"
    MINE = "mine"
    BOOKED = "booked"
    BLOCKED = "blocked"
    FIXED = "fixed"
    RESERVED = "reserved"
    CLOSED = "closed"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Held:
    """The booking that holds a ``mine`` or ``booked`` desk: its id, span (UTC) and whether it is checked in."""

    booking_id: int
    start: datetime
    end: datetime
    checked_in: bool


@dataclass(frozen=True, slots=True)
class Blocked:
    reason: str


@dataclass(frozen=True, slots=True)
class FixedDesk:
    """Someone else's fixed desk."""

    owner: str


@dataclass(frozen=True, slots=True)
class Reserved:
    """Kept for ``units`` (their names, sorted) until ``release`` (UTC), the release time of the day before."""

    units: tuple[str, ...]
    release: datetime


@dataclass(frozen=True, slots=True)
class Free:
    """A free desk: the viewer's own fixed desk, or freed at ``released_at`` (UTC) by a booking not checked in."""

    own_fixed: bool = False
    released_at: datetime | None = None


#: The particulars of each kind: closed (`ClosedDay`), mine and booked (`Held`), blocked, fixed, reserved, free;
#: a retired desk has none.
Particulars = ClosedDay | Held | Blocked | FixedDesk | Reserved | Free | None

FREE = Free()


@dataclass(frozen=True)
class DeskState:
    id: int
    ref: str
    name: str
    space: str
    hourly: bool
    attributes: Mapping[str, Any]
    x: float | None
    y: float | None
    kind: DeskStateKind
    particulars: Particulars = None

    @property
    def booking_id(self) -> int | None:
        """The viewer's own booking of the desk (``mine``), else None."""
        held = self.particulars
        return held.booking_id if self.kind is DeskStateKind.MINE and isinstance(held, Held) else None


@dataclass(frozen=True)
class FloorAvailability:
    floor: FloorRow
    building: BuildingRow
    interval: Interval
    desks: list[DeskState]


_RAW = String()

#: One desk of a floor's layout: id, ref, name, space ref, hourly, attributes, x, y, retired.
DeskLayout = tuple[int, str, str, str, bool, Mapping[str, Any], float | None, float | None, bool]


def _instant(value: str | datetime) -> datetime:
    """A UTC datetime from what the driver returned: text on SQLite, an aware datetime on PostgreSQL."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class DeskLayoutCache(LockedLRU[tuple[int, datetime], list[DeskLayout]]):
    """Floors' desk layouts, per (floor id, building's loaded_at); process-wide, thread-safe, bounded."""

    def __init__(self, size: int = 256) -> None:
        super().__init__(size)


def desk_layout(
    session: Session, floor_id: int, loaded_at: datetime, cache: DeskLayoutCache | None = None
) -> list[DeskLayout]:
    """The desks of a floor, sorted by ref, with what does not change between building loads."""
    key = (floor_id, loaded_at)
    if cache is not None and (found := cache.get(key)) is not None:
        return found
    rows = session.execute(
        select(
            DeskRow.id,
            DeskRow.ref,
            DeskRow.name,
            SpaceRow.ref,
            SpaceRow.hourly,
            DeskRow.attributes,
            DeskRow.x,
            DeskRow.y,
            DeskRow.retired_at,
        )
        .join(SpaceRow, DeskRow.space_id == SpaceRow.id)
        .where(DeskRow.floor_id == floor_id)
        .order_by(DeskRow.ref)
    ).all()
    layout: list[DeskLayout] = [
        (d, ref, name, space, hourly, MappingProxyType(dict(attributes or {})), x, y, retired is not None)
        for d, ref, name, space, hourly, attributes, x, y, retired in rows
    ]
    if cache is not None:
        cache.put(key, layout)
    return layout


def floor_context(session: Session, floor_id: int) -> tuple[FloorRow, BuildingRow]:
    row = session.execute(
        select(FloorRow, BuildingRow)
        .join(BuildingRow, FloorRow.building_id == BuildingRow.id)
        .where(FloorRow.id == floor_id)
    ).one_or_none()
    if row is None:
        raise NotFound("no floor %(id)s", words={"id": floor_id})
    return row[0], row[1]


def matches(attributes: Mapping[str, Any], wanted: Mapping[str, str]) -> bool:
    """Whether a desk's attributes satisfy filters like ``monitor=true`` or ``note=window`` (text from a query)."""
    for key, text in wanted.items():
        value = attributes.get(key)
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            if not value:
                return False
        elif lowered in ("false", "no", "0"):
            if value:
                return False
        elif str(value).lower() != lowered:
            return False
    return True


def floor_availability(
    session: Session,
    floor_id: int,
    *,
    interval: Interval,
    viewer: User,
    now: datetime,
    filters: Mapping[str, str] | None = None,
    cache: DeskLayoutCache | None = None,
) -> FloorAvailability:
    """Every desk of a floor with its state over ``interval`` as ``viewer`` sees it at ``now``.

    ``cache`` keeps each floor's desk layout (ids, names, spaces, attributes, positions) between calls, keyed by
    the building's ``loaded_at``: only `booking.services.loading` changes those, and it sets ``loaded_at``.
    Owners, blocks, zones and bookings, which admins and staff change through the API, are always read fresh.
    """
    floor, building = floor_context(session, floor_id)
    zone = zone_info(building.timezone)
    interval = interval.utc()
    day = local_date(interval.start, zone)
    closed = closed_day(session, building, day)

    desks = desk_layout(session, floor_id, building.loaded_at, cache)
    owners: dict[int, tuple[str | None, str]] = {
        desk_id: (owner_id, name)
        for desk_id, owner_id, name in session.execute(
            select(DeskRow.id, DeskRow.owner_id, User.name)
            .join(User, DeskRow.owner_id == User.id)
            .where(DeskRow.floor_id == floor_id)
        )
    }
    floor_desks = select(DeskRow.id).where(DeskRow.floor_id == floor_id).scalar_subquery()

    held: dict[int, tuple[Held, bool]] = {}  # the booking holding each desk, and whether it is the viewer's
    released: dict[int, datetime] = {}
    release_after = timedelta(minutes=building.check_in_closes_minutes)
    # Times come back as the driver gives them and are parsed here: SQLite's text parses much faster with
    # fromisoformat than through the generic result processor, and a busy floor has a thousand of each.
    bookings = session.execute(
        select(
            Booking.id,
            Booking.desk_id,
            Booking.user_id,
            Booking.state,
            type_coerce(Booking.start_utc, _RAW),
            type_coerce(Booking.end_utc, _RAW),
        )
        .where(
            Booking.desk_id.in_(floor_desks),
            Booking.state.in_(ACTIVE_STATES),
            overlaps_clause(Booking.start_utc, Booking.end_utc, interval.start, interval.end),
        )
        .order_by(Booking.start_utc)
    ).all()
    instants: dict[str | datetime, datetime] = {}  # a busy day has a few distinct times, many times over
    check_in_required, booked, viewer_id = building.check_in_required, BookingState.BOOKED.value, viewer.id
    checked_in = BookingState.CHECKED_IN.value
    for held_id, desk_id, user_id, state, raw_start, raw_end in bookings:
        start = instants.get(raw_start) or instants.setdefault(raw_start, _instant(raw_start))
        end = instants.get(raw_end) or instants.setdefault(raw_end, _instant(raw_end))
        if check_in_required and state == booked and now >= start + release_after:
            released[desk_id] = start + release_after
            continue
        if desk_id not in held or user_id == viewer_id:
            held[desk_id] = (Held(held_id, start, end, state == checked_in), user_id == viewer_id)

    blocks: dict[int, str] = {}
    for desk_id, reason in session.execute(
        select(Block.desk_id, Block.reason).where(
            Block.desk_id.in_(floor_desks), Block.first_day <= day, Block.last_day >= day
        )
    ):
        blocks.setdefault(desk_id, reason)

    reserved = _reserved_desks(session, building, floor_id, viewer, interval, now)

    facts = _FloorFacts(closed, held, blocks, reserved, released, owners, viewer_id)
    wanted = dict(filters or {})
    result: list[DeskState] = []
    for desk_id, ref, name, space_ref, hourly, attributes, x, y, retired in desks:
        if wanted and not matches(attributes, wanted):
            continue
        kind, particulars = facts.state_of(desk_id, retired)
        result.append(DeskState(desk_id, ref, name, space_ref, hourly, attributes, x, y, kind, particulars))
    return FloorAvailability(floor, building, interval, result)


@dataclass(frozen=True)
class _FloorFacts:
    """What decides the desks' states of one floor, read once for all of them."""

    closed: ClosedDay | None
    held: Mapping[int, tuple[Held, bool]]  # the booking holding a desk, and whether it is the viewer's
    blocks: Mapping[int, str]
    reserved: Mapping[int, Reserved]
    released: Mapping[int, datetime]
    owners: Mapping[int, tuple[str | None, str]]  # a fixed desk's owner id and name
    viewer_id: str

    def state_of(self, desk_id: int, retired: bool) -> tuple[DeskStateKind, Particulars]:
        """One desk's kind and particulars: the first state of the module's list that applies."""
        if retired:
            return DeskStateKind.RETIRED, None
        if self.closed is not None:
            return DeskStateKind.CLOSED, self.closed
        if desk_id in self.held:
            holding, mine = self.held[desk_id]
            return (DeskStateKind.MINE if mine else DeskStateKind.BOOKED), holding
        if desk_id in self.blocks:
            return DeskStateKind.BLOCKED, Blocked(self.blocks[desk_id])
        owner_id, owner = self.owners.get(desk_id, (None, ""))
        if owner_id is not None and owner_id != self.viewer_id:
            return DeskStateKind.FIXED, FixedDesk(owner)
        if desk_id in self.reserved:
            return DeskStateKind.RESERVED, self.reserved[desk_id]
        own_fixed = owner_id is not None
        if own_fixed or desk_id in self.released:
            return DeskStateKind.FREE, Free(own_fixed=own_fixed, released_at=self.released.get(desk_id))
        return DeskStateKind.FREE, FREE


def _reserved_desks(
    session: Session, building: BuildingRow, floor_id: int, viewer: User, interval: Interval, now: datetime
) -> dict[int, Reserved]:
    """Desks of the floor kept for a unit the viewer is not in, with the units and the release time."""
    zone = zone_info(building.timezone)
    day = local_date(interval.start, zone)
    release = zone_release(building, day, zone)
    if now >= release:
        return {}
    zones = [
        z for z in session.scalars(select(Zone).where(Zone.building_id == building.id)) if day.weekday() in z.weekdays
    ]
    if not zones:
        return {}
    mine = own_zone_units(session, viewer)
    names: dict[str, str] = {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}
    kept: dict[int, set[str]] = {}
    zone_ids = [z.id for z in zones]
    by_id = {z.id: z for z in zones}
    for zone_id, desk_id in session.execute(
        select(zone_desks.c.zone_id, zone_desks.c.desk_id)
        .join(DeskRow, DeskRow.id == zone_desks.c.desk_id)
        .where(zone_desks.c.zone_id.in_(zone_ids), DeskRow.floor_id == floor_id)
    ):
        kept.setdefault(desk_id, set()).add(by_id[zone_id].unit_id)
    for zone_id, desk_id in session.execute(
        select(zone_spaces.c.zone_id, DeskRow.id)
        .join(DeskRow, DeskRow.space_id == zone_spaces.c.space_id)
        .where(zone_spaces.c.zone_id.in_(zone_ids), DeskRow.floor_id == floor_id)
    ):
        kept.setdefault(desk_id, set()).add(by_id[zone_id].unit_id)
    release = release.astimezone(UTC)
    return {
        desk_id: Reserved(tuple(sorted(names.get(u) or u for u in units)), release)
        for desk_id, units in kept.items()
        if not units & mine
    }
