"""Occupancy: how much of the building's desks the period's bookings used, by floor, zone, weekday and slot.

Counted per half-day slot (morning, afternoon) of each open day:

- a desk is *used* in a slot when a booking with outcome ``IN`` (see `booking.analytics.facts`) overlaps it, and
  *booked* when any booking that held it (``IN`` or ``NO_SHOW``) does; a desk counts once per slot however many
  bookings it had;
- the desk-slots *available* are the bookable desks (not retired, without a fixed owner) times the open days
  times two, less the desks an admin blocked on a day. Fixed desks are counted apart: their owners do not book
  them, so their use is not known;
- occupancy = used / available; booked rate = booked / available; the peak is the most desks used in one slot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from booking.analytics.facts import CANCELLED, IN, NO_SHOW, SLOTS, AttendanceFacts, IntArray

WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Tally:
    """The counts every report is made of, by slot (axis of 2: morning, afternoon)."""

    present: IntArray  # (units, days, 2): free-address people of each unit (directly) in, distinct
    present_any: IntArray  # (units, days): people of each unit (directly, fixed-desk owners too) in that day
    used: IntArray  # (floors, days, 2): bookable desks used, distinct
    booked: IntArray  # (floors, days, 2): bookable desks held by a booking that was used or not shown up for
    available: IntArray  # (floors, days): bookable desks not blocked
    desk_used: NDArray[np.bool_]  # (2, desks, days): whether each bookable desk was used in the slot
    desk_unit: IntArray  # (2, desks, days): the unit of the person who used it (-1: none)


def _one_hot(index: IntArray, size: int) -> NDArray[np.float32]:
    """M[i, j] = 1 where index[j] == i (entries of -1 belong to no row): ``M @ per_item`` sums items by group."""
    matrix = np.zeros((size, len(index)), np.float32)
    known = index >= 0
    matrix[index[known], np.flatnonzero(known)] = 1.0
    return matrix


def tally(facts: AttendanceFacts) -> Tally:
    """Count distinct people and desks per slot (a person with two bookings in one slot is one person in).

    Distinct pairs are marked in boolean (person or desk) x day grids and summed by group with a matrix product:
    linear in the bookings, where sorting them would not be.
    """
    days, desks, people = len(facts.days), len(facts.desks.ids), len(facts.users)
    by_unit = _one_hot(facts.user_unit, len(facts.units.ids))
    by_floor = _one_hot(facts.desks.floor, len(facts.floors))
    user, desk, day = facts.booking_user, facts.booking_desk, facts.booking_day
    outcome, slots = facts.booking_outcome, facts.booking_slots
    came = outcome == IN
    held = came | (outcome == NO_SHOW)
    free_address = ~facts.user_owns_desk[user]
    bookable = facts.desks.bookable[desk]
    present = np.zeros((len(facts.units.ids), days, 2), np.int64)
    used = np.zeros((len(facts.floors), days, 2), np.int64)
    booked = np.zeros_like(used)
    desk_used = np.zeros((2, desks, days), bool)
    desk_unit = np.full((2, desks, days), -1, np.int64)
    for axis, bit, _ in SLOTS:
        in_slot = (slots & bit) > 0
        person = np.zeros((people, days), np.float32)
        mask = came & in_slot & free_address
        person[user[mask], day[mask]] = 1.0
        present[:, :, axis] = np.rint(by_unit @ person)
        mask = came & in_slot & bookable
        desk_used[axis, desk[mask], day[mask]] = True
        desk_unit[axis, desk[mask], day[mask]] = facts.user_unit[user[mask]]
        used[:, :, axis] = np.rint(by_floor @ desk_used[axis].astype(np.float32))
        grid = np.zeros((desks, days), np.float32)
        mask = held & in_slot & bookable
        grid[desk[mask], day[mask]] = 1.0
        booked[:, :, axis] = np.rint(by_floor @ grid)
    person = np.zeros((people, days), np.float32)
    person[user[came], day[came]] = 1.0
    present_any = np.rint(by_unit @ person).astype(np.int64)
    available = facts.bookable_per_floor()[:, None] - facts.blocked_per_floor()
    return Tally(present, present_any, used, booked, available, desk_used, desk_unit)


def _rate(part: float, whole: float) -> float | None:
    return float(part) / float(whole) if whole else None


@dataclass(frozen=True)
class FloorOccupancy:
    floor_id: int
    floor: str
    level: int
    desks: int  # bookable
    fixed_desks: int
    desk_slots: int
    used_slots: int
    booked_slots: int
    occupancy: float | None
    booked_rate: float | None
    peak_desks: int
    peak_rate: float | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def floor_occupancy(facts: AttendanceFacts, counts: Tally) -> list[FloorOccupancy]:
    """One row per floor that has desks, lowest first."""
    bookable, fixed = facts.bookable_per_floor(), facts.fixed_per_floor()
    rows = []
    for i, floor in enumerate(facts.floors):
        if not bookable[i] and not fixed[i]:
            continue
        slots = int(counts.available[i].sum()) * 2
        used, booked = int(counts.used[i].sum()), int(counts.booked[i].sum())
        peak = int(counts.used[i].max()) if counts.used[i].size else 0
        rows.append(
            FloorOccupancy(
                floor.id, floor.name, floor.level, int(bookable[i]), int(fixed[i]), slots, used, booked,
                _rate(used, slots), _rate(booked, slots), peak, _rate(peak, int(bookable[i])),
            )
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class WeekdayOccupancy:
    weekday: int  # 0 Monday .. 6 Sunday
    slot: str  # am or pm
    days: int
    desk_slots: int
    used_slots: int
    booked_slots: int
    occupancy: float | None
    booked_rate: float | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {"weekday_code": WEEKDAY_CODES[self.weekday]}


def weekday_occupancy(facts: AttendanceFacts, counts: Tally) -> list[WeekdayOccupancy]:
    """The whole building by weekday and slot, for the weekdays that had open days."""
    weekdays = facts.weekdays
    available = counts.available.sum(axis=0)
    used, booked = counts.used.sum(axis=0), counts.booked.sum(axis=0)
    rows = []
    for weekday in range(7):
        on = weekdays == weekday
        if not on.any():
            continue
        for axis, _, name in SLOTS:
            slots = int(available[on].sum())
            u, b = int(used[on, axis].sum()), int(booked[on, axis].sum())
            rows.append(WeekdayOccupancy(weekday, name, int(on.sum()), slots, u, b, _rate(u, slots), _rate(b, slots)))
    return rows


@dataclass(frozen=True)
class ZoneOccupancy:
    zone_id: int
    zone: str
    unit_id: str
    unit: str
    weekdays: tuple[int, ...]
    desks: int
    desk_slots: int
    used_slots: int
    occupancy: float | None
    own_share: float | None  # the share of the used desk-slots used by the zone's unit and its sub-units
    peak_desks: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self) | {"weekdays": list(self.weekdays)}


def zone_occupancy(facts: AttendanceFacts, counts: Tally) -> list[ZoneOccupancy]:
    """Each zone's bookable desks over every open day (not only its weekdays: how much it is used at all)."""
    rows = []
    for zone in facts.zones:
        desks = zone.desks[facts.desks.bookable[zone.desks]]
        blocked = int(np.isin(facts.blocked_desk, desks).sum())
        slots = 2 * (len(desks) * len(facts.days) - blocked)
        unit = facts.units.index.get(zone.unit_id)
        own_units = facts.units.subtree(unit) if unit is not None else []
        taken = counts.desk_used[:, desks, :]
        used = int(taken.sum())
        peak = int(taken.sum(axis=1).max()) if taken.size else 0
        own = int(np.isin(counts.desk_unit[:, desks, :], own_units).sum())
        name = facts.units.label(unit) if unit is not None else zone.unit_id
        rows.append(
            ZoneOccupancy(
                zone.id, zone.name, zone.unit_id, name, zone.weekdays, len(desks), slots, used, _rate(used, slots),
                _rate(own, used), peak,
            )
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class Totals:
    days: int
    desks: int
    bookings: int
    came: int
    no_shows: int
    cancellations: int
    no_show_rate: float | None  # no-shows among the bookings that held a desk
    cancellation_rate: float | None  # cancellations among all bookings
    occupancy: float | None
    booked_rate: float | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def totals(facts: AttendanceFacts, counts: Tally) -> Totals:
    outcome = facts.booking_outcome
    came, shows, cancelled = (int((outcome == k).sum()) for k in (IN, NO_SHOW, CANCELLED))
    slots = int(counts.available.sum()) * 2
    return Totals(
        len(facts.days), int(facts.bookable_per_floor().sum()), len(outcome), came, shows, cancelled,
        _rate(shows, came + shows), _rate(cancelled, len(outcome)), _rate(int(counts.used.sum()), slots),
        _rate(int(counts.booked.sum()), slots),
    )  # fmt: skip
