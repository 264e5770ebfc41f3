"""Which of a scenario's constraints a layout breaks, in words a committee can read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

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


ViolationKind = Literal["fixed", "available", "closed", "max_floors", "adjacent", "apart"]


@dataclass(frozen=True, slots=True)
class Violation:
    """A constraint a layout breaks: which kind, the units (ids) and floors (names) concerned, and the limit."""

    kind: ViolationKind
    units: tuple[str, ...]
    floors: tuple[str, ...]
    allowed: tuple[str, ...] = ()  # the floors a fixed unit may use
    limit: int = 0  # the most floors a unit may use

    def words(self, label: Callable[[str], str] = str) -> str:
        """The violation as an English sentence, units named by ``label``."""
        units = [label(u) for u in self.units]
        floors = ", ".join(self.floors)
        if self.kind == "fixed":
            return f"{units[0]} is on {floors}, but is fixed to {', '.join(self.allowed)}"
        if self.kind == "available":
            return f"{units[0]} is on {floors}, outside the floors available to the scenario"
        if self.kind == "closed":
            return f"{units[0]} is on closed floor(s) {floors}"
        if self.kind == "max_floors":
            return f"{units[0]} is on {len(self.floors)} floors ({floors}), more than {self.limit}"
        if self.kind == "adjacent":
            return f"{units[0]} is on {floors}, which are not adjacent floors"
        return f"{units[0]} and {units[1]} are to be kept apart but share {floors}"

    def __str__(self) -> str:
        return self.words()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "units": list(self.units), "floors": list(self.floors)}
        if self.kind == "fixed":
            out["allowed"] = list(self.allowed)
        if self.kind == "max_floors":
            out["limit"] = self.limit
        out["text"] = str(self)
        return out


def constraint_violations(scenario: Scenario, layout: Layout) -> list[Violation]:
    """Every constraint of ``scenario`` that ``layout`` breaks (empty when it keeps them all)."""
    c = scenario.constraints
    org = scenario.organisation
    building = scenario.building
    units_floors = {u: set(f) for u, f in floors_of_units(scenario, layout).items()}
    name = {f.id: f.name for f in building.floors}
    level = {f.id: f.level for f in building.floors}
    out: list[Violation] = []

    def floors_of(unit: str) -> set[str]:
        return set().union(*(units_floors.get(leaf, set()) for leaf in org.leaves(unit)))

    def names(ids: set[str] | tuple[str, ...]) -> tuple[str, ...]:
        return tuple(name[f] for f in sorted(ids, key=level.__getitem__))

    for unit, allowed in c.fixed.items():
        for leaf in org.leaves(unit):
            outside = units_floors.get(leaf, set()) - set(allowed)
            if outside:
                out.append(Violation("fixed", (leaf,), names(outside), allowed=names(allowed)))
    if c.available_floors:
        for unit in sorted(units_floors):
            elsewhere = units_floors[unit] - set(c.available_floors)
            if elsewhere:
                out.append(Violation("available", (unit,), names(elsewhere)))
    closed = set(c.closed_floors)
    for unit in sorted(units_floors):
        on_closed = units_floors[unit] & closed
        if on_closed:
            out.append(Violation("closed", (unit,), names(on_closed)))
    for unit, k in c.max_floors.items():
        used = floors_of(unit)
        if len(used) > k:
            out.append(Violation("max_floors", (unit,), names(used), limit=k))
    for unit in c.adjacent:
        levels = sorted(level[f] for f in floors_of(unit))
        if levels and levels[-1] - levels[0] + 1 != len(levels):
            out.append(Violation("adjacent", (unit,), names(floors_of(unit))))
    for pair in sorted(c.apart, key=sorted):
        a, b = sorted(pair)
        shared = units_floors.get(a, set()) & units_floors.get(b, set())
        if shared:
            out.append(Violation("apart", (a, b), names(shared)))
    return out
