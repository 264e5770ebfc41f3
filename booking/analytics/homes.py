"""Where units live today in booking: their home zones and their people's fixed desks.

A unit's **home desks** are the desks of the zones kept for that unit itself (a zone's listed desks and the desks
of its spaces; zones of a department are not its sections' homes) and the fixed desks its own people own, leaving
out retired desks. Per floor, they are the seats a "current" layout gives the unit (`booking.analytics.planning`),
and what `booking.analytics.neighbourhoods` compares a layout with.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking.analytics.facts import AttendanceFacts


@dataclass(frozen=True)
class Homes:
    zone_desks: dict[str, frozenset[int]]  # unit id -> desk indices of its own zones
    fixed_desks: dict[str, frozenset[int]]  # unit id -> desk indices its people own
    weekdays: dict[str, frozenset[int]]  # unit id -> the weekdays of its own zones

    def desks(self, unit: str) -> frozenset[int]:
        return self.zone_desks.get(unit, frozenset()) | self.fixed_desks.get(unit, frozenset())

    def per_floor(self, facts: AttendanceFacts, unit: str, *, zones_only: bool = False) -> dict[int, int]:
        """Home desks per floor index."""
        chosen = self.zone_desks.get(unit, frozenset()) if zones_only else self.desks(unit)
        counts: dict[int, int] = {}
        for k in chosen:
            floor = int(facts.desks.floor[k])
            counts[floor] = counts.get(floor, 0) + 1
        return counts


def homes_of(facts: AttendanceFacts) -> Homes:
    retired = facts.desks.retired
    zones: dict[str, set[int]] = {}
    weekdays: dict[str, set[int]] = {}
    for zone in facts.zones:
        zones.setdefault(zone.unit_id, set()).update(int(k) for k in zone.desks if not retired[k])
        weekdays.setdefault(zone.unit_id, set()).update(zone.weekdays)
    unit_of = {
        user: facts.units.ids[unit]
        for user, unit in zip(facts.users, facts.user_unit.tolist(), strict=True)
        if unit >= 0
    }
    fixed: dict[str, set[int]] = {}
    for k, owner in enumerate(facts.desks.owners):
        if owner is not None and not retired[k] and owner in unit_of:
            fixed.setdefault(unit_of[owner], set()).add(k)
    return Homes(
        {u: frozenset(d) for u, d in zones.items()},
        {u: frozenset(d) for u, d in fixed.items()},
        {u: frozenset(w) for u, w in weekdays.items()},
    )
