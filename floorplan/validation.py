"""Checks every reader runs on what it built: the faults a hand-made or exported building file tends to have."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import shapely
from shapely import Polygon
from shapely.validation import explain_validity

from floorplan.errors import InvalidBuilding, Problem
from floorplan.model import Building, CoreKind, Floor, Space, SpaceKind

#: Drawings exported from CAD are rarely exact: a desk or a space may stick out of its container by this much.
TOLERANCE_M = 0.05


def building_problems(building: Building) -> list[Problem]:
    """Every fault of ``building``; an empty list means it is valid."""
    problems: list[Problem] = []
    problems += _duplicates("floor", (f.id for f in building.floors))
    problems += _duplicates("floor", (f.name for f in building.floors), what="name")
    problems += _duplicates("floor", (str(f.level) for f in building.floors), what="level")
    problems += _duplicates("space", (s.id for s in building.spaces()))
    problems += _duplicates("desk", (d.id for d in building.desks()))
    problems += _duplicates("core", (c.id for c in building.cores))

    previous: Floor | None = None
    for floor in building.floors:
        problems += _floor_problems(floor)
        if previous is not None and floor.elevation_m <= previous.elevation_m:
            problems.append(
                Problem(
                    f"elevation {floor.elevation_m} m is not above level {previous.level} "
                    f"({previous.name}, {previous.elevation_m} m)",
                    where=f"floor {floor.name!r}",
                    field="elevation_m",
                )
            )
        previous = floor

    levels = {f.level: f for f in building.floors}
    for core in building.cores:
        where = f"core {core.id!r}"
        missing = [lv for lv in core.levels if lv not in levels]
        if missing:
            known = ", ".join(str(lv) for lv in sorted(levels))
            problems.append(
                Problem(f"serves level(s) {missing} that the building does not have (levels: {known})", where, "levels")
            )
        if len(core.levels) < 2:
            problems.append(Problem("serves fewer than two levels, so it links nothing", where, "levels"))
        if core.kind == CoreKind.LIFT:
            for name in ("wait_s", "door_s"):
                if getattr(core, name) < 0:
                    problems.append(Problem("must not be negative", where, name))
            for name in ("speed_mps", "accel_mps2"):
                if getattr(core, name) <= 0:
                    problems.append(Problem("must be greater than 0", where, name))
        else:
            for name in ("up_s_per_floor", "down_s_per_floor"):
                if getattr(core, name) < 0:
                    problems.append(Problem("must not be negative", where, name))
        if core.footprint is not None:
            problems += _polygon_problems(core.footprint, where, "footprint")
            for lv in core.levels:
                served = levels.get(lv)
                if (
                    served is not None
                    and served.outline is not None
                    and core.footprint.is_valid
                    and not served.outline.buffer(TOLERANCE_M).covers(core.footprint)
                ):
                    problems.append(Problem(f"footprint lies outside the outline of floor {served.name!r}", where))
    if building.walking_speed_mps <= 0:
        problems.append(Problem("must be greater than 0", "building", "walking_speed_mps"))
    return problems


def check_building(building: Building, *, source: str = "") -> Building:
    """Return ``building`` if it is valid, else raise `InvalidBuilding` listing every fault."""
    problems = building_problems(building)
    if problems:
        raise InvalidBuilding(problems, source=source)
    return building


def _duplicates(kind: str, ids: Iterable[str], *, what: str = "id") -> list[Problem]:
    counts = Counter(ids)
    return [
        Problem(f"{what} {value!r} is used by {n} {kind}s", where=f"{kind} {value!r}", field=what)
        for value, n in counts.items()
        if n > 1
    ]


def _polygon_problems(geometry: object, where: str, field: str) -> list[Problem]:
    if not isinstance(geometry, Polygon):
        return [Problem(f"must be a Polygon, not {type(geometry).__name__}", where, field)]
    if geometry.is_empty:
        return [Problem("polygon is empty", where, field)]
    if not geometry.is_valid:
        return [Problem(f"polygon is not valid: {explain_validity(geometry)}", where, field)]
    if geometry.area <= 0:
        return [Problem("polygon has no area", where, field)]
    return []


def _floor_problems(floor: Floor) -> list[Problem]:
    problems: list[Problem] = []
    fwhere = f"floor {floor.name!r}"
    if floor.height_m <= 0:
        problems.append(Problem("must be greater than 0", fwhere, "height_m"))
    if floor.walk_m is not None and floor.walk_m < 0:
        problems.append(Problem("must not be negative", fwhere, "walk_m"))
    if floor.seats is not None and floor.seats < 0:
        problems.append(Problem("must not be negative", fwhere, "seats"))
    outline_ok = False
    if floor.outline is not None:
        outline_problems = _polygon_problems(floor.outline, fwhere, "outline")
        problems += outline_problems
        outline_ok = not outline_problems
    container = floor.outline.buffer(TOLERANCE_M) if outline_ok and floor.outline is not None else None

    spaces: dict[str, Space] = {}
    for space in floor.spaces:
        where = f"space {space.id!r} on floor {floor.name!r}"
        spaces[space.id] = space
        if space.floor_id != floor.id:
            problems.append(Problem(f"names floor {space.floor_id!r} but is on floor {floor.id!r}", where, "floor_id"))
        if space.capacity is not None and space.capacity < 0:
            problems.append(Problem("must not be negative", where, "capacity"))
        if space.area_m2 is not None and space.area_m2 < 0:
            problems.append(Problem("must not be negative", where, "area_m2"))
        if space.geometry is None:
            continue
        geometry_problems = _polygon_problems(space.geometry, where, "geometry")
        problems += geometry_problems
        if not geometry_problems and container is not None and not container.covers(space.geometry):
            problems.append(Problem("lies outside the floor's outline", where, "geometry"))

    # A desk must sit inside its own space; prepared polygons keep this fast on floors with many desks.
    prepared: dict[str, Polygon] = {}
    for desk in floor.desks:
        where = f"desk {desk.id!r} on floor {floor.name!r}"
        holder = spaces.get(desk.space_id)
        if holder is None:
            problems.append(Problem(f"names space {desk.space_id!r}, which is not on this floor", where, "space_id"))
            continue
        space = holder
        if space.kind != SpaceKind.OFFICE and space.kind != SpaceKind.MEETING:
            problems.append(Problem(f"is in space {space.id!r} of kind {space.kind.value!r}, not an office", where))
        if desk.geometry.is_empty or not desk.geometry.is_valid:
            problems.append(Problem("geometry is empty or not valid", where, "geometry"))
            continue
        if space.geometry is None or not space.geometry.is_valid:
            continue
        shape = prepared.get(space.id)
        if shape is None:
            shape = space.geometry.buffer(TOLERANCE_M)
            shapely.prepare(shape)
            prepared[space.id] = shape
        if not shape.covers(desk.geometry):
            problems.append(Problem(f"lies outside its space {space.id!r}", where, "geometry"))
    for i, line in enumerate(floor.corridors):
        if line.is_empty or not line.is_valid or line.length <= 0:
            problems.append(Problem("corridor line is empty or not valid", f"corridor {i} on floor {floor.name!r}"))
    return problems
