"""Read an IMDF archive (Indoor Mapping Data Format, OGC community standard 20-094): a folder or a zip of GeoJSON.

What is read, and how:

- **Projection.** IMDF coordinates are WGS84 longitude / latitude. They are projected with pyproj to an azimuthal
  equidistant plane (``+proj=aeqd``) centred on the middle of the bounding box of the indoor level polygons, so x
  is metres east and y metres north of that point. The projection and its centre are kept in
  ``Building.metadata`` (``crs``, ``origin_lon_lat``).
- **Floors** come from ``level.geojson``: level = ``ordinal``, name = ``short_name`` (its "en" text, else the first;
  failing that ``name``; failing that ``L<ordinal>``), outline = the level polygon, use = ``category`` unless
  "unspecified". Levels with ``outdoor: true`` and their units are left out (noted). Several level features with
  one ordinal (one per building of a venue) make one floor: its id and name are the first feature's, its outline
  the union of their polygons. Where an outline has several parts (a MultiPolygon, or buildings that do not touch)
  the largest part is kept and noted; units wholly in the other parts are left out (noted).
- **Elevations.** IMDF has no standard height. A floor is at ``ordinal * 4.0`` m and 4.0 m high
  (`floorplan.model.DEFAULTS`), unless *every* level read carries a number in a non-standard ``elevation``
  property (metres above the entrance level): then those, and each floor's height is the gap to the floor above.
- **Spaces** come from ``unit.geojson``: id = the feature id, kind from the unit ``category`` by `UNIT_KINDS` (the
  whole category, else its first dotted part: "restroom.female" as "restroom"; anything else is "other"), name =
  the unit's ``name``, ``attributes["imdf_category"]`` = the category. A MultiPolygon unit keeps its largest part.
- **Cores.** Units of category elevator, stairs or escalator on different levels whose polygons overlap in plan
  (by more than `OVERLAP_M2`) are one shaft: a `Core` of kind lift, stair or escalator serving those levels, its
  footprint the union of theirs. Stairs and escalators join only units on levels whose ordinals differ by 1; a
  lift also joins across levels where it has no unit (an express lift). Cores are named ``lift-1``, ``stair-1``...
  in the order of their lowest level, then west to east, then south to north. A unit alone in its stack stays a
  space and is noted.
- **Desks.** IMDF has no desk feature. An amenity (a Point) of a category in `DESK_CATEGORIES` ("desk",
  "workstation": not IMDF categories, but what a desk survey exported to IMDF uses) becomes a desk in the unit of
  its ``unit_ids`` that holds it (else the first listed). Desk amenities in units that are not offices are noted
  and not read. ``accessibility`` containing "wheelchair" gives the desk ``accessible: true``.
- **Notes** count openings (not needed for travel times) and other amenities, and list the files not read
  (fixture, section, footprint...). ``relationship.geojson``, IMDF's own link between stair and lift units, is not
  read: stacking in plan gives the same cores for ordinary buildings.

Every fault names the file, the feature and the field. All faults are collected, those that
`floorplan.validation` finds in the assembled building included, before `InvalidBuilding` is raised.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import networkx as nx
import shapely
from shapely import Point, Polygon
from shapely.geometry.base import BaseGeometry

from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.errors import InvalidBuilding
from floorplan.imdf_archive import (
    Feature,
    Findings,
    LocalPlane,
    archive_files,
    building_identity,
    largest_part,
    locate_problems,
    lonlat_geometry,
    note_openings_and_unread_files,
    plane_polygonal,
    read_features,
    read_json,
)
from floorplan.importing import Imported
from floorplan.model import DEFAULTS, AttributeValue, Building, Core, CoreKind, Desk, Floor, Space, SpaceKind
from floorplan.validation import TOLERANCE_M, building_problems

_K = SpaceKind
#: IMDF unit category -> space kind; a category found neither whole nor by its first dotted part is "other".
UNIT_KINDS: Mapping[str, SpaceKind] = {
    "office": _K.OFFICE,
    **dict.fromkeys(("conferenceroom", "huddleroom", "phoneroom", "classroom"), _K.MEETING),
    **dict.fromkeys(("walkway", "lobby", "footbridge", "movingwalkway", "steps"), _K.CIRCULATION),
    **dict.fromkeys(("elevator", "stairs", "escalator", "ramp"), _K.CORE),
    **dict.fromkeys(("storage", "mailroom"), _K.STORAGE),
    **dict.fromkeys(("restroom", "kitchen", "shower", "mothersroom", "lounge", "privatelounge"), _K.AMENITY),
    **dict.fromkeys(("fitnessroom", "firstaid", "foodservice", "smokingarea", "recreation", "library"), _K.AMENITY),
    **dict.fromkeys(("mechanical", "serverroom", "electrical"), _K.PLANT),
    **dict.fromkeys(("auditorium", "theater", "movietheater", "waitingroom"), _K.PUBLIC),
}
#: Unit categories whose stacks become cores, and the kind of core.
CORE_CATEGORIES: Mapping[str, CoreKind] = {
    "elevator": CoreKind.LIFT,
    "stairs": CoreKind.STAIR,
    "escalator": CoreKind.ESCALATOR,
}
#: Amenity categories read as bookable desks.
DESK_CATEGORIES = frozenset({"desk", "workstation"})
#: Two core units overlap when their intersection is larger than this (m²): touching walls do not join shafts.
OVERLAP_M2 = 0.01
_POLYGONAL = ("Polygon", "MultiPolygon")


def read_imdf(path: str | Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Imported:
    """Read and validate the IMDF folder or zip archive at ``path``; raise `InvalidBuilding` naming every fault.

    A zip that unpacks to more than ``max_unpacked_bytes`` raises `ArchiveTooLarge` before it is parsed."""
    path = Path(path)
    files = archive_files(path, max_unpacked_bytes=max_unpacked_bytes)
    findings = Findings()
    building = _building(files, findings, default_name=path.stem)
    if findings.problems:
        raise InvalidBuilding(findings.problems, source=str(path))
    return Imported(building, tuple(findings.notes))


@dataclass
class _FloorDraft:
    """One floor as read from one or more level features of the same ordinal."""

    level: int
    features: list[Feature]
    outline: Polygon
    whole: BaseGeometry  # the union of the level polygons, of which ``outline`` is the largest part
    elevation: float | None = None

    @property
    def id(self) -> str:
        return self.features[0].id

    @property
    def name(self) -> str:
        for key in ("short_name", "name"):
            text = next((t for f in self.features if (t := f.text(key))), "")
            if text:
                return text
        return f"L{self.level}"


@dataclass(frozen=True, slots=True)
class _CoreUnit:
    """A unit of a core category, waiting to be stacked with those above and below it."""

    unit_id: str
    level: int
    kind: CoreKind
    polygon: Polygon
    name: str


def _building(files: Mapping[str, bytes], findings: Findings, *, default_name: str) -> Building:
    manifest = read_json(files, "manifest.json", findings)
    if "manifest.json" not in files:
        findings.notes.append("manifest.json is missing; read as IMDF all the same")
    levels = read_features(files, "level.geojson", findings)
    if levels is None:
        findings.fault("is missing: an IMDF archive needs its levels", "level.geojson")
    units = read_features(files, "unit.geojson", findings) or []
    indoor = [f for f in levels or () if f.properties.get("outdoor") is not True]
    outdoor_ids = {f.id for f in levels or ()} - {f.id for f in indoor}
    if outdoor_ids:
        findings.notes.append(f"level.geojson: left out {len(outdoor_ids)} outdoor level(s) and their units")

    shapes = {f.id: lonlat_geometry(f, _POLYGONAL, findings) for f in indoor}
    extent = shapely.union_all([g for g in shapes.values() if g is not None])
    minx, miny, maxx, maxy = extent.bounds if not extent.is_empty else (0.0, 0.0, 0.0, 0.0)
    plane = LocalPlane(round((minx + maxx) / 2, 7), round((miny + maxy) / 2, 7))  # to 1 cm: a tidy origin
    findings.notes.append(
        f"projected from WGS84 to an azimuthal equidistant plane centred on {plane.origin[0]:.6f} E, "
        f"{plane.origin[1]:.6f} N (x metres east, y metres north)"
    )

    drafts = _floor_drafts(indoor, shapes, plane, findings)
    floor_of = {f.id: d for d in drafts for f in d.features}
    broken_levels = {f.id for f in indoor} - set(floor_of)
    spaces, core_units = _spaces(units, plane, floor_of, outdoor_ids | broken_levels, findings)
    cores = _cores(core_units, findings)
    desks = _desks(
        read_features(files, "amenity.geojson", findings) or [], {u.id for u in units}, spaces, plane, findings
    )
    note_openings_and_unread_files(files, read_features(files, "opening.geojson", findings) or [], findings)

    floor_of_space = {s.id: s.floor_id for s in spaces}
    floors = [
        Floor(
            id=draft.id,
            level=draft.level,
            name=draft.name,
            elevation_m=draft.elevation if draft.elevation is not None else draft.level * DEFAULTS.floor_height_m,
            height_m=height,
            outline=draft.outline,
            spaces=tuple(s for s in spaces if s.floor_id == draft.id),
            desks=tuple(d for d in desks if floor_of_space[d.space_id] == draft.id),
            use=next((c for f in draft.features if (c := f.text("category")) != "unspecified"), ""),
        )
        for draft, height in zip(drafts, _heights(drafts), strict=True)
    ]
    if levels and not floors and not findings.problems:
        findings.fault("has no indoor level", "level.geojson")
    version = manifest.get("version", "") if isinstance(manifest, dict) else ""
    building_id, name = building_identity(files, findings, default_name)
    building = Building(
        id=building_id,
        name=name,
        floors=tuple(floors),
        cores=tuple(core for core, _ in cores),
        metadata={
            "source_format": "imdf",
            "imdf_version": str(version),
            "crs": plane.proj,
            "origin_lon_lat": plane.origin,
        },
    )
    floor_features: dict[str, list[str]] = {}
    for draft in drafts:
        floor_features.setdefault(draft.name, []).extend(f.id for f in draft.features)
    core_members = {core.id: unit_ids for core, unit_ids in cores}
    findings.problems += locate_problems(building_problems(building), floor_features, core_members)
    return building


def _floor_drafts(
    levels: Sequence[Feature], shapes: Mapping[str, object], plane: LocalPlane, findings: Findings
) -> list[_FloorDraft]:
    """One draft per ordinal, from the indoor level features whose ordinal and polygon are sound."""
    parts: dict[int, list[tuple[Feature, BaseGeometry]]] = {}
    for feature in levels:
        ordinal = feature.properties.get("ordinal")
        if isinstance(ordinal, float) and ordinal.is_integer():
            ordinal = int(ordinal)
        if isinstance(ordinal, bool) or not isinstance(ordinal, int):
            findings.fault("is missing or not an integer", feature.where, "ordinal")
        lonlat = shapes.get(feature.id)
        polygonal = plane_polygonal(feature, lonlat, plane, findings) if lonlat is not None else None
        if polygonal is not None and isinstance(ordinal, int) and not isinstance(ordinal, bool):
            parts.setdefault(ordinal, []).append((feature, polygonal))

    drafts = []
    for level, members in sorted(parts.items()):
        features = [f for f, _ in members]
        union = shapely.union_all([p for _, p in members])
        outline = largest_part(union)
        if outline is not union:
            ids = ", ".join(repr(f.id) for f in features)
            findings.notes.append(
                f"level.geojson, feature(s) {ids}: the outline of level {level} has {len(union.geoms)} parts; kept "
                f"the largest ({outline.area:.0f} of {union.area:.0f} m²)"
            )
        if len(features) > 1:
            findings.notes.append(
                f"level.geojson: features {', '.join(repr(f.id) for f in features)} share "
                f"ordinal {level}; read as one floor"
            )
        drafts.append(_FloorDraft(level, features, outline, union))

    elevations = [d.features[0].properties.get("elevation") for d in drafts]
    given = [e for e in elevations if isinstance(e, int | float) and not isinstance(e, bool)]
    if given and len(given) == len(drafts):
        for draft, elevation in zip(drafts, given, strict=True):
            draft.elevation = float(elevation)
    elif given:
        findings.notes.append(
            "level.geojson: only some levels give an elevation; every floor is placed at "
            f"ordinal × {DEFAULTS.floor_height_m} m"
        )
    return drafts


def _heights(drafts: Sequence[_FloorDraft]) -> list[float]:
    """Floor-to-floor heights: the gap to the floor above when elevations are given (and that gap is positive)."""
    heights = [DEFAULTS.floor_height_m] * len(drafts)
    for i, (low, high) in enumerate(pairwise(drafts)):
        if low.elevation is not None and high.elevation is not None and high.elevation > low.elevation:
            heights[i] = high.elevation - low.elevation
    return heights


def space_kind(category: str) -> SpaceKind:
    """The kind of space an IMDF unit category stands for."""
    return UNIT_KINDS.get(category) or UNIT_KINDS.get(category.split(".")[0], SpaceKind.OTHER)


def _spaces(
    units: Sequence[Feature],
    plane: LocalPlane,
    floor_of: Mapping[str, _FloorDraft],
    left_out_levels: set[str],
    findings: Findings,
) -> tuple[list[Space], list[_CoreUnit]]:
    spaces: list[Space] = []
    core_units: list[_CoreUnit] = []
    other: Counter[str] = Counter()
    detached: list[str] = []
    for unit in units:
        level_id = unit.properties.get("level_id")
        if level_id in left_out_levels:
            continue
        lonlat = lonlat_geometry(unit, _POLYGONAL, findings)
        polygonal = plane_polygonal(unit, lonlat, plane, findings) if lonlat is not None else None
        draft = floor_of.get(level_id) if isinstance(level_id, str) else None
        if not isinstance(level_id, str) or not level_id:
            findings.fault("is missing or not a level id; a unit must name its level", unit.where, "level_id")
        elif draft is None:
            findings.fault(f"names level {level_id!r}, which level.geojson does not have", unit.where, "level_id")
        if polygonal is None or draft is None:
            continue
        polygon = largest_part(polygonal)
        if polygon is not polygonal:
            findings.notes.append(f"{unit.where}: a MultiPolygon; kept its largest part")
        if outside_kept_part(polygon, draft):
            detached.append(unit.id)
            continue
        category = unit.text("category")
        kind = space_kind(category)
        if kind == SpaceKind.OTHER:
            other[category or "(none)"] += 1
        if category in CORE_CATEGORIES:
            core_units.append(_CoreUnit(unit.id, draft.level, CORE_CATEGORIES[category], polygon, unit.text("name")))
        attributes = {"imdf_category": category} if category else {}
        spaces.append(Space(unit.id, draft.id, kind, polygon, name=unit.text("name"), attributes=attributes))
    if other:
        listed = ", ".join(f"{c} ({n})" for c, n in sorted(other.items()))
        findings.notes.append(f"unit.geojson: units of category {listed} read as kind 'other'")
    if detached:
        findings.notes.append(f"unit.geojson: left out units outside the kept floor outline: {', '.join(detached)}")
    return spaces, core_units


def outside_kept_part(polygon: Polygon, draft: _FloorDraft) -> bool:
    """Whether a unit lies in a part of its level's outline that was left out (not merely off the outline)."""
    if draft.whole is draft.outline:
        return False
    return bool(polygon.intersection(draft.outline).area <= OVERLAP_M2 < polygon.intersection(draft.whole).area)


def _cores(units: Sequence[_CoreUnit], findings: Findings) -> list[tuple[Core, tuple[str, ...]]]:
    """Stack core units into cores; each core comes with the ids of the units it was made of."""
    if not units:
        return []
    stacks = nx.Graph()
    stacks.add_nodes_from(range(len(units)))
    tree = shapely.STRtree([u.polygon for u in units])
    for i, j in zip(*tree.query([u.polygon for u in units], predicate="intersects"), strict=True):
        a, b = units[i], units[j]
        if i >= j or a.kind != b.kind or a.level == b.level:
            continue
        if a.kind != CoreKind.LIFT and abs(a.level - b.level) != 1:
            continue
        if a.polygon.intersection(b.polygon).area > OVERLAP_M2:
            stacks.add_edge(i, j)

    made: list[tuple[Polygon, list[_CoreUnit]]] = []
    for component in nx.connected_components(stacks):
        members = sorted((units[i] for i in component), key=lambda u: (u.level, u.unit_id))
        if len({u.level for u in members}) < 2:
            findings.notes.append(
                f"unit.geojson, feature {members[0].unit_id!r}: no {members[0].kind.value} unit over or under it on "
                f"level {members[0].level}; kept as a space, not a core"
            )
            continue
        made.append((largest_part(shapely.union_all([u.polygon for u in members])), members))
    made.sort(key=lambda m: (m[1][0].kind.value, m[1][0].level, round(m[0].centroid.x, 1), round(m[0].centroid.y, 1)))

    cores: list[tuple[Core, tuple[str, ...]]] = []
    numbers: Counter[CoreKind] = Counter()
    for footprint, members in made:
        kind = members[0].kind
        numbers[kind] += 1
        names = Counter(u.name for u in members if u.name)
        name = min(names, key=lambda n: (-names[n], n)) if names else ""
        core = Core(f"{kind.value}-{numbers[kind]}", kind, tuple(u.level for u in members), footprint, name=name)
        cores.append((core, tuple(u.unit_id for u in members)))
    return cores


def _desks(
    amenities: Sequence[Feature], unit_ids: set[str], spaces: Sequence[Space], plane: LocalPlane, findings: Findings
) -> list[Desk]:
    space_by_id = {s.id: s for s in spaces}
    desks: list[Desk] = []
    others: Counter[str] = Counter()
    not_in_office: list[str] = []
    for amenity in amenities:
        category = amenity.text("category")
        if category not in DESK_CATEGORIES:
            others[category or "(none)"] += 1
            continue
        lonlat = lonlat_geometry(amenity, ("Point",), findings)
        listed = amenity.properties.get("unit_ids")
        if not isinstance(listed, list) or not listed or not all(isinstance(u, str) for u in listed):
            findings.fault("is missing or not a list of unit ids; a desk must name its unit", amenity.where, "unit_ids")
            continue
        unknown = [u for u in listed if u not in unit_ids]
        if unknown:
            findings.fault(
                f"names unit(s) {', '.join(map(repr, unknown))}, which unit.geojson does not have",
                amenity.where,
                "unit_ids",
            )
        holders = [space_by_id[u] for u in listed if u in space_by_id]
        if lonlat is None or unknown or not holders:
            continue  # a fault already reported, or a unit left out (and noted)
        point: Point = plane.project(lonlat)
        holder = next(
            (s for s in holders if s.geometry is not None and s.geometry.distance(point) <= TOLERANCE_M), holders[0]
        )
        if holder.kind != SpaceKind.OFFICE:
            not_in_office.append(amenity.id)
            continue
        accessibility = amenity.properties.get("accessibility")
        attributes: dict[str, AttributeValue] = {}
        if isinstance(accessibility, list) and "wheelchair" in accessibility:
            attributes["accessible"] = True
        desks.append(Desk(amenity.id, holder.id, point, name=amenity.text("name"), attributes=attributes))
    if not_in_office:
        findings.notes.append(f"amenity.geojson: desks not in an office unit, not read: {', '.join(not_in_office)}")
    if others:
        counted = ", ".join(f"{c} {n}" for c, n in sorted(others.items()))
        findings.notes.append(f"amenity.geojson: {others.total()} amenities that are not desks, not read ({counted})")
    return desks
