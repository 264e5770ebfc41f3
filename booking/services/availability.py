"""The state of every desk of a floor over an interval, with the reason, in a handful of queries.

States, first match wins: ``retired`` (gone from the building file), ``closed`` (the building is closed that
day), ``mine`` (the viewer holds it), ``booked`` (someone else does), ``blocked`` (by an admin, with a reason),
``fixed`` (a fixed desk with an owner), ``reserved`` (in a unit's zone that day, not the viewer's, until the release
time the day before), ``free``. A booking whose check-in window closed without a check-in no longer counts, even
before `mark_no_shows` has run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
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
from booking.services.calendar_rules import closed_day
from booking.services.desks import local_date, office_hours, zone_info
from booking.services.intervals import Interval, local_time, overlaps_clause
from booking.services.units import ancestors_of, unit_parents

NO_DETAILS: Mapping[str, Any] = MappingProxyType({})
STATES = ("free", "mine", "booked", "blocked", "fixed", "reserved", "closed", "retired")


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
    state: str
    reason: str
    booking_id: int | None = None
    #: The particulars of ``reason`` for a client to word it in its own language: a closed day's (as a
    #: ``closed_day`` refusal's), a block's ``reason``, a reservation's ``units`` and ``release`` (ISO datetime).
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ref": self.ref,
            "name": self.name,
            "space": self.space,
            "hourly": self.hourly,
            "attributes": dict(self.attributes),
            "x": self.x,
            "y": self.y,
            "state": self.state,
            "reason": self.reason,
            "booking_id": self.booking_id,
            "details": dict(self.details),
        }


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


class DeskLayoutCache:
    """Floors' desk layouts, per (floor id, building's loaded_at); a process-wide, thread-safe, bounded dict."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._floors: dict[tuple[int, datetime], list[DeskLayout]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[int, datetime]) -> list[DeskLayout] | None:
        with self._lock:
            return self._floors.get(key)

    def put(self, key: tuple[int, datetime], layout: list[DeskLayout]) -> None:
        with self._lock:
            if len(self._floors) >= self.size:
                self._floors.pop(next(iter(self._floors)))
            self._floors[key] = layout


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
        raise NotFound(f"no floor {floor_id}")
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

    held: dict[int, tuple[int, str, str, datetime, datetime]] = {}
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
    for held_id, desk_id, user_id, state, raw_start, raw_end in bookings:
        start = instants.get(raw_start) or instants.setdefault(raw_start, _instant(raw_start))
        end = instants.get(raw_end) or instants.setdefault(raw_end, _instant(raw_end))
        if check_in_required and state == booked and now >= start + release_after:
            released[desk_id] = start + release_after
            continue
        if desk_id not in held or user_id == viewer_id:
            held[desk_id] = (held_id, user_id, state, start, end)

    blocks: dict[int, str] = {}
    for desk_id, reason in session.execute(
        select(Block.desk_id, Block.reason).where(
            Block.desk_id.in_(floor_desks), Block.first_day <= day, Block.last_day >= day
        )
    ):
        blocks.setdefault(desk_id, reason)

    reserved = _reserved_desks(session, building, floor_id, viewer, interval, now)

    wanted = dict(filters or {})
    result: list[DeskState] = []
    spans: dict[tuple[datetime, datetime], str] = {}
    for desk_id, ref, name, space_ref, hourly, attributes, x, y, retired in desks:
        if wanted and not matches(attributes, wanted):
            continue
        owner_id, owner = owners.get(desk_id, (None, ""))
        booking_id: int | None = None
        details: Mapping[str, Any] = NO_DETAILS
        if retired:
            state, reason = "retired", "no longer in the building"
        elif closed is not None:
            state, reason, details = "closed", closed.detail, closed.members
        elif desk_id in held:
            held_id, user_id, booking_state, start, end = held[desk_id]
            span = spans.get((start, end)) or spans.setdefault(
                (start, end), f"{start.astimezone(zone):%H:%M}-{end.astimezone(zone):%H:%M}"
            )
            if user_id == viewer_id:
                state, booking_id = "mine", held_id
                reason = f"your booking {span}" + (" (checked in)" if booking_state == "checked_in" else "")
            else:
                state, reason = "booked", f"booked {span}"
        elif desk_id in blocks:
            state, reason = "blocked", blocks[desk_id]
            details = {"reason": reason}
        elif owner_id is not None and owner_id != viewer_id:
            state, reason = "fixed", f"fixed desk of {owner}"
        elif desk_id in reserved:
            state, (reason, details) = "reserved", reserved[desk_id]
        else:
            state = "free"
            reason = "your fixed desk" if owner_id == viewer_id else ""
            if desk_id in released:
                reason = f"released: not checked in by {released[desk_id].astimezone(zone):%H:%M}"
        result.append(
            DeskState(
                desk_id, ref, name, space_ref, hourly, attributes, x, y, state, reason, booking_id, details=details
            )
        )
    return FloorAvailability(floor, building, interval, result)


def _reserved_desks(
    session: Session, building: BuildingRow, floor_id: int, viewer: User, interval: Interval, now: datetime
) -> dict[int, tuple[str, Mapping[str, Any]]]:
    """Desks of the floor kept for a unit the viewer is not in, with the sentence that says so and its
    particulars."""
    zone = zone_info(building.timezone)
    day = local_date(interval.start, zone)
    release = local_time(day - timedelta(days=1), building.zone_release_time, zone)
    if now >= release:
        return {}
    zones = [
        z for z in session.scalars(select(Zone).where(Zone.building_id == building.id)) if day.weekday() in z.weekdays
    ]
    if not zones:
        return {}
    parents = unit_parents(session)
    mine = set(ancestors_of(parents, viewer.unit_id))
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
    until = release.astimezone(zone)
    found: dict[int, tuple[str, Mapping[str, Any]]] = {}
    for desk_id, units in kept.items():
        if not units & mine:
            unit_names = sorted(names.get(u) or u for u in units)
            found[desk_id] = (
                f"kept for {', '.join(unit_names)} until {until:%Y-%m-%d %H:%M}",
                {"units": unit_names, "release": until.isoformat()},
            )
    return found


def office_interval_of(building: BuildingRow, day: Any, slot: Any) -> Interval:
    return office_hours(building).interval(day, slot, zone_info(building.timezone))
