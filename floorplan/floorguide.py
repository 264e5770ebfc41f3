"""Buildings known only as a list of floors with seats: the "floor guide" form.

A floor guide is YAML (or the same mapping inline in a scenario file)::

    name: Civic centre (floor guide)
    defaults: {walking_speed_mps: 1.3, walk_m: 25}      # optional, any field of TravelDefaults
    floors:
      - {name: 1F, level: 0, elevation_m: 0.0, seats: 40}
      - {name: 2F, level: 1, seats: 180, walk_m: 30, height_m: 5.0}
    cores:
      - {id: low, kind: lift, levels: [0, 1, 2], wait_s: 30}
      - {id: s1, kind: stair, levels: [0, 1, 2]}

Each floor is one place: no geometry, ``seats`` seats, and every walk on it (seat to core, seat to seat, core to
core) is its ``walk_m`` (default 25 m). ``level`` and ``name`` are required. A floor without ``elevation_m`` is
placed from the nearest floor below that has one (or, failing that, the nearest above), adding floor-to-floor
heights (``height_m``, default 4.0 m; a level missing from the list counts the default); with no elevation
anywhere, level 0 is at 0 m.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from floorplan.errors import InvalidBuilding, Problem
from floorplan.importing import Imported
from floorplan.model import Building, Core, CoreKind, Floor, TravelDefaults
from floorplan.validation import check_building

_FLOOR_KEYS = {"id", "name", "level", "elevation_m", "height_m", "seats", "walk_m", "use"}
_CORE_KEYS = {"id", "kind", "name", "levels", "wait_s", "door_s", "speed_mps", "accel_mps2"} | {
    "up_s_per_floor",
    "down_s_per_floor",
}
_TOP_KEYS = {"id", "name", "timezone", "defaults", "floors", "cores", "metadata"}


def read_floor_guide(path: str | Path) -> Imported:
    """Read and validate a floor-guide YAML file."""
    path = Path(path)
    data = load_yaml(path)
    return Imported(building_from_floor_guide(data, source=str(path)))


def load_yaml(path: Path) -> Any:
    """Parse a YAML file, turning a syntax error into an `InvalidBuilding` that names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidBuilding([Problem(f"not UTF-8 text ({exc.reason})")], source=str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InvalidBuilding([Problem(f"not valid YAML: {reason}", where)], source=str(path)) from None


def building_from_floor_guide(data: Any, *, source: str = "", building_id: str = "building") -> Building:
    """Build and validate a building from a parsed floor guide (a mapping with ``floors`` and ``cores``)."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise InvalidBuilding([Problem("a floor guide must be a mapping with 'floors' (and 'cores')")], source=source)
    problems += _unknown_keys(data, _TOP_KEYS, "floor guide")
    defaults = _defaults(data.get("defaults"), problems)
    raw_floors = data.get("floors")
    if not isinstance(raw_floors, list) or not raw_floors:
        problems.append(Problem("must be a non-empty list of floors", "floor guide", "floors"))
        raw_floors = []
    raw_cores = data.get("cores") or []
    if not isinstance(raw_cores, list):
        problems.append(Problem("must be a list of cores", "floor guide", "cores"))
        raw_cores = []

    parsed: list[dict[str, Any]] = []
    for i, raw in enumerate(raw_floors):
        where = f"floors[{i}]"
        if not isinstance(raw, Mapping):
            problems.append(Problem("must be a mapping such as {name: 2F, level: 1, seats: 120}", where))
            continue
        if "name" in raw:
            where = f"floor {raw['name']!r}"
        problems += _unknown_keys(raw, _FLOOR_KEYS, where)
        floor: dict[str, Any] = {"where": where}
        for key, kind in (("level", int), ("seats", int), ("elevation_m", float), ("height_m", float)):
            floor[key] = _typed(raw, key, kind, where, problems, required=key == "level")
        floor["walk_m"] = _typed(raw, "walk_m", float, where, problems)
        if not raw.get("name"):
            problems.append(Problem("is missing", where, "name"))
        floor["name"] = str(raw.get("name", ""))
        floor["id"] = str(raw.get("id") or floor["name"])
        floor["use"] = str(raw.get("use") or "")
        parsed.append(floor)

    cores: list[Core] = []
    for i, raw in enumerate(raw_cores):
        core = _core(raw, f"cores[{i}]", defaults, problems)
        if core is not None:
            cores.append(core)
    if problems:
        raise InvalidBuilding(problems, source=source)

    elevations = _elevations(parsed, defaults.floor_height_m)
    floors = tuple(
        Floor(
            id=f["id"],
            level=f["level"],
            name=f["name"],
            elevation_m=elevations[f["level"]],
            height_m=f["height_m"] if f["height_m"] is not None else defaults.floor_height_m,
            seats=f["seats"] if f["seats"] is not None else 0,
            walk_m=f["walk_m"],
            use=f["use"],
        )
        for f in parsed
    )
    building = Building(
        id=str(data.get("id") or building_id),
        name=str(data.get("name") or ""),
        floors=floors,
        cores=tuple(cores),
        defaults=defaults,
        timezone=str(data.get("timezone") or "Asia/Tokyo"),
        metadata=data.get("metadata") or {},
    )
    return check_building(building, source=source)


def _elevations(floors: list[dict[str, Any]], default_height: float) -> dict[int, float]:
    """Each level's elevation: given ones kept, the others built up from the nearest given floor."""
    heights = {f["level"]: f["height_m"] for f in floors if f["height_m"] is not None}
    known: dict[int, float] = {f["level"]: f["elevation_m"] for f in floors if f["elevation_m"] is not None}
    if not known:
        known = {0: 0.0}

    def height(level: int) -> float:
        return float(heights.get(level, default_height))

    result: dict[int, float] = {}
    for f in floors:
        level = f["level"]
        if level in known:
            result[level] = known[level]
            continue
        below = [k for k in known if k < level]
        if below:
            base = max(below)
            result[level] = known[base] + sum(height(lv) for lv in range(base, level))
        else:
            top = min(k for k in known if k > level)
            result[level] = known[top] - sum(height(lv) for lv in range(level, top))
    return result


def _core(raw: Any, where: str, defaults: TravelDefaults, problems: list[Problem]) -> Core | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem("must be a mapping such as {id: low, kind: lift, levels: [0, 1, 2]}", where))
        return None
    if "id" in raw:
        where = f"core {raw['id']!r}"
    n = len(problems)
    problems += _unknown_keys(raw, _CORE_KEYS, where)
    if not raw.get("id"):
        problems.append(Problem("is missing", where, "id"))
    kind = CoreKind.LIFT
    try:
        kind = CoreKind(str(raw.get("kind")))
    except ValueError:
        problems.append(Problem(f"{raw.get('kind')!r} is not one of lift, stair, escalator", where, "kind"))
    levels = raw.get("levels")
    if not isinstance(levels, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in levels):
        problems.append(Problem("must be a list of level ordinals such as [0, 1, 2]", where, "levels"))
    timing = defaults.core_timing()
    for key in timing:
        value = _typed(raw, key, float, where, problems)
        if value is not None:
            timing[key] = value
    if len(problems) > n:
        return None
    assert isinstance(levels, list)
    return Core(id=str(raw["id"]), kind=kind, levels=tuple(levels), name=str(raw.get("name") or ""), **timing)


def _defaults(raw: Any, problems: list[Problem]) -> TravelDefaults:
    if raw is None:
        return TravelDefaults()
    if not isinstance(raw, Mapping):
        problems.append(Problem("must be a mapping", "floor guide", "defaults"))
        return TravelDefaults()
    known = set(TravelDefaults.__dataclass_fields__)
    problems += _unknown_keys(raw, known, "defaults")
    values = {k: v for k in known if (v := _typed(raw, k, float, "defaults", problems)) is not None}
    return TravelDefaults(**values)


def _typed(
    raw: Mapping[str, Any], key: str, kind: type, where: str, problems: list[Problem], *, required: bool = False
) -> Any:
    value = raw.get(key)
    if value is None:
        if required:
            problems.append(Problem("is missing", where, key))
        return None
    ok = isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        ok = ok or isinstance(value, float)
    if not ok:
        what = "a whole number" if kind is int else "a number"
        problems.append(Problem(f"must be {what}, not {value!r}", where, key))
        return None
    return kind(value)


def _unknown_keys(raw: Mapping[str, Any], known: set[str], where: str) -> list[Problem]:
    return [
        Problem(f"unknown key {key!r} (known keys: {', '.join(sorted(known))})", where)
        for key in raw
        if key not in known
    ]
