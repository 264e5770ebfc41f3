"""Which of a scenario's constraints a layout breaks, in words a committee can read."""

from __future__ import annotations

from layouts.layout import Layout
from layouts.scenario import Scenario


def floors_of_units(scenario: Scenario, layout: Layout) -> dict[str, dict[str, int]]:
    """Seats of each unit per floor id (space-level seats counted on their floor)."""
    floors = scenario.place_index.floors
    out: dict[str, dict[str, int]] = {}
    for unit, seats in layout.seats.items():
        by_floor = out.setdefault(unit, {})
        for name, n in seats.items():
            fid = floors[name].id
            by_floor[fid] = by_floor.get(fid, 0) + n
    return out


def constraint_violations(scenario: Scenario, layout: Layout) -> list[str]:
    """Every constraint of ``scenario`` that ``layout`` breaks (empty when it keeps them all)."""
    c = scenario.constraints
    org = scenario.organisation
    building = scenario.building
    units_floors = {u: set(f) for u, f in floors_of_units(scenario, layout).items()}
    name = {f.id: f.name for f in building.floors}
    level = {f.id: f.level for f in building.floors}
    out: list[str] = []

    def floors_of(unit: str) -> set[str]:
        return set().union(*(units_floors.get(leaf, set()) for leaf in org.leaves(unit)))

    def names(ids: set[str]) -> str:
        return ", ".join(name[f] for f in sorted(ids, key=level.__getitem__))

    for unit, allowed in c.fixed.items():
        for leaf in org.leaves(unit):
            outside = units_floors.get(leaf, set()) - set(allowed)
            if outside:
                out.append(f"{leaf} is on {names(outside)}, but is fixed to {names(set(allowed))}")
    if c.available_floors:
        for unit in sorted(units_floors):
            elsewhere = units_floors[unit] - set(c.available_floors)
            if elsewhere:
                out.append(f"{unit} is on {names(elsewhere)}, outside the floors available to the scenario")
    closed = set(c.closed_floors)
    for unit in sorted(units_floors):
        on_closed = units_floors[unit] & closed
        if on_closed:
            out.append(f"{unit} is on closed floor(s) {names(on_closed)}")
    for unit, k in c.max_floors.items():
        used = floors_of(unit)
        if len(used) > k:
            out.append(f"{unit} is on {len(used)} floors ({names(used)}), more than {k}")
    for unit in c.adjacent:
        levels = sorted(level[f] for f in floors_of(unit))
        if levels and levels[-1] - levels[0] + 1 != len(levels):
            out.append(f"{unit} is on {names(floors_of(unit))}, which are not adjacent floors")
    for pair in sorted(c.apart, key=sorted):
        a, b = sorted(pair)
        shared = units_floors.get(a, set()) & units_floors.get(b, set())
        if shared:
            out.append(f"{a} and {b} are to be kept apart but share {names(shared)}")
    return out
