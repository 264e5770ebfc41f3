"""Everything the reports read, in one pass over the database: the building's desks, units, people, zones, blocks
and the period's bookings as compact numpy arrays (`booking.analytics.booking_rows`: outcomes and slots).

The days counted are the period's open days that have bookings: an open day without a single booking (any state)
is a day without records, before booking was in use or while it was not, and is left out of every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.analytics.booking_rows import (
    AM,
    CANCELLED,
    IN,
    NO_SHOW,
    PM,
    SLOTS,
    IntArray,
    booking_arrays,
    no_bookings,
)
from booking.analytics.period import Period, open_days
from booking.models import (
    Block,
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
from booking.services.buildings import home_building

__all__ = ["AM", "CANCELLED", "IN", "NO_SHOW", "PM", "SLOTS", "AttendanceFacts", "IntArray", "attendance_facts"]

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class UnitTree:
    """Units in id order, each with its parent's index (-1 for none)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    parents: tuple[int, ...]

    @cached_property
    def index(self) -> dict[str, int]:
        return {uid: i for i, uid in enumerate(self.ids)}

    @cached_property
    def children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.ids]
        for i, parent in enumerate(self.parents):
            if parent >= 0:
                kids[parent].append(i)
        return kids

    def is_leaf(self, i: int) -> bool:
        return not self.children[i]

    def subtree(self, i: int) -> list[int]:
        """``i`` and every unit below it (a cycle in the data stops the walk)."""
        out, todo, seen = [], [i], set()
        while todo:
            j = todo.pop()
            if j in seen:
                continue
            seen.add(j)
            out.append(j)
            todo.extend(self.children[j])
        return sorted(out)

    @cached_property
    def subtree_matrix(self) -> NDArray[np.float64]:
        """M[u, v] = 1 when v is u or below it: ``M @ per_unit`` sums each unit's subtree."""
        m = np.zeros((len(self.ids), len(self.ids)))
        for i in range(len(self.ids)):
            m[i, self.subtree(i)] = 1.0
        return m

    def label(self, i: int) -> str:
        return self.names[i] or self.ids[i]


@dataclass(frozen=True)
class FloorFacts:
    id: int
    ref: str
    name: str
    level: int


@dataclass(frozen=True)
class DeskFacts:
    """The building's desks by index (sorted by id). ``bookable``: not retired and without a fixed owner."""

    ids: IntArray
    refs: tuple[str, ...]
    names: tuple[str, ...]
    floor: IntArray  # index into the floors
    space_refs: tuple[str, ...]
    owners: tuple[str | None, ...]
    bookable: BoolArray
    retired: BoolArray
    x: NDArray[np.float64]
    y: NDArray[np.float64]

    @cached_property
    def index(self) -> dict[int, int]:
        return {int(d): i for i, d in enumerate(self.ids)}


@dataclass(frozen=True)
class ZoneFacts:
    id: int
    name: str
    unit_id: str
    weekdays: tuple[int, ...]
    desks: IntArray  # desk indices: the zone's own desks and those of its spaces


@dataclass(frozen=True)
class AttendanceFacts:
    """The building and the period's bookings, ready to count (see the module's text for the outcomes)."""

    building: BuildingRow
    period: Period
    now: datetime
    days: tuple[date, ...]  # the open days of the period that have bookings
    floors: tuple[FloorFacts, ...]  # lowest first
    desks: DeskFacts
    units: UnitTree
    users: tuple[str, ...]
    user_unit: IntArray  # index into units, -1 for none
    user_active: BoolArray
    user_owns_desk: BoolArray  # owns a desk of this building that is not retired
    zones: tuple[ZoneFacts, ...]
    blocked_desk: IntArray  # with blocked_day: a bookable desk blocked on an open day, once per pair
    blocked_day: IntArray
    booking_user: IntArray
    booking_desk: IntArray
    booking_day: IntArray
    booking_slots: IntArray  # AM | PM bits
    booking_outcome: IntArray

    @property
    def weekdays(self) -> IntArray:
        return np.array([d.weekday() for d in self.days], np.int64)

    def headcount(self) -> IntArray:
        """Active people per unit (directly in it, not below it)."""
        counts = np.zeros(len(self.units.ids), np.int64)
        members = self.user_unit[(self.user_unit >= 0) & self.user_active]
        np.add.at(counts, members, 1)
        return counts

    def fixed_people(self) -> IntArray:
        """Active people per unit who own a desk of the building."""
        counts = np.zeros(len(self.units.ids), np.int64)
        members = self.user_unit[(self.user_unit >= 0) & self.user_active & self.user_owns_desk]
        np.add.at(counts, members, 1)
        return counts

    def bookable_per_floor(self) -> IntArray:
        counts = np.zeros(len(self.floors), np.int64)
        np.add.at(counts, self.desks.floor[self.desks.bookable], 1)
        return counts

    def blocked_per_floor(self) -> IntArray:
        """(floors, days): bookable desks blocked that day."""
        counts = np.zeros((len(self.floors), len(self.days)), np.int64)
        np.add.at(counts, (self.desks.floor[self.blocked_desk], self.blocked_day), 1)
        return counts

    def fixed_per_floor(self) -> IntArray:
        counts = np.zeros(len(self.floors), np.int64)
        owned = np.array([o is not None for o in self.desks.owners], bool) & ~self.desks.retired
        np.add.at(counts, self.desks.floor[owned], 1)
        return counts


def default_building(session: Session, building_id: str | None = None, *, user: User | None = None) -> BuildingRow:
    """The building asked for, else ``user``'s home building, else the largest (`booking.services.buildings`)."""
    return home_building(session, user, building_id)


def attendance_facts(
    session: Session, building: BuildingRow, period: Period, *, now: datetime, bookings: bool = True
) -> AttendanceFacts:
    """Read what the reports need about ``building`` over ``period``, as seen at ``now``; without ``bookings``,
    only the building, its units, people, zones and blocks (for planning zones)."""
    days = tuple(open_days(session, building, period))
    floors, desks = _desks(session, building.id)
    units = unit_tree(session)
    users, user_unit, user_active = _users(session, units)
    owners = {o for o, retired in zip(desks.owners, desks.retired, strict=True) if o is not None and not retired}
    user_owns = np.array([u in owners for u in users], bool)
    if bookings:
        arrays = booking_arrays(session, building, days, desks.index, {u: i for i, u in enumerate(users)}, now)
        # Open days without a single booking are days without records (before booking was in use): left out.
        recorded = np.unique(arrays["booking_day"])
        days = tuple(days[int(j)] for j in recorded)
        arrays["booking_day"] = np.searchsorted(recorded, arrays["booking_day"]).astype(np.int64)
    else:
        arrays = no_bookings()
    return AttendanceFacts(
        building=building,
        period=period,
        now=now,
        days=days,
        floors=floors,
        desks=desks,
        units=units,
        users=users,
        user_unit=user_unit,
        user_active=user_active,
        user_owns_desk=user_owns,
        zones=zones_of(session, building.id, desks),
        **_blocked(session, desks, days),
        **arrays,
    )


def unit_tree(session: Session) -> UnitTree:
    rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id).order_by(Unit.id)).all()
    index = {uid: i for i, (uid, _, _) in enumerate(rows)}
    return UnitTree(
        ids=tuple(uid for uid, _, _ in rows),
        names=tuple(name or "" for _, name, _ in rows),
        parents=tuple(index.get(parent, -1) if parent is not None else -1 for _, _, parent in rows),
    )


def _desks(session: Session, building_id: str) -> tuple[tuple[FloorFacts, ...], DeskFacts]:
    floor_rows = session.execute(
        select(FloorRow.id, FloorRow.ref, FloorRow.name, FloorRow.level)
        .where(FloorRow.building_id == building_id)
        .order_by(FloorRow.level, FloorRow.id)
    ).all()
    floors = tuple(FloorFacts(*row) for row in floor_rows)
    floor_index = {f.id: i for i, f in enumerate(floors)}
    rows = session.execute(
        select(
            DeskRow.id, DeskRow.ref, DeskRow.name, DeskRow.floor_id, SpaceRow.ref, DeskRow.owner_id,
            DeskRow.retired_at, DeskRow.x, DeskRow.y,
        )
        .join(SpaceRow, DeskRow.space_id == SpaceRow.id)
        .where(DeskRow.building_id == building_id)
        .order_by(DeskRow.id)
    ).all()  # fmt: skip
    retired = np.array([r[6] is not None for r in rows], bool)
    owners = tuple(r[5] for r in rows)
    desks = DeskFacts(
        ids=np.array([r[0] for r in rows], np.int64),
        refs=tuple(r[1] for r in rows),
        names=tuple(r[2] or r[1] for r in rows),
        floor=np.array([floor_index[r[3]] for r in rows], np.int64),
        space_refs=tuple(r[4] for r in rows),
        owners=owners,
        bookable=~retired & np.array([o is None for o in owners], bool),
        retired=retired,
        x=np.array([np.nan if r[7] is None else r[7] for r in rows], float),
        y=np.array([np.nan if r[8] is None else r[8] for r in rows], float),
    )
    return floors, desks


def _users(session: Session, units: UnitTree) -> tuple[tuple[str, ...], IntArray, BoolArray]:
    rows = session.execute(select(User.id, User.unit_id, User.is_active).order_by(User.id)).all()
    index = units.index
    return (
        tuple(r[0] for r in rows),
        np.array([index.get(r[1], -1) if r[1] is not None else -1 for r in rows], np.int64),
        np.array([bool(r[2]) for r in rows], bool),
    )


def zones_of(session: Session, building_id: str, desks: DeskFacts) -> tuple[ZoneFacts, ...]:
    """The building's zones with their desks (listed ones and those of their spaces), by zone id."""
    zones = session.scalars(select(Zone).where(Zone.building_id == building_id).order_by(Zone.id)).all()
    members: dict[int, set[int]] = {z.id: set() for z in zones}
    for zone_id, desk_id in session.execute(
        select(zone_desks.c.zone_id, zone_desks.c.desk_id).where(zone_desks.c.zone_id.in_(list(members)))
    ):
        members[zone_id].add(desk_id)
    for zone_id, desk_id in session.execute(
        select(zone_spaces.c.zone_id, DeskRow.id)
        .join(DeskRow, DeskRow.space_id == zone_spaces.c.space_id)
        .where(zone_spaces.c.zone_id.in_(list(members)))
    ):
        members[zone_id].add(desk_id)
    index = desks.index
    return tuple(
        ZoneFacts(
            z.id,
            z.name,
            z.unit_id,
            tuple(sorted(z.weekdays)),
            np.array(sorted(index[d] for d in members[z.id] if d in index), np.int64),
        )
        for z in zones
    )


def _blocked(session: Session, desks: DeskFacts, days: Sequence[date]) -> dict[str, IntArray]:
    pairs: set[tuple[int, int]] = set()  # a desk blocked twice on a day is one desk out
    if days:
        rows = session.execute(
            select(Block.desk_id, Block.first_day, Block.last_day).where(
                Block.desk_id.in_([int(d) for d in desks.ids[desks.bookable]]),
                Block.first_day <= days[-1],
                Block.last_day >= days[0],
            )
        ).all()
        day_index = {d: i for i, d in enumerate(days)}
        for desk_id, first, last in rows:
            for offset in range((last - first).days + 1):
                j = day_index.get(first + timedelta(days=offset))
                if j is not None:
                    pairs.add((desks.index[desk_id], j))
    ordered = sorted(pairs)
    return {
        "blocked_desk": np.array([k for k, _ in ordered], np.int64),
        "blocked_day": np.array([j for _, j in ordered], np.int64),
    }
