"""The stack-plan editor's picture of a layout: floors as rows (top floor first), each unit's seats on a floor as a
block, and the seat check of every floor. The page draws it once (so that it reads without a script) and hands
the same data to ``static/js/stack-editor.js``, which redraws it after every move.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from floorplan.svg.palette import text_colour_on
from layouts.report.stacking import department_colours
from layouts.scenario import Scenario

SeatsByPlace = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit's seats in one place (a floor, or a space of it) of a layout."""

    unit: str
    label: str
    place: str
    floor: str
    seats: int
    colour: str
    ink: str


@dataclass(frozen=True, slots=True)
class FloorRow:
    name: str
    level: int
    capacity: int
    used: int
    note: str  # "closed", "unavailable" or ""
    blocks: tuple[Block, ...]

    @property
    def over(self) -> int:
        return max(0, self.used - self.capacity)


def floor_notes(scenario: Scenario) -> dict[str, str]:
    """Floor name -> "closed" (no unit may use it) or "unavailable" (outside the scenario's floors)."""
    building = scenario.building
    closed = {building.floor(f).name for f in scenario.constraints.closed_floors}
    available = {building.floor(f).name for f in scenario.constraints.available_floors}
    notes: dict[str, str] = {}
    for floor in building.floors:
        if floor.name in closed:
            notes[floor.name] = "closed"
        elif available and floor.name not in available:
            notes[floor.name] = "unavailable"
    return notes


def unit_styles(scenario: Scenario) -> dict[str, tuple[str, str, str]]:
    """Leaf unit -> (label, fill, ink): coloured by department as in the report's stacking diagrams."""
    org = scenario.organisation
    colours = department_colours(scenario)
    out: dict[str, tuple[str, str, str]] = {}
    for unit in org.leaves():
        fill = colours.get(org.department(unit), "#BBBBBB")
        out[unit] = (org[unit].label, fill, text_colour_on(fill))
    return out


def floor_of_places(scenario: Scenario, layout: SeatsByPlace) -> dict[str, str]:
    """Every place a layout names (a floor's name or id, a space id) -> the name of its floor."""
    floors = scenario.place_index.floors
    return {place: floors[place].name for seats in layout.values() for place in seats if place in floors}


def stack_rows(scenario: Scenario, layout: SeatsByPlace) -> list[FloorRow]:
    """The rows of the editor, top floor first: floors with seats, and any other floor the layout uses."""
    styles = unit_styles(scenario)
    places = floor_of_places(scenario, layout)
    order = {u: i for i, u in enumerate(styles)}
    by_floor: dict[str, list[Block]] = {}
    for unit in sorted(layout, key=lambda u: (order.get(u, len(order)), u)):
        label, fill, ink = styles.get(unit, (unit, "#BBBBBB", "#222222"))
        for place, seats in layout[unit].items():
            if seats <= 0 or place not in places:
                continue
            on = places[place]
            by_floor.setdefault(on, []).append(Block(unit, label, place, on, seats, fill, ink))
    notes = floor_notes(scenario)
    rows = []
    for floor in sorted(scenario.building.floors, key=lambda f: -f.level):
        blocks = tuple(by_floor.get(floor.name, ()))
        if floor.seat_capacity <= 0 and not blocks:
            continue
        used = sum(b.seats for b in blocks)
        rows.append(FloorRow(floor.name, floor.level, floor.seat_capacity, used, notes.get(floor.name, ""), blocks))
    return rows


def editor_data(scenario: Scenario, layout: SeatsByPlace) -> dict[str, Any]:
    """What the script needs to redraw the plan: floors, units with their colours, where each place is."""
    rows = stack_rows(scenario, layout)
    styles = unit_styles(scenario)
    return {
        "floors": [{"name": r.name, "level": r.level, "capacity": r.capacity, "note": r.note} for r in rows],
        "units": {u: {"label": label, "fill": fill, "ink": ink} for u, (label, fill, ink) in styles.items()},
        "labels": {u.id: u.label for u in scenario.organisation},
        "places": floor_of_places(scenario, layout),
        "layout": {unit: dict(seats) for unit, seats in layout.items()},
    }
