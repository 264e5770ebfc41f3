"""The ``current`` layout of a scenario made from bookings: where each section sits in booking today.

Each section's seats per floor are its home desks there (`booking.analytics.homes`: its own zones' desks and its
people's fixed desks), which always fit the building and show its seats against its need. A section without a
home gets its seats spread over the floors it booked on, in proportion to its free-address person-slots there
(largest remainders), cut back where a floor would overflow; failing that, the base scenario's first layout.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from ruamel.yaml.comments import CommentedMap

from booking.analytics.facts import IN, AttendanceFacts
from booking.analytics.homes import Homes
from floorplan.model import Building
from layouts.scenario import Scenario


def current_layout(
    facts: AttendanceFacts,
    homes: Homes,
    leaves: Mapping[str, tuple[int, int]],
    base: Scenario | None,
    building: Building,
    notes: list[str],
) -> tuple[CommentedMap, dict[str, str]]:
    """Seats per floor name for each section of ``leaves`` (id -> (headcount, seats)), and how each was placed:
    ``home``, ``bookings``, ``base`` or ``none`` (see the module's text). Notes go to ``notes``."""
    floor_names = [f.name for f in facts.floors]
    capacity = {f.name: f.seat_capacity for f in building.floors}
    layout: dict[str, dict[str, int]] = {}
    sources: dict[str, str] = {}
    for uid in leaves:
        home = homes.per_floor(facts, uid)
        if home:
            layout[uid] = {floor_names[f]: n for f, n in sorted(home.items())}
            sources[uid] = "home"
    used = {name: 0 for name in floor_names}
    for placed in layout.values():
        for name, n in placed.items():
            used[name] += n
    spread = _person_slots_by_floor(facts)
    for uid, (_, seats) in leaves.items():
        if uid in layout:
            continue
        weights = spread.get(facts.units.index[uid])
        if weights is not None and weights.sum() > 0 and seats > 0:
            room = np.array([max(capacity.get(name, 0) - used[name], 0) for name in floor_names], float)
            shares = _largest_remainders(weights, seats)
            fitted = np.minimum(shares, room).astype(int)
            if fitted.sum() == 0:
                fitted[int(np.argmax(room))] = 1
            if fitted.sum() < seats:
                notes.append(f"{uid}: {seats - fitted.sum()} of its seats did not fit on the floors it booked on")
            layout[uid] = {floor_names[f]: int(n) for f, n in enumerate(fitted) if n > 0}
            sources[uid] = "bookings"
        elif base is not None and uid in base.layout().seats:
            by_floor: dict[str, int] = {}
            for place, n in base.layout().seats[uid].items():
                name = base.place_index.floors[place].name
                by_floor[name] = by_floor.get(name, 0) + n
            layout[uid] = by_floor
            sources[uid] = "base"
        else:
            layout[uid] = {}
            sources[uid] = "none"
            notes.append(f"{uid} has no home desks and no bookings to place it by")
        for name, n in layout[uid].items():
            used[name] = used.get(name, 0) + n
    ordered = CommentedMap()
    level = {f.name: f.level for f in facts.floors}
    for uid in sorted(layout):
        entry = CommentedMap(sorted(layout[uid].items(), key=lambda kv: level.get(kv[0], 0)))
        entry.fa.set_flow_style()
        ordered[uid] = entry
    return ordered, sources


def _person_slots_by_floor(facts: AttendanceFacts) -> dict[int, np.ndarray]:
    """Per unit (directly), its free-address person-slots in on each floor."""
    out = np.zeros((len(facts.units.ids), len(facts.floors)))
    if len(facts.booking_user):
        unit = facts.user_unit[facts.booking_user]
        mask = (facts.booking_outcome == IN) & (unit >= 0) & ~facts.user_owns_desk[facts.booking_user]
        weight = (facts.booking_slots & 1) + ((facts.booking_slots >> 1) & 1)
        np.add.at(out, (unit[mask], facts.desks.floor[facts.booking_desk[mask]]), weight[mask])
    return {i: out[i] for i in range(len(facts.units.ids))}


def _largest_remainders(weights: np.ndarray, total: int) -> np.ndarray:
    exact = weights / weights.sum() * total
    whole: np.ndarray = np.floor(exact).astype(int)
    for k in np.argsort(-(exact - whole), kind="stable")[: total - int(whole.sum())]:
        whole[k] += 1
    return whole
