"""A layout's stacking diagram for the report: the units on each floor, coloured by department."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from floorplan.svg import StackSegment, StackWords, department_palette, stack_to_svg
from layouts.report.catalogue import N_, Catalogue
from layouts.scenario import Scenario
from layouts.scoring import UnitSeats


def department_colours(scenario: Scenario) -> dict[str, str]:
    """A colour for each department (top-level unit), in the order the departments come in the scenario file."""
    org = scenario.organisation
    return department_palette([org.department(u.id) for u in org])


def stack_segments(
    scenario: Scenario, units: Sequence[UnitSeats], colours: Mapping[str, str]
) -> dict[int, list[StackSegment]]:
    """Level -> the units on that floor with their seats, grouped by department in file order.

    ``units`` are a layout's seats per unit and floor name (`LayoutScore.units`); ``colours`` maps department ids
    to colours (`department_colours`).
    """
    org = scenario.organisation
    order = {uid: i for i, uid in enumerate(org.units)}
    departments = {d: i for i, d in enumerate(colours)}

    def sort_key(seats: UnitSeats) -> tuple[int, int]:
        return departments.get(org.department(seats.unit), len(departments)), order.get(seats.unit, len(order))

    segments: dict[int, list[StackSegment]] = {}
    for unit in sorted(units, key=sort_key):
        department = org.department(unit.unit) if unit.unit in org else unit.unit
        label = org[unit.unit].label if unit.unit in org else unit.unit
        group = org[department].label if department in org else department
        for floor_name, seats in unit.floors.items():
            level = scenario.building.floor(floor_name).level
            segments.setdefault(level, []).append(StackSegment(label, seats, colours.get(department, "#BBBBBB"), group))
    return segments


#: The stacking diagram's words (`StackWords`, one message per field), their ``{fields}`` filled by the diagram.
STACK_WORDS = {
    "heading": N_("{building}: seats by floor"),
    "summary_used": N_("{floors} floors · {used:,} of {capacity:,} seats used"),
    "summary_seats": N_("{floors} floors · {capacity:,} seats"),
    "label": N_("{heading}: {summary}"),
    "seats": N_("{n} seats"),
    "over": N_("(+{n} over)"),
    "axis": N_("seats"),
    "free_seats": N_("free seats"),
    "over_capacity": N_("over capacity"),
    "no_seats": N_("no seats"),
    "marked": N_("marked"),
    "floor_used": N_("{floor}: {used} of {capacity} seats used"),
    "floor_seats": N_("{floor}: {n} seats"),
    "segment": N_("{label}: {n} seats"),
    "segment_in_group": N_("{label}: {n} seats, {group}"),
}


def stack_words(catalogue: Catalogue) -> StackWords:
    """The stacking diagram's words in the catalogue's language."""
    return StackWords(**{f.name: catalogue.unfilled(STACK_WORDS[f.name]) for f in dataclasses.fields(StackWords)})


def layout_stack_svg(
    scenario: Scenario,
    units: Sequence[UnitSeats],
    colours: Mapping[str, str],
    *,
    title: str,
    notes: Mapping[str, str],
    id_prefix: str,
    words: StackWords | None = None,
) -> str:
    """The stacking diagram of one layout, ready to inline in a page.

    Floors the scenario may not use are marked with ``notes["closed"]`` (closed floors) or
    ``notes["unavailable"]`` (floors with seats outside the scenario's available floors: other departments' floors),
    so that their empty bars are not read as room to spare. Every id in the drawing (its fill patterns) gets
    ``id_prefix``, so that several drawings in one page keep distinct ids and each refers to its own patterns.
    ``words`` are the drawing's words (`stack_words`); English by default.
    """
    building = scenario.building
    constraints = scenario.constraints
    marked: dict[int, str] = {}
    if constraints.available_floors:
        available = set(constraints.available_floors)
        marked = {f.level: notes["unavailable"] for f in building.floors if f.seat_capacity and f.id not in available}
    marked |= {building.floor(fid).level: notes["closed"] for fid in constraints.closed_floors}
    svg = stack_to_svg(
        building,
        segments=stack_segments(scenario, units, colours),
        highlight_levels=marked,
        title=title,
        words=words,
    )
    return scope_svg_ids(svg, id_prefix)


_ID = re.compile(r'(\sid=")([^"]+)(")')
_URL_REF = re.compile(r"(url\(#)([^)]+)(\))")
_HREF_REF = re.compile(r'(href=")#([^"]+)(")')


def scope_svg_ids(svg: str, prefix: str) -> str:
    """``svg`` with each id, and each ``url(#id)`` and ``href="#id"`` that refers to one, prefixed by ``prefix``."""
    svg = _ID.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", svg)
    svg = _URL_REF.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", svg)
    return _HREF_REF.sub(lambda m: f"{m.group(1)}#{prefix}{m.group(2)}{m.group(3)}", svg)
