"""What each unit really needs: how many of its people are in at once, and the seats that would have served them.

- **In at once**, for a unit on an open day: the most, over the day's two half-day slots, of the unit's distinct
  free-address people (those without a fixed desk) holding a booking with outcome ``IN`` that overlaps the slot.
  No-shows and cancellations are not counted: their desks were free for others. A unit's figures include its
  sub-units.
- **Peak** is the most in at once on any open day; **p90** the 90th percentile of the daily figures over all open
  days of the period (days nobody came count as 0), by nearest rank: the smallest value that at least 90 % of the
  days do not exceed. Planning for the p90 leaves one day in ten short of a seat or two.
- **Seats that would have served them** = the unit's people with a fixed desk + the p90 of its free-address people
  in at once; **desk ratio** = seats / headcount (active people). The peak is given beside.
- **Home desks**: the desks of the unit's zones (those kept for it and its sub-units) and the fixed desks of its
  people; ``peak_share_of_home`` = (people with a fixed desk + peak) / home desks, how much of its home the unit
  ever filled.
- **Weekday means**: the mean in-at-once figure over the open days of each weekday; the peak weekday has the
  highest mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from booking.analytics.facts import CANCELLED, IN, NO_SHOW, AttendanceFacts, IntArray
from booking.analytics.homes import homes_of
from booking.analytics.occupancy import WEEKDAY_CODES, Tally

#: The percentile seats are planned for.
SEAT_PERCENTILE = 90


def nearest_rank(values: Sequence[int] | IntArray, percentile: float) -> int:
    """The smallest value that at least ``percentile`` % of ``values`` do not exceed (0 for no values)."""
    if len(values) == 0:
        return 0
    ordered = np.sort(values)
    rank = max(math.ceil(percentile / 100.0 * len(ordered)), 1)
    return int(ordered[rank - 1])


@dataclass(frozen=True)
class UnitNeeds:
    unit_id: str
    unit: str
    parent_id: str | None
    is_leaf: bool
    headcount: int
    fixed_desks: int
    free_address: int
    person_slots: int  # free-address person-slots in
    attendance: float | None  # person_slots / (free_address * open slots)
    bookings: int
    no_shows: int
    cancellations: int
    no_show_rate: float | None
    cancellation_rate: float | None
    peak: int
    p90: int
    mean: float
    weekday_means: tuple[float | None, ...]  # Monday .. Sunday; None for weekdays without open days
    peak_weekday: int | None
    home_desks: int
    seats: int
    desk_ratio: float | None
    peak_share_of_home: float | None

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["weekday_means"] = dict(zip(WEEKDAY_CODES, self.weekday_means, strict=True))
        data["peak_weekday_code"] = None if self.peak_weekday is None else WEEKDAY_CODES[self.peak_weekday]
        return data


def daily_in_at_once(facts: AttendanceFacts, counts: Tally) -> IntArray:
    """(units, days): each unit's (with its sub-units) free-address people in at once, the busier slot of the day."""
    per_slot = np.einsum("uv,vds->uds", facts.units.subtree_matrix, counts.present).round().astype(np.int64)
    return per_slot.max(axis=2) if per_slot.size else np.zeros((len(facts.units.ids), len(facts.days)), np.int64)


def unit_needs(facts: AttendanceFacts, counts: Tally) -> list[UnitNeeds]:
    """One row per unit with people in it or below it, in id order."""
    tree = facts.units
    subtree = tree.subtree_matrix
    headcount = (subtree @ facts.headcount()).round().astype(int)
    fixed_people = (subtree @ facts.fixed_people()).round().astype(int)
    daily = daily_in_at_once(facts, counts)
    person_slots = (subtree @ counts.present.sum(axis=(1, 2))).round().astype(int)
    outcome_counts = _outcomes_per_unit(facts)
    home, fixed_desks = _home_desks(facts)
    weekdays = facts.weekdays
    slots = 2 * len(facts.days)
    rows = []
    for i, uid in enumerate(tree.ids):
        if headcount[i] == 0:
            continue
        came, shows, cancelled = (int(x) for x in subtree[i] @ outcome_counts)
        bookings = came + shows + cancelled
        means: list[float | None] = []
        for weekday in range(7):
            on = weekdays == weekday
            means.append(float(daily[i, on].mean()) if on.any() else None)
        known = [(m, d) for d, m in enumerate(means) if m is not None]
        peak_weekday = max(known, key=lambda md: (md[0], -md[1]))[1] if known and max(known)[0] > 0 else None
        p90 = nearest_rank(daily[i], SEAT_PERCENTILE)
        peak = int(daily[i].max()) if daily.shape[1] else 0
        free = int(headcount[i] - fixed_people[i])
        seats = int(fixed_people[i]) + p90
        rows.append(
            UnitNeeds(
                unit_id=uid,
                unit=tree.label(i),
                parent_id=tree.ids[tree.parents[i]] if tree.parents[i] >= 0 else None,
                is_leaf=tree.is_leaf(i),
                headcount=int(headcount[i]),
                fixed_desks=int(fixed_desks[i]),
                free_address=free,
                person_slots=int(person_slots[i]),
                attendance=person_slots[i] / (free * slots) if free and slots else None,
                bookings=bookings,
                no_shows=shows,
                cancellations=cancelled,
                no_show_rate=shows / (came + shows) if came + shows else None,
                cancellation_rate=cancelled / bookings if bookings else None,
                peak=peak,
                p90=p90,
                mean=float(daily[i].mean()) if daily.shape[1] else 0.0,
                weekday_means=tuple(means),
                peak_weekday=peak_weekday,
                home_desks=int(home[i]),
                seats=seats,
                desk_ratio=seats / int(headcount[i]),
                peak_share_of_home=(int(fixed_people[i]) + peak) / int(home[i]) if home[i] else None,
            )
        )
    return rows


def _outcomes_per_unit(facts: AttendanceFacts) -> IntArray:
    """(units, 3): each unit's (directly) bookings that came, did not show up, were cancelled."""
    out = np.zeros((len(facts.units.ids), 3), np.int64)
    unit = facts.user_unit[facts.booking_user] if len(facts.booking_user) else np.zeros(0, np.int64)
    known = unit >= 0
    for column, code in enumerate((IN, NO_SHOW, CANCELLED)):
        mask = known & (facts.booking_outcome == code)
        np.add.at(out[:, column], unit[mask], 1)
    return out


def _home_desks(facts: AttendanceFacts) -> tuple[IntArray, IntArray]:
    """Per unit with its sub-units: its home desks (`booking.analytics.homes`, each once) and its fixed desks."""
    homes = homes_of(facts)
    tree = facts.units
    home = np.zeros(len(tree.ids), np.int64)
    fixed = np.zeros(len(tree.ids), np.int64)
    for i in range(len(tree.ids)):
        below = [tree.ids[j] for j in tree.subtree(i)]
        home[i] = len(frozenset().union(*(homes.desks(u) for u in below)))
        fixed[i] = len(frozenset().union(*(homes.fixed_desks.get(u, frozenset()) for u in below)))
    return home, fixed
