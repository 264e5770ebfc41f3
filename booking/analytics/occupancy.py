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
    """The counts every report is made of, by slot (last axis: morning, afternoon)."""

    present: IntArray  # (units, days, 2): free-address people of each unit (directly) in, distinct
    present_any: IntArray  # (units, days): people of each unit (directly, fixed-desk owners too) in that day
    used: IntArray  # (floors, days, 2): bookable desks used, distinct
    booked: IntArray  # (floors, days, 2): bookable desks held by a booking that was used or not shown up for
    available: IntArray  # (floors, days): bookable desks not blocked


def tally(facts: AttendanceFacts) -> Tally:
    """Count distinct people and desks per slot (a person with two bookings in one slot is one person in)."""
    units, days, floors = len(facts.units.ids), len(facts.days), len(facts.floors)
    present = np.zeros((units, days, 2), np.int64)
    present_any = np.zeros((units, days), np.int64)
    used = np.zeros((floors, days, 2), np.int64)
    booked = np.zeros((floors, days, 2), np.int64)
    user, desk, day = facts.booking_user, facts.booking_desk, facts.booking_day
    outcome, slots = facts.booking_outcome, facts.booking_slots
    came = outcome == IN
    held = came | (outcome == NO_SHOW)
    free_address = ~facts.user_owns_desk[user] if len(user) else np.zeros(0, bool)
    bookable = facts.desks.bookable[desk] if len(desk) else np.zeros(0, bool)
    for axis, bit, _ in SLOTS:
        in_slot = (slots & bit) > 0
        _count_people(present[:, :, axis], facts, user, day, came & in_slot & free_address)
        _count_desks(used[:, :, axis], facts, desk, day, came & in_slot & bookable)
        _count_desks(booked[:, :, axis], facts, desk, day, held & in_slot & bookable)
    _count_people(present_any, facts, user, day, came)
    available = facts.bookable_per_floor()[:, None] - facts.blocked_per_floor()
    return Tally(present, present_any, used, booked, available)


def _count_people(
    target: IntArray, facts: AttendanceFacts, user: IntArray, day: IntArray, mask: NDArray[np.bool_]
) -> None:
    days = max(len(facts.days), 1)
    keys = np.unique(user[mask] * days + day[mask])
    people, on = keys // days, keys % days
    unit = facts.user_unit[people]
    known = unit >= 0
    np.add.at(target, (unit[known], on[known]), 1)


def _count_desks(
    target: IntArray, facts: AttendanceFacts, desk: IntArray, day: IntArray, mask: NDArray[np.bool_]
) -> None:
    days = max(len(facts.days), 1)
    keys = np.unique(desk[mask] * days + day[mask])
    np.add.at(target, (facts.desks.floor[keys // days], keys % days), 1)


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


def zone_occupancy(facts: AttendanceFacts) -> list[ZoneOccupancy]:
    """Each zone's bookable desks over every open day (not only its weekdays: how much it is used at all)."""
    days = max(len(facts.days), 1)
    blocked = np.zeros((len(facts.desks.ids), len(facts.days)), bool)
    blocked[facts.blocked_desk, facts.blocked_day] = True
    came = facts.booking_outcome == IN
    rows = []
    for zone in facts.zones:
        desks = zone.desks[facts.desks.bookable[zone.desks]]
        slots = 2 * int((~blocked[desks]).sum())
        unit = facts.units.index.get(zone.unit_id)
        own_units = set(facts.units.subtree(unit)) if unit is not None else set()
        in_zone = came & np.isin(facts.booking_desk, desks)
        used = own = peak = 0
        for _, bit, _ in SLOTS:
            mask = in_zone & ((facts.booking_slots & bit) > 0)
            keys = np.unique(facts.booking_desk[mask] * days + facts.booking_day[mask])
            used += len(keys)
            if len(keys):
                peak = max(peak, int(np.bincount(keys % days).max()))
            mine = mask & np.isin(facts.user_unit[facts.booking_user], list(own_units))
            own += len(np.unique(facts.booking_desk[mine] * days + facts.booking_day[mine]))
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
