"""Read a building from a COBie workbook (.xlsx): floors, spaces with areas and boxes, departments and cores.

What comes from where:

* **Floors** from the Floor sheet, occupiable storeys only (Category "Floor", "Level", "Storey", ...; a row
  without a Category counts as a floor). Roof, site and footing rows are skipped, with a note. Floors are ordered
  by Elevation; the lowest at or above 0 m is level 0 (the entrance), those below are negative. Height is the
  Height column when above 0, else the distance to the next floor or roof above, else 4.0 m.
* **Units** from the Facility sheet's LinearUnits and AreaUnits (metres, millimetres, feet, ...); unknown units are
  taken as metres, with a note.
* **Spaces** from the Space sheet: id = Name, floor = FloorName, name = Description, area = NetArea (else
  GrossArea), kind from the Category text; the Category is kept as the attribute ``category``. A space listed on
  a skipped storey (the clinic's roof plant rooms) is kept on the nearest floor at or below that storey, with the
  storey's name in the attribute ``cobie_floor``.
* **Geometry** from the Coordinate sheet: a space's box is its "box-lowerleft" and "box-upperright" rows for
  SheetName "Space" (RowName = the space). A box with no area cannot place a space: it keeps no geometry and the
  notes count it. A floor's outline is the bounding box of its placed spaces and of the footprints of the cores
  that pass through it (None when no space of the floor is placed).
* **Departments** from the Zone sheet's occupancy zones (Category "Occupancy Zone", "OccupancyZoneName", ...):
  each zone's SpaceNames (one or a comma-separated list) get ``Space.zone``, and the building's metadata holds
  ``metadata["zones"] = {zone name: (space id, ...)}`` in sheet order. Other zone categories are ignored, with
  a note.
* **Cores** from stairway and lift shaft spaces and Elevator components: see `floorplan.cobie_cores`.

Values that cannot be read as numbers where the building needs them (Elevation, Height, NetArea, GrossArea) are
problems; the reader raises `InvalidBuilding` listing all of them with sheet, row and column. What it reads but
cannot use goes into the notes of the result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import shapely
from shapely import Polygon

from floorplan.archives import MAX_UNPACKED_BYTES
from floorplan.cobie_cores import cores_from_spaces, is_lift_shaft, is_stair, lift_components_from_sheets
from floorplan.cobie_sheets import Row, Sheet, Units, read_sheets, units_from_facility
from floorplan.errors import InvalidBuilding, Problem
from floorplan.importing import Imported
from floorplan.model import DEFAULTS, Building, Floor, Space, SpaceKind
from floorplan.validation import check_building

SHEETS = ("Facility", "Floor", "Space", "Zone", "Coordinate", "Type", "Component")
#: A floor at or above this elevation counts as "at 0 m" when the entrance floor is chosen.
ELEVATION_TOLERANCE_M = 0.05

#: Space kinds by words of the Category text (OmniClass Table 13 names), first match wins.
_KIND_WORDS: tuple[tuple[str, SpaceKind], ...] = (
    (r"corridor|vestibule|transitional|circulation|lobby", SpaceKind.CIRCULATION),
    (r"conference|meeting", SpaceKind.MEETING),
    (r"reception|counter", SpaceKind.COUNTER),
    (r"waiting", SpaceKind.PUBLIC),
    (r"restroom|toilet|bathroom|lavatory|\bbreak\b|kitchen|pantry", SpaceKind.AMENITY),
    (r"storage", SpaceKind.STORAGE),
    (r"mechanical|electrical|equipment|telecom", SpaceKind.PLANT),
    (r"office", SpaceKind.OFFICE),
)
_FLOOR_CATEGORY = re.compile(r"floor|level|stor(e)?y|mezzanine|basement|ground", re.IGNORECASE)
_SKIPPED_STOREYS = (
    (re.compile(r"footing|foundation|\bfdn\b", re.IGNORECASE), "footing", "a footing or foundation level"),
    (re.compile(r"roof", re.IGNORECASE), "roof", "a roof"),
    (re.compile(r"site", re.IGNORECASE), "site", "the site"),
)


def space_kind_from_category(category: str) -> SpaceKind:
    """The kind of a space from its COBie Category ("13-15 11 34 11: Office" -> office)."""
    if is_stair(category) or is_lift_shaft(category):
        return SpaceKind.CORE
    text = category.split(":", 1)[-1].lower()
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, text):
            return kind
    return SpaceKind.OTHER


@dataclass(frozen=True, slots=True)
class _Storey:
    """A Floor sheet row: ``kind`` is "floor" for occupiable storeys, else roof, site, footing or other."""

    name: str
    row: Row
    kind: str
    elevation_m: float | None
    height_m: float | None


def read_cobie(path: str | Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Imported:
    """Read and validate the building in the COBie workbook at ``path``.

    Raises `InvalidBuilding` when the file is not a COBie workbook (not an .xlsx, or no Floor or Space sheet) or
    has faults; each `Problem` names the sheet, the row and the column. A workbook that unpacks to more than
    ``max_unpacked_bytes`` raises `ArchiveTooLarge` before it is read.
    """
    path = Path(path)
    source = str(path)
    sheets = read_sheets(path, SHEETS, max_unpacked_bytes=max_unpacked_bytes)
    absent = [name for name in ("Floor", "Space") if name not in sheets]
    if absent:
        what = " and no ".join(absent)
        raise InvalidBuilding([Problem(f"not a COBie workbook: it has no {what} sheet")], source=source)
    problems: list[Problem] = []
    notes: list[str] = []
    for sheet in sheets.values():
        unknown = sheet.unknown_columns()
        if unknown:
            notes.append(f"sheet {sheet.name}: columns not read (not COBie 2.4): {', '.join(unknown)}")
    _require_columns(sheets["Floor"], ("Name", "Elevation"), problems)
    _require_columns(sheets["Space"], ("Name", "FloorName"), problems)
    if problems:
        raise InvalidBuilding(problems, source=source)

    units, unit_notes = units_from_facility(sheets.get("Facility"))
    notes += unit_notes
    storeys = _storeys(sheets["Floor"], units, problems, notes)
    floors = _floors(storeys, notes)
    if not floors and not problems:
        problems.append(Problem("no occupiable floor (Category 'Floor') with an Elevation", "sheet Floor"))
    boxes, z_ranges = _space_boxes(sheets.get("Coordinate"), units, notes)
    spaces = _spaces(sheets["Space"], storeys, floors, units, boxes, problems, notes)
    if problems:
        raise InvalidBuilding(problems, source=source)

    zones, zone_of = _zones(sheets.get("Zone"), {s.id for s in spaces}, notes)
    spaces = [replace(s, zone=zone_of[s.id]) if s.id in zone_of else s for s in spaces]
    drawn = [_with_spaces(f, [s for s in spaces if s.floor_id == f.id]) for f in floors]
    known_spaces = {s.id for s in spaces}
    components = lift_components_from_sheets(sheets.get("Type"), sheets.get("Component"), known_spaces, notes)
    cores, core_notes = cores_from_spaces(drawn, z_ranges=z_ranges, lift_components=components)
    notes += core_notes
    drawn = [_around_cores(f, [c.footprint for c in cores if c.serves(f.level) and c.footprint]) for f in drawn]

    facility = sheets["Facility"].rows[0] if "Facility" in sheets and sheets["Facility"].rows else None
    names = [facility.text(c) for c in ("Name", "Description", "ProjectDescription")] if facility else []
    building_id = next((n for n in names if n), path.stem)
    building = Building(
        id=building_id,
        name=next((n for n in names[1:] if n), building_id),
        floors=tuple(drawn),
        cores=tuple(cores),
        metadata={"format": "cobie", "linear_units": units.linear_name, "zones": zones},
    )
    return Imported(check_building(building, source=source), tuple(notes))


def _require_columns(sheet: Sheet, columns: Sequence[str], problems: list[Problem]) -> None:
    for column in sheet.missing_columns(columns):
        problems.append(Problem("column is missing", f"sheet {sheet.name}", column))


def _storey_kind(name: str, category: str) -> tuple[str, str]:
    """The kind of a Floor row and, for a skipped one, why it is skipped."""
    for pattern, kind, why in _SKIPPED_STOREYS:
        if pattern.search(category) or (kind == "footing" and pattern.search(name)):
            return kind, why
    if not category or _FLOOR_CATEGORY.search(category):
        return "floor", ""
    return "other", f"Category {category!r} is not an occupiable storey"


def _storeys(sheet: Sheet, units: Units, problems: list[Problem], notes: list[str]) -> dict[str, _Storey]:
    storeys: dict[str, _Storey] = {}
    for row in sheet.rows:
        name = row.text("Name")
        if not name:
            problems.append(Problem("floor has no Name", row.where, "Name"))
            continue
        if name in storeys:
            problems.append(
                Problem(f"floor {name!r} is already on row {storeys[name].row.row_number}", row.where, "Name")
            )
            continue
        category = row.text("Category")
        kind, why = _storey_kind(name, category)
        if kind != "floor":
            notes.append(f"{row.where}: {name!r} skipped: {why}, not an occupiable floor")
        elif not category:
            notes.append(f"{row.where}: {name!r} has no Category; taken as a floor")
        elevation = row.number("Elevation", problems, scale=units.metres_per_unit)
        height = row.number("Height", problems, scale=units.metres_per_unit)
        if kind == "floor" and elevation is None and not row.has("Elevation"):
            problems.append(Problem(f"floor {name!r} has no Elevation", row.where, "Elevation"))
        storeys[name] = _Storey(name, row, kind, elevation, height)
    return storeys


def _floors(storeys: dict[str, _Storey], notes: list[str]) -> list[Floor]:
    """Occupiable storeys as floors: levels counted from the lowest floor at or above 0 m."""
    ordered = sorted(
        (s for s in storeys.values() if s.kind == "floor" and s.elevation_m is not None),
        key=lambda s: s.elevation_m or 0.0,
    )
    if not ordered:
        return []
    above_zero = [i for i, s in enumerate(ordered) if (s.elevation_m or 0.0) >= -ELEVATION_TOLERANCE_M]
    entrance = above_zero[0] if above_zero else len(ordered) - 1
    if not above_zero:
        notes.append(f"sheet Floor: no floor at or above 0 m; the highest, {ordered[-1].name!r}, is taken as level 0")
    tops = sorted(s.elevation_m for s in storeys.values() if s.kind in ("floor", "roof") and s.elevation_m is not None)
    floors = []
    for i, storey in enumerate(ordered):
        elevation = storey.elevation_m or 0.0
        above = [e for e in tops if e > elevation + ELEVATION_TOLERANCE_M]
        if storey.height_m is not None and storey.height_m > 0:
            height = storey.height_m
        elif above:
            height = round(above[0] - elevation, 6)
        else:
            height = DEFAULTS.floor_height_m
        floors.append(
            Floor(id=storey.name, level=i - entrance, name=storey.name, elevation_m=elevation, height_m=height)
        )
    return floors


def _host_floor(storey: _Storey, floors: Sequence[Floor]) -> Floor:
    """The floor that keeps the spaces of a skipped storey: the nearest at or below it, else the lowest."""
    if storey.elevation_m is None:
        return next((f for f in floors if f.level == 0), floors[0])
    below = [f for f in floors if f.elevation_m <= storey.elevation_m + ELEVATION_TOLERANCE_M]
    return below[-1] if below else floors[0]


def _space_boxes(
    sheet: Sheet | None, units: Units, notes: list[str]
) -> tuple[dict[str, Polygon | str], dict[str, tuple[float, float]]]:
    """Each space's box in plan (or why it has none) and the bottom and top of the box, in metres."""
    if sheet is None:
        notes.append("no Coordinate sheet: spaces have no geometry")
        return {}, {}
    needed = ("SheetName", "Category", "CoordinateXAxis", "CoordinateYAxis", "CoordinateZAxis")
    missing = sheet.missing_columns(needed)
    if missing:
        notes.append(f"sheet Coordinate: no column {', '.join(missing)}; spaces have no geometry")
        return {}, {}
    corners: dict[str, dict[str, tuple[float, float, float]]] = {}
    unreadable: list[Problem] = []
    for row in sheet.rows:
        corner = row.text("Category").lower()
        if row.text("SheetName").lower() != "space" or corner not in ("box-lowerleft", "box-upperright"):
            continue
        space_id = row.text("RowName") or re.sub(r"-box-(lowerleft|upperright)$", "", row.text("Name"))
        xyz = [row.number(c, unreadable, scale=units.metres_per_unit) for c in needed[2:]]
        if None not in xyz:
            corners.setdefault(space_id, {}).setdefault(corner, (xyz[0] or 0.0, xyz[1] or 0.0, xyz[2] or 0.0))
    notes += [f"{p.where}, column {p.field}: {p.message}; the box is not used" for p in unreadable]
    boxes: dict[str, Polygon | str] = {}
    z_ranges: dict[str, tuple[float, float]] = {}
    for space_id, found in corners.items():
        if len(found) < 2:
            boxes[space_id] = "with only one box corner"
            continue
        (x1, y1, z1), (x2, y2, z2) = found["box-lowerleft"], found["box-upperright"]
        if min(abs(x2 - x1), abs(y2 - y1)) <= 0:
            boxes[space_id] = "with a box of no area"
            continue
        boxes[space_id] = shapely.box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
        z_ranges[space_id] = (min(z1, z2), max(z1, z2))
    return boxes, z_ranges


def _spaces(
    sheet: Sheet,
    storeys: dict[str, _Storey],
    floors: Sequence[Floor],
    units: Units,
    boxes: dict[str, Polygon | str],
    problems: list[Problem],
    notes: list[str],
) -> list[Space]:
    for column in sheet.missing_columns(("Category", "Description", "NetArea")):
        notes.append(f"sheet Space: no column {column}")
    floor_ids = {f.id for f in floors}
    moved: Counter[str] = Counter()
    unplaced: dict[str, list[str]] = {}
    spaces: list[Space] = []
    first_row: dict[str, int] = {}
    for row in sheet.rows:
        space_id, floor_name = row.text("Name"), row.text("FloorName")
        where = f"{row.where} (space {space_id!r})"
        if not space_id:
            problems.append(Problem("space has no Name", row.where, "Name"))
        elif first_row.setdefault(space_id, row.row_number) != row.row_number:
            problems.append(Problem(f"space {space_id!r} is already on row {first_row[space_id]}", row.where, "Name"))
        net = row.number("NetArea", problems, scale=units.square_metres_per_unit)
        gross = row.number("GrossArea", problems, scale=units.square_metres_per_unit)
        storey = storeys.get(floor_name)
        if storey is None:
            known = _some([repr(s) for s in storeys])
            problems.append(Problem(f"floor {floor_name!r} is not in the Floor sheet ({known})", where, "FloorName"))
            continue
        if not space_id or not floors:
            continue
        attributes: dict[str, str] = {}
        if storey.name in floor_ids:
            floor_id = storey.name
        else:
            floor_id = _host_floor(storey, floors).id
            moved[f"{storey.name} -> {floor_id}"] += 1
            attributes["cobie_floor"] = storey.name
        category = row.text("Category")
        if category:
            attributes["category"] = category
        box = boxes.get(space_id, "with no box")
        if isinstance(box, str):
            unplaced.setdefault(box, []).append(space_id)
        area = net if net is not None and (net > 0 or gross is None) else gross
        spaces.append(
            Space(
                id=space_id,
                floor_id=floor_id,
                kind=space_kind_from_category(category),
                geometry=box if isinstance(box, Polygon) else None,
                name=row.text("Description"),
                area_m2=area,
                attributes=attributes,
            )
        )
    if moved:
        counts = ", ".join(f"{n} from {k}" for k, n in sorted(moved.items()))
        notes.append(
            f"sheet Space: spaces on storeys that are not floors are kept on the nearest floor at or below ({counts}); "
            "their attribute cobie_floor names the storey"
        )
    if unplaced:
        total = sum(len(ids) for ids in unplaced.values())
        parts = "; ".join(f"{len(ids)} {why} ({_some(ids)})" for why, ids in sorted(unplaced.items()))
        notes.append(f"sheet Coordinate: {total} of {len(spaces)} spaces could not be placed: {parts}")
    return spaces


def _some(names: Sequence[str], limit: int = 8) -> str:
    return ", ".join(names[:limit]) + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


def _zones(
    sheet: Sheet | None, space_ids: set[str], notes: list[str]
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Occupancy zones (departments): zone name -> its space ids in sheet order, and each space's first zone."""
    if sheet is None:
        return {}, {}
    missing = sheet.missing_columns(("Name", "SpaceNames"))
    if missing:
        notes.append(f"sheet Zone: no column {', '.join(missing)}; no departments read")
        return {}, {}
    if not sheet.has_column("Category"):
        notes.append("sheet Zone: no column Category; every zone taken as an occupancy zone")
    zones: dict[str, list[str]] = {}
    ignored: Counter[str] = Counter()
    zone_of: dict[str, str] = {}
    for row in sheet.rows:
        category = row.text("Category")
        key = re.sub(r"[^a-z]", "", category.lower())
        if category and "occupancy" not in key and "department" not in key:
            ignored[category] += 1
            continue
        zone = row.text("Name")
        if not zone:
            notes.append(f"{row.where}: zone has no Name; not used")
            continue
        members = zones.setdefault(zone, [])
        for space_id in (n.strip() for n in re.split(r"[,;]", row.text("SpaceNames"))):
            if not space_id:
                continue
            if space_id not in space_ids:
                notes.append(f"{row.where}: zone {zone!r} names space {space_id!r}, which is not in the Space sheet")
            elif zone_of.setdefault(space_id, zone) != zone:
                notes.append(f"{row.where}: space {space_id!r} is in zones {zone_of[space_id]!r} and {zone!r}")
                members.append(space_id)
            elif space_id not in members:
                members.append(space_id)
    if ignored:
        listed = ", ".join(f"{c!r} ({n} rows)" for c, n in sorted(ignored.items()))
        notes.append(f"sheet Zone: categories not taken as departments: {listed}")
    return {zone: tuple(ids) for zone, ids in zones.items() if ids}, zone_of


def _around_cores(floor: Floor, footprints: Sequence[Polygon]) -> Floor:
    """``floor`` with its outline grown to the cores that pass through it (a stair drawn wider on another floor)."""
    if floor.outline is None or all(floor.outline.covers(f) for f in footprints):
        return floor
    return replace(floor, outline=shapely.box(*shapely.total_bounds([floor.outline, *footprints])))


def _with_spaces(floor: Floor, spaces: Sequence[Space]) -> Floor:
    """``floor`` holding ``spaces``, its outline the bounding box of those that are placed."""
    boxes = [s.geometry for s in spaces if s.geometry is not None]
    outline = shapely.box(*shapely.total_bounds(boxes)) if boxes else None
    return replace(floor, outline=outline, spaces=tuple(spaces))
