"""The native building file: one GeoJSON FeatureCollection, a ``feature_type`` property per feature.

In the spirit of IMDF, but in local metres (x east, y north), not longitude and latitude::

    {"type": "FeatureCollection", "floorwise": {"version": 1, "units": "m"}, "features": [
      {"type": "Feature", "id": "bcc", "geometry": null,
       "properties": {"feature_type": "building", "name": "...", "timezone": "Asia/Tokyo", "defaults": {...}}},
      {"type": "Feature", "id": "6F", "geometry": <Polygon outline or null>,
       "properties": {"feature_type": "level", "level": 6, "name": "6F", "elevation_m": 26.0, "height_m": 4.2,
                      "seats": null, "walk_m": null, "use": "offices"}},
      {"type": "Feature", "id": "6F-N1", "geometry": <Polygon or null>,
       "properties": {"feature_type": "space", "level_id": "6F", "kind": "office", "name": "...",
                      "area_m2": 210.0, "capacity": null, "zone": "", "hourly": false, "attributes": {}}},
      {"type": "Feature", "id": "6F-N1-01", "geometry": <Point or Polygon>,
       "properties": {"feature_type": "desk", "space_id": "6F-N1", "name": "", "attributes": {"monitor": true}}},
      {"type": "Feature", "id": "low", "geometry": <Polygon footprint or null>,
       "properties": {"feature_type": "core", "kind": "lift", "levels": [0, 1, 2], "name": "", "wait_s": 30, ...}},
      {"type": "Feature", "geometry": <LineString>, "properties": {"feature_type": "corridor", "level_id": "6F"}}
    ]}

Only ``feature_type``, ids, ``level`` and ``elevation_m`` of levels, ``level_id`` of spaces, ``space_id`` of desks
(or a desk's position inside an office space), ``kind`` and ``levels`` of cores are required; everything else has
the defaults of `floorplan.model`. `write_geojson` writes every field, so reading what it wrote gives an equal
building (floats are written with Python's shortest round-tripping repr).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

import shapely
from shapely import LineString, Point, Polygon
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from floorplan.errors import InvalidBuilding, Problem
from floorplan.files import write_text_atomic
from floorplan.importing import Imported
from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind, TravelDefaults
from floorplan.validation import check_building

FORMAT_VERSION = 1
FEATURE_TYPES = ("building", "level", "space", "desk", "core", "corridor")
_CORE_TIMING = ("wait_s", "door_s", "speed_mps", "accel_mps2", "up_s_per_floor", "down_s_per_floor")


def read_geojson(path: str | Path) -> Imported:
    """Read and validate a native building file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidBuilding([Problem(f"not UTF-8 text ({exc.reason})")], source=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InvalidBuilding(
            [Problem(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")], source=str(path)
        ) from None
    return Imported(building_from_geojson(data, source=str(path)))


def building_from_geojson(data: Any, *, source: str = "") -> Building:
    """Build and validate a building from a parsed native GeoJSON document."""
    reader = _Reader(source)
    building = reader.read(data)
    if reader.problems or building is None:
        raise InvalidBuilding(reader.problems, source=source)
    return check_building(building, source=source)


def write_geojson(building: Building, path: str | Path) -> None:
    """Write ``building`` as a native file, atomically: a failed write leaves no half-written file behind."""
    text = json.dumps(building_to_geojson(building), ensure_ascii=False, indent=1)
    write_text_atomic(path, text + "\n")


def building_to_geojson(building: Building) -> dict[str, Any]:
    """The native GeoJSON document of ``building`` (a dict ready for json.dumps)."""
    features: list[dict[str, Any]] = [
        _feature(
            building.id,
            None,
            feature_type="building",
            name=building.name,
            timezone=building.timezone,
            defaults=asdict(building.defaults),
            metadata=dict(building.metadata),
        )
    ]
    for floor in building.floors:
        features.append(
            _feature(
                floor.id,
                floor.outline,
                feature_type="level",
                level=floor.level,
                name=floor.name,
                elevation_m=floor.elevation_m,
                height_m=floor.height_m,
                seats=floor.seats,
                walk_m=floor.walk_m,
                use=floor.use,
            )
        )
        for space in floor.spaces:
            features.append(
                _feature(
                    space.id,
                    space.geometry,
                    feature_type="space",
                    level_id=floor.id,
                    kind=space.kind.value,
                    name=space.name,
                    area_m2=space.area_m2,
                    capacity=space.capacity,
                    zone=space.zone,
                    hourly=space.hourly,
                    attributes=dict(space.attributes),
                )
            )
        for desk in floor.desks:
            features.append(
                _feature(
                    desk.id,
                    desk.geometry,
                    feature_type="desk",
                    space_id=desk.space_id,
                    name=desk.name,
                    attributes=dict(desk.attributes),
                )
            )
        for line in floor.corridors:
            features.append(_feature(None, line, feature_type="corridor", level_id=floor.id))
    for core in building.cores:
        timing = {name: getattr(core, name) for name in _CORE_TIMING}
        features.append(
            _feature(
                core.id,
                core.footprint,
                feature_type="core",
                kind=core.kind.value,
                levels=list(core.levels),
                name=core.name,
                **timing,
            )
        )
    return {"type": "FeatureCollection", "floorwise": {"version": FORMAT_VERSION, "units": "m"}, "features": features}


def _feature(fid: str | None, geometry: BaseGeometry | None, **properties: Any) -> dict[str, Any]:
    feature: dict[str, Any] = {"type": "Feature"}
    if fid is not None:
        feature["id"] = fid
    feature["geometry"] = None if geometry is None else _coords_to_lists(mapping(geometry))
    feature["properties"] = properties
    return feature


def _coords_to_lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_coords_to_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _coords_to_lists(v) for k, v in value.items()}
    return value


class _Reader:
    """Turns features into model objects, collecting every problem instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, message: str, where: str, field: str = "") -> None:
        self.problems.append(Problem(message, where, field))

    def read(self, data: Any) -> Building | None:
        if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
            self.problem("the file is not a GeoJSON FeatureCollection", "document", "type")
            return None
        version = (data.get("floorwise") or {}).get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            self.problem(f"format version {version!r} is not supported (this is version {FORMAT_VERSION})", "document")
            return None
        raw = data.get("features")
        if not isinstance(raw, list):
            self.problem("must be a list", "document", "features")
            return None

        by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {t: [] for t in FEATURE_TYPES}
        for i, feature in enumerate(raw):
            where = f"features[{i}]"
            if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
                self.problem("is not a Feature with properties", where)
                continue
            ftype = feature["properties"].get("feature_type")
            if ftype not in by_type:
                self.problem(f"unknown feature_type {ftype!r} (expected one of {', '.join(FEATURE_TYPES)})", where)
                continue
            fid = feature.get("id", feature["properties"].get("id"))
            if fid is not None:
                where = f"{where} ({ftype} {fid!r})"
            by_type[ftype].append((where, feature))

        buildings = by_type["building"]
        if len(buildings) > 1:
            self.problem(f"there are {len(buildings)} building features; a file holds one building", "document")
        head: dict[str, Any] = buildings[0][1] if buildings else {"id": "building", "properties": {}}
        if not by_type["level"]:
            self.problem("has no level features: a building needs at least one floor", "document")

        props = head["properties"]
        defaults = self.defaults("building", props.get("defaults"))
        floors = [f for f in (self.level(w, f, defaults) for w, f in by_type["level"]) if f is not None]
        floor_ids = {f.id for f in floors}
        spaces: dict[str, list[Space]] = {f.id: [] for f in floors}
        for where, feature in by_type["space"]:
            space = self.space(where, feature, floor_ids)
            if space is not None:
                spaces[space.floor_id].append(space)
        space_floor = {s.id: fid for fid, ss in spaces.items() for s in ss}
        desks: dict[str, list[Desk]] = {f.id: [] for f in floors}
        for where, feature in by_type["desk"]:
            desk = self.desk(where, feature, spaces)
            if desk is not None:
                desks[space_floor[desk.space_id]].append(desk)
        corridors: dict[str, list[LineString]] = {f.id: [] for f in floors}
        for where, feature in by_type["corridor"]:
            line = self.corridor(where, feature, floor_ids)
            if line is not None:
                corridors[line[0]].append(line[1])
        cores = [c for c in (self.core(w, f, defaults) for w, f in by_type["core"]) if c is not None]
        floors = [
            replace(f, spaces=tuple(spaces[f.id]), desks=tuple(desks[f.id]), corridors=tuple(corridors[f.id]))
            for f in floors
        ]
        if self.problems:
            return None
        return Building(
            id=str(head.get("id", props.get("id", "building"))),
            name=str(props.get("name", "")),
            floors=tuple(floors),
            cores=tuple(cores),
            defaults=defaults,
            timezone=str(props.get("timezone", "Asia/Tokyo")),
            metadata=props.get("metadata") or {},
        )

    # -- one reader per feature type ---------------------------------------------------------------------------

    def level(self, where: str, feature: dict[str, Any], defaults: TravelDefaults) -> Floor | None:
        p = feature["properties"]
        fid = self.feature_id(where, feature)
        level = self.integer(where, p, "level", required=True)
        elevation = self.number(where, p, "elevation_m", required=True)
        outline = self.geometry(where, feature, (Polygon,), optional=True)
        if fid is None or level is None or elevation is None:
            return None
        height = self.number(where, p, "height_m")
        return Floor(
            id=fid,
            level=level,
            name=str(p.get("name") or fid),
            elevation_m=elevation,
            height_m=defaults.floor_height_m if height is None else height,
            outline=outline if isinstance(outline, Polygon) else None,
            seats=self.integer(where, p, "seats"),
            walk_m=self.number(where, p, "walk_m"),
            use=str(p.get("use") or ""),
        )

    def space(self, where: str, feature: dict[str, Any], floor_ids: set[str]) -> Space | None:
        p = feature["properties"]
        fid = self.feature_id(where, feature)
        level_id = p.get("level_id")
        if level_id not in floor_ids:
            self.problem(f"names level {level_id!r}, which the file does not have", where, "level_id")
            return None
        kind = self.enum(where, p, "kind", SpaceKind, default=SpaceKind.OTHER)
        geometry = self.geometry(where, feature, (Polygon,), optional=True)
        area = self.number(where, p, "area_m2")
        capacity = self.integer(where, p, "capacity")
        attributes = self.attributes(where, p)
        if fid is None or kind is None:
            return None
        return Space(
            id=fid,
            floor_id=str(level_id),
            kind=kind,
            geometry=geometry if isinstance(geometry, Polygon) else None,
            name=str(p.get("name") or ""),
            area_m2=area,
            capacity=capacity,
            zone=str(p.get("zone") or ""),
            hourly=bool(p.get("hourly", False)),
            attributes=attributes,
        )

    def desk(self, where: str, feature: dict[str, Any], spaces: Mapping[str, list[Space]]) -> Desk | None:
        p = feature["properties"]
        fid = self.feature_id(where, feature)
        geometry = self.geometry(where, feature, (Point, Polygon))
        if fid is None or geometry is None:
            return None
        space_id = p.get("space_id")
        all_spaces = {s.id: s for ss in spaces.values() for s in ss}
        if space_id is None:
            # A desk drawn without its space belongs to the office space that holds it.
            holders = [
                s
                for s in all_spaces.values()
                if s.kind == SpaceKind.OFFICE and s.geometry is not None and s.geometry.covers(geometry)
            ]
            if len(holders) != 1:
                self.problem("has no space_id and does not lie in exactly one office space", where, "space_id")
                return None
            space_id = holders[0].id
        elif space_id not in all_spaces:
            self.problem(f"names space {space_id!r}, which the file does not have", where, "space_id")
            return None
        return Desk(
            id=fid,
            space_id=str(space_id),
            geometry=geometry,
            name=str(p.get("name") or ""),
            attributes=self.attributes(where, p),
        )

    def corridor(self, where: str, feature: dict[str, Any], floor_ids: set[str]) -> tuple[str, LineString] | None:
        level_id = feature["properties"].get("level_id")
        if level_id not in floor_ids:
            self.problem(f"names level {level_id!r}, which the file does not have", where, "level_id")
            return None
        line = self.geometry(where, feature, (LineString,))
        return (str(level_id), line) if isinstance(line, LineString) else None

    def core(self, where: str, feature: dict[str, Any], defaults: TravelDefaults) -> Core | None:
        p = feature["properties"]
        fid = self.feature_id(where, feature)
        kind = self.enum(where, p, "kind", CoreKind)
        levels = p.get("levels")
        if not isinstance(levels, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in levels):
            self.problem("must be a list of level ordinals (integers)", where, "levels")
            levels = None
        footprint = self.geometry(where, feature, (Polygon,), optional=True)
        timing = defaults.core_timing()
        timing.update({name: v for name in _CORE_TIMING if (v := self.number(where, p, name)) is not None})
        if fid is None or kind is None or levels is None:
            return None
        return Core(
            id=fid,
            kind=kind,
            levels=tuple(levels),
            footprint=footprint if isinstance(footprint, Polygon) else None,
            name=str(p.get("name") or ""),
            **timing,
        )

    # -- field readers -----------------------------------------------------------------------------------------

    def feature_id(self, where: str, feature: dict[str, Any]) -> str | None:
        fid = feature.get("id", feature["properties"].get("id"))
        if fid is None or fid == "":
            self.problem("has no id", where, "id")
            return None
        return str(fid)

    def number(self, where: str, p: Mapping[str, Any], name: str, *, required: bool = False) -> float | None:
        value = p.get(name)
        if value is None:
            if required:
                self.problem("is missing", where, name)
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(f"must be a number, not {value!r}", where, name)
            return None
        return float(value) if isinstance(value, int) else value

    def integer(self, where: str, p: Mapping[str, Any], name: str, *, required: bool = False) -> int | None:
        value = p.get(name)
        if value is None:
            if required:
                self.problem("is missing", where, name)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"must be a whole number, not {value!r}", where, name)
            return None
        return value

    def enum(self, where: str, p: Mapping[str, Any], name: str, kind: type[Any], *, default: Any = None) -> Any | None:
        value = p.get(name)
        if value is None and default is not None:
            return default
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(k.value for k in kind)
            self.problem(f"{value!r} is not one of {choices}", where, name)
            return None

    def attributes(self, where: str, p: Mapping[str, Any]) -> dict[str, Any]:
        attrs = p.get("attributes") or {}
        if not isinstance(attrs, dict):
            self.problem("must be an object", where, "attributes")
            return {}
        bad = [k for k, v in attrs.items() if not isinstance(v, str | int | float | bool)]
        for k in bad:
            self.problem("attribute values must be text, numbers or true/false", where, f"attributes.{k}")
        return {k: v for k, v in attrs.items() if k not in bad}

    def geometry(
        self, where: str, feature: dict[str, Any], kinds: tuple[type[BaseGeometry], ...], *, optional: bool = False
    ) -> BaseGeometry | None:
        raw = feature.get("geometry")
        if raw is None:
            if not optional:
                self.problem("is missing", where, "geometry")
            return None
        try:
            geometry = shape(raw)
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException) as exc:
            self.problem(f"is not a GeoJSON geometry ({exc})", where, "geometry")
            return None
        if not isinstance(geometry, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            self.problem(f"must be a {names}, not a {geometry.geom_type}", where, "geometry")
            return None
        return geometry

    def defaults(self, where: str, raw: Any) -> TravelDefaults:
        if raw is None:
            return TravelDefaults()
        if not isinstance(raw, dict):
            self.problem("must be an object", where, "defaults")
            return TravelDefaults()
        known = {f.name for f in fields(TravelDefaults)}
        values: dict[str, float] = {}
        for key in raw:
            if key not in known:
                self.problem(f"unknown default {key!r} (known: {', '.join(sorted(known))})", where, "defaults")
            elif (value := self.number(where, raw, key)) is not None:
                values[key] = value
        return TravelDefaults(**values)
