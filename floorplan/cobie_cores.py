"""Stairs and lifts of a building read from COBie: which spaces make one core, and which levels it serves.

COBie lists a stair or a lift shaft as a space on each floor it crosses (or, as often, on one floor only), and a
lift car as a component of an "Elevator" type in some space. The rules, in order:

* **Stairs.** Stairway spaces on consecutive levels whose boxes overlap in plan are one stair; a chain of them is
  one core serving the levels of its spaces, footprint the union of their boxes. A stairway with nothing stacked
  above or below it links no levels and is left out (with a note), as is one without a box (it cannot be
  stacked).
* **Lifts.** Elevator shaft spaces stacked the same way are one lift; a lift component joins the lift of the
  shaft it stands in, or, in a space that is no shaft, makes a lift of that space (a component naming spaces on
  several floors links them). The footprint is the union of the shafts' boxes (else of the spaces' boxes). A
  lift serves:

  1. the levels its spaces are listed on;
  2. every floor whose elevation lies within the vertical extent of a shaft's box, ``bottom <= elevation < top``
     (0.05 m tolerance), provided the box is in building heights (its bottom is at its own floor's elevation)
     and the floor's outline, if it has one, covers the footprint. Exporters draw a shaft as one room from the
     pit to the top of the shaft: the clinic's shaft E1 is listed on the First Floor only, but its box runs from
     0 m to 9.25 m, so it serves the First (0 m) and Second (4.57 m) floors;
  3. if that still gives a single level (a box in floor-local heights, or one as tall as a room): every floor
     whose outline covers the footprint.

  A lift that ends with fewer than two levels is left out, with a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import shapely
from shapely import Polygon

from floorplan.cobie_sheets import Sheet
from floorplan.model import Core, CoreKind, Floor, Space

#: Heights and outlines from CAD exports are not exact: a floor counts as within a box this close to its ends.
TOLERANCE_M = 0.05

_STAIR = re.compile(r"\bstair", re.IGNORECASE)
_LIFT = re.compile(r"\b(elevator|lift|hoistway)s?\b", re.IGNORECASE)
_LIFT_TYPE = re.compile(r"\belevators?\b|\b(passenger|goods|service)\s+lifts?\b", re.IGNORECASE)
_NOT_SHAFT = re.compile(r"lobby|lobbies|machine|motor|control|equipment", re.IGNORECASE)


def is_stair(category: str) -> bool:
    """A stairway space, by its Category text ("13-85 21 11: Stairway")."""
    return bool(_STAIR.search(category))


def is_lift_shaft(category: str) -> bool:
    """A lift shaft space ("13-81 21 31: Elevator Shaft"), not a lift lobby or a lift machine room."""
    return bool(_LIFT.search(category)) and not _NOT_SHAFT.search(category) and not is_stair(category)


@dataclass(frozen=True, slots=True)
class LiftComponent:
    """A component of an elevator type, with the ids of the spaces it stands in (all known spaces)."""

    name: str
    type_name: str
    space_ids: tuple[str, ...]


def lift_components_from_sheets(
    types: Sheet | None, components: Sheet | None, space_ids: set[str], notes: list[str]
) -> list[LiftComponent]:
    """Components of an elevator Type (Type sheet Name or Category), with the known spaces they stand in."""
    if types is None or components is None:
        return []
    lift_types = {
        row.text("Name")
        for row in types.rows
        if row.text("Name") and (_LIFT_TYPE.search(row.text("Name")) or _LIFT_TYPE.search(row.text("Category")))
    }
    found: list[LiftComponent] = []
    for row in components.rows:
        type_name = row.text("TypeName")
        if type_name not in lift_types:
            continue
        name = row.text("Name") or f"row {row.row_number}"
        named = [n.strip() for n in re.split(r"[,;]", row.text("Space")) if n.strip()]
        known = tuple(n for n in named if n in space_ids)
        for unknown in (n for n in named if n not in space_ids):
            notes.append(
                f"{row.where}: lift component {name!r} names space {unknown!r}, which is not in the Space sheet"
            )
        if known:
            found.append(LiftComponent(name, type_name, known))
        else:
            notes.append(f"{row.where}: lift component {name!r} has no known space; not used")
    return found


def cores_from_spaces(
    floors: Sequence[Floor],
    *,
    z_ranges: Mapping[str, tuple[float, float]],
    lift_components: Sequence[LiftComponent] = (),
) -> tuple[list[Core], list[str]]:
    """The stair and lift cores of ``floors``' spaces, and notes on stairs and lifts that make no core.

    ``z_ranges`` gives the bottom and top of each placed space's box, in metres. The spaces' ``category``
    attribute (COBie's Category text) says which are stairways and lift shafts.
    """
    level_of = {f.id: f.level for f in floors}
    spaces = {s.id: s for f in floors for s in f.spaces}
    notes: list[str] = []

    stairs = [s for s in spaces.values() if is_stair(_category(s))]
    cores: list[Core] = []
    for group in _stacked_groups(stairs, level_of):
        ordered = sorted(group, key=lambda s: (level_of[s.floor_id], s.id))
        ids = "/".join(s.id for s in ordered)
        levels = {level_of[s.floor_id] for s in ordered}
        if ordered[0].geometry is None:
            notes.append(f"stairway {ids}: its space has no box, so it cannot be matched with the floors it links")
        elif len(levels) < 2:
            notes.append(f"stairway {ids}: no stairway overlaps it on the floor above or below; not used as a core")
        else:
            cores.append(Core(f"stair-{ordered[0].id}", CoreKind.STAIR, tuple(levels), _union(ordered), name=ids))

    shafts = [s for s in spaces.values() if is_lift_shaft(_category(s))]
    graph = _stacking_graph(shafts, level_of)
    type_names: dict[str, set[str]] = {}
    for component in lift_components:
        graph.add_nodes_from(component.space_ids)
        nx.add_path(graph, component.space_ids)
        for space_id in component.space_ids:
            type_names.setdefault(space_id, set()).add(component.type_name)
    shaft_ids = {s.id for s in shafts}
    for group_ids in sorted(nx.connected_components(graph), key=lambda g: sorted(g)):
        ordered = sorted((spaces[i] for i in group_ids), key=lambda s: (level_of[s.floor_id], s.id))
        in_shafts = [s for s in ordered if s.id in shaft_ids]
        core, note = _lift(ordered, in_shafts or ordered, floors, level_of, z_ranges, type_names)
        if core is not None:
            cores.append(core)
        if note:
            notes.append(note)
    return cores, notes


def _category(space: Space) -> str:
    return str(space.attributes.get("category", ""))


def _stacking_graph(spaces: Iterable[Space], level_of: Mapping[str, int]) -> nx.Graph:
    """Spaces as nodes, linked when they are on consecutive levels and their boxes overlap in plan."""
    graph = nx.Graph()
    by_level: dict[int, list[Space]] = {}
    for space in spaces:
        graph.add_node(space.id)
        by_level.setdefault(level_of[space.floor_id], []).append(space)
    for level, below in by_level.items():
        for lower in below:
            for upper in by_level.get(level + 1, ()):
                if _overlap_in_plan(lower.geometry, upper.geometry):
                    graph.add_edge(lower.id, upper.id)
    return graph


def _overlap_in_plan(a: Polygon | None, b: Polygon | None) -> bool:
    return a is not None and b is not None and a.intersection(b).area > 0


def _stacked_groups(spaces: Sequence[Space], level_of: Mapping[str, int]) -> list[list[Space]]:
    by_id = {s.id: s for s in spaces}
    groups = nx.connected_components(_stacking_graph(spaces, level_of))
    return sorted(
        ([by_id[i] for i in group] for group in groups), key=lambda g: min((level_of[s.floor_id], s.id) for s in g)
    )


def _union(spaces: Iterable[Space]) -> Polygon | None:
    boxes = [s.geometry for s in spaces if s.geometry is not None]
    if not boxes:
        return None
    merged = shapely.union_all(boxes)
    # Overlapping boxes merge into one polygon; boxes that only touch could not, so take their envelope.
    return merged if isinstance(merged, Polygon) else shapely.envelope(merged)


def _lift(
    spaces: Sequence[Space],
    footprint_spaces: Sequence[Space],
    floors: Sequence[Floor],
    level_of: Mapping[str, int],
    z_ranges: Mapping[str, tuple[float, float]],
    type_names: Mapping[str, set[str]],
) -> tuple[Core | None, str]:
    ids = "/".join(s.id for s in spaces)
    footprint = _union(footprint_spaces)
    levels = {level_of[s.floor_id] for s in spaces}
    elevation = {f.id: f.elevation_m for f in floors}
    for space in footprint_spaces:
        bottom, top = z_ranges.get(space.id, (0.0, 0.0))
        if space.geometry is None or abs(bottom - elevation[space.floor_id]) > TOLERANCE_M:
            continue
        for floor in floors:
            if bottom - TOLERANCE_M <= floor.elevation_m < top - TOLERANCE_M and _covers(floor, footprint):
                levels.add(floor.level)
    note = ""
    if len(levels) < 2 and footprint is not None:
        covering = {f.level for f in floors if f.outline is not None and _covers(f, footprint)}
        if len(levels | covering) >= 2:
            levels |= covering
            note = (
                f"lift {ids}: its box gives no height in building coordinates; taken to serve every floor whose "
                f"outline covers it (levels {sorted(levels)})"
            )
    if len(levels) < 2:
        return None, f"lift {ids}: found on one level only and cannot be matched with other floors; not used"
    names = sorted({t for s in spaces for t in type_names.get(s.id, ())})
    name = f"{ids} ({', '.join(names)})" if names else ids
    return Core(f"lift-{spaces[0].id}", CoreKind.LIFT, tuple(levels), footprint, name=name), note


def _covers(floor: Floor, footprint: Polygon | None) -> bool:
    if floor.outline is None or footprint is None:
        return True
    return bool(floor.outline.buffer(TOLERANCE_M).covers(footprint))
