"""The file layer of the IMDF reader: an archive's GeoJSON files, their features and geometries, each fault located.

`floorplan.imdf` builds the building from what this module reads. Faults go into a `Findings`, so that a reader
can report every fault of an archive at once; each names the file, the feature (its id, or its position when it
has none) and the field.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pyproj
import shapely
from shapely import MultiPolygon, Polygon
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from floorplan.archives import MAX_UNPACKED_BYTES, vet_zip
from floorplan.errors import InvalidBuilding, Problem

_SUFFIXES = (".json", ".geojson")
#: The files the IMDF reader uses; any other .json or .geojson of an archive is listed in the notes as not read.
READ_FILES = frozenset(
    {"manifest.json", "venue.geojson", "building.geojson", "level.geojson", "unit.geojson"}
    | {"opening.geojson", "amenity.geojson"}
)


@dataclass
class Findings:
    """What reading an archive found: faults (which make it unreadable) and notes (what was left out, and why)."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fault(self, message: str, where: str, field: str = "") -> None:
        self.problems.append(Problem(message, where, field))


@dataclass(frozen=True, slots=True)
class Feature:
    """One GeoJSON feature of an IMDF file: its id, properties and raw geometry object."""

    file: str
    id: str
    properties: Mapping[str, Any]
    geometry: Any

    @property
    def where(self) -> str:
        return f"{self.file}, feature {self.id!r}"

    def text(self, key: str) -> str:
        """A string property, or the preferred text of a label property such as {"en": "2F", "ja": "2階"}."""
        return label_text(self.properties.get(key))


def label_text(value: object) -> str:
    """The text of an IMDF label: the "en" (or "en-...") entry, else the first; a plain string as it is."""
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        return ""
    texts = {str(k): v for k, v in value.items() if isinstance(v, str) and v}
    english = sorted((k for k in texts if k == "en" or k.startswith("en-")), key=len)
    key = english[0] if english else next(iter(texts), None)
    return "" if key is None else texts[key]


def archive_files(path: Path, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> dict[str, bytes]:
    """The .json and .geojson files of an IMDF folder or zip, by lower-case name.

    In a zip the files may sit in a folder (an archive made by zipping the folder): the folder holding
    level.geojson or manifest.json is taken as the root. A zip is vetted first (`floorplan.archives.vet_zip`):
    one that unpacks to more than ``max_unpacked_bytes`` raises `ArchiveTooLarge` before anything is parsed.
    """
    if path.is_dir():
        return {p.name.lower(): p.read_bytes() for p in sorted(path.iterdir()) if p.name.lower().endswith(_SUFFIXES)}
    try:
        with zipfile.ZipFile(path) as archive:
            vet_zip(archive, max_unpacked_bytes=max_unpacked_bytes, name=str(path))
            names = [n for n in archive.namelist() if n.lower().endswith(_SUFFIXES) and "__MACOSX" not in n]
            markers = [PurePosixPath(n) for n in names]
            markers = [p for p in markers if p.name.lower() in ("level.geojson", "manifest.json")]
            root = min((p.parent for p in markers), key=lambda p: len(p.parts), default=PurePosixPath("."))
            return {PurePosixPath(n).name.lower(): archive.read(n) for n in names if PurePosixPath(n).parent == root}
    except (zipfile.BadZipFile, OSError) as exc:
        problem = Problem(f"neither an IMDF folder nor a readable zip archive ({exc})")
        raise InvalidBuilding([problem], source=str(path)) from None


def read_json(files: Mapping[str, bytes], name: str, findings: Findings) -> object:
    """The parsed JSON of file ``name``, or None when it is absent or broken (a broken file is a fault)."""
    data = files.get(name)
    if data is None:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        findings.fault(f"not UTF-8 text ({exc.reason} at byte {exc.start})", name)
    except json.JSONDecodeError as exc:
        findings.fault(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", name)
    return None


def read_features(files: Mapping[str, bytes], name: str, findings: Findings) -> list[Feature] | None:
    """The features of file ``name``: None when the archive has no such file, [] when it cannot be read."""
    if name not in files:
        return None
    document = read_json(files, name, findings)
    if document is None:
        return []
    raw = document.get("features") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection" or not isinstance(raw, list):
        findings.fault("is not a GeoJSON FeatureCollection with a list of features", name)
        return []
    features: list[Feature] = []
    for number, item in enumerate(raw, start=1):
        where = f"{name}, feature #{number}"
        if not isinstance(item, dict):
            findings.fault("is not a JSON object", where)
            continue
        fid, properties = item.get("id"), item.get("properties") or {}
        if isinstance(fid, bool) or not isinstance(fid, str | int) or fid == "":
            findings.fault("is missing or not a string", where, "id")
        elif not isinstance(properties, dict):
            findings.fault("is not a JSON object", f"{name}, feature {str(fid)!r}", "properties")
        else:
            features.append(Feature(name, str(fid), properties, item.get("geometry")))
    counts = Counter(f.id for f in features)
    for fid, n in counts.items():
        if n > 1:
            findings.fault(f"is used by {n} features", f"{name}, feature {fid!r}", "id")
    # Only the first of features sharing an id is read on, so that the fault is not reported again downstream.
    first = {f.id: f for f in reversed(features)}
    return [f for f in features if first[f.id] is f]


def lonlat_geometry(feature: Feature, types: tuple[str, ...], findings: Findings) -> BaseGeometry | None:
    """The feature's 2D geometry in longitude / latitude if it is one of ``types``; else a fault and None."""
    wanted = " or ".join(types)
    geometry = feature.geometry
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind is None:
        findings.fault(f"is missing; this feature needs a {wanted}", feature.where, "geometry")
        return None
    if kind not in types:
        findings.fault(f"must be a {wanted}, not {kind}", feature.where, "geometry")
        return None
    try:
        parsed = shapely.force_2d(shape(geometry))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        findings.fault(f"coordinates are not valid GeoJSON ({exc})", feature.where, "geometry")
        return None
    if parsed.is_empty:
        findings.fault("is empty", feature.where, "geometry")
        return None
    minx, miny, maxx, maxy = parsed.bounds
    if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
        findings.fault("coordinates are not longitude / latitude degrees (WGS84)", feature.where, "geometry")
        return None
    return parsed


def note_openings_and_unread_files(files: Mapping[str, bytes], openings: Sequence[Feature], findings: Findings) -> None:
    """Notes on what the reader does not use: the openings (counted by category) and the files it does not read."""
    if openings:
        counts = Counter(f.text("category") or "(none)" for f in openings)
        counted = ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))
        findings.notes.append(f"opening.geojson: {len(openings)} openings ({counted}), not used for travel times")
    unread = sorted(set(files) - READ_FILES)
    if unread:
        findings.notes.append(f"not read: {', '.join(unread)}")


def building_identity(files: Mapping[str, bytes], findings: Findings, default_name: str) -> tuple[str, str]:
    """The building's id and name: its building feature's when the archive has one, else the venue's."""
    buildings = read_features(files, "building.geojson", findings) or []
    venues = read_features(files, "venue.geojson", findings) or []
    if len(buildings) > 1:
        findings.notes.append(f"building.geojson: {len(buildings)} buildings, read as one named after the venue")
    for features in (buildings if len(buildings) == 1 else [], venues[:1]):
        for feature in features:
            return feature.id, feature.text("name") or default_name
    return default_name, default_name


class LocalPlane:
    """An azimuthal equidistant projection centred on (lon, lat): x metres east and y metres north of it.

    Distances from the centre are true and, over a building's few hundred metres, every other distance is true
    to well under a millimetre.
    """

    def __init__(self, lon: float, lat: float) -> None:
        self.origin = (lon, lat)
        self.proj = f"+proj=aeqd +lat_0={lat!r} +lon_0={lon!r} +datum=WGS84 +units=m +no_defs"
        self.crs = pyproj.CRS.from_proj4(self.proj)
        self._transformer = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, self._transformer.transform, interleaved=False)


def plane_polygonal(
    feature: Feature, lonlat: BaseGeometry, plane: LocalPlane, findings: Findings
) -> Polygon | MultiPolygon | None:
    """The feature's (multi)polygon in the local plane; a fault and None when it is not valid or has no area.

    Validity is checked before projecting, so that a fault gives the place in the file's own lon/lat.
    """
    if not lonlat.is_valid:
        findings.fault(f"polygon is not valid: {explain_validity(lonlat)}", feature.where, "geometry")
        return None
    projected = plane.project(lonlat)
    if projected.area <= 0:
        findings.fault("polygon has no area", feature.where, "geometry")
        return None
    return projected


def largest_part(geometry: Polygon | MultiPolygon) -> Polygon:
    """A polygon as it is; the largest polygon of a multipolygon (or of any collection)."""
    if isinstance(geometry, Polygon):
        return geometry
    parts = [g for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon)]
    return max(parts, key=lambda g: g.area)


def locate_problems(
    problems: Iterable[Problem], floor_features: Mapping[str, Sequence[str]], core_units: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """Problems that `floorplan.validation` found, placed in the IMDF file and feature they come from.

    Spaces and desks keep their feature ids; ``floor_features`` gives the level features of each floor name,
    ``core_units`` the unit features of each core id.
    """
    floors = {repr(name): ids for name, ids in floor_features.items()}
    cores = {repr(core_id): ids for core_id, ids in core_units.items()}
    located = []
    for problem in problems:
        head, _, rest = problem.where.partition(" ")
        quoted = rest.split(" on floor ")[0]
        where = problem.where
        if head == "space":
            where = f"unit.geojson, feature {rest}"
        elif head == "desk":
            where = f"amenity.geojson, feature {rest}"
        elif head == "floor" and quoted in floors:
            where = f"level.geojson, feature {', '.join(map(repr, floors[quoted]))} (floor {quoted})"
        elif head == "core" and quoted in cores:
            where = f"unit.geojson, features {', '.join(map(repr, cores[quoted]))} (core {quoted})"
        located.append(Problem(problem.message, where, problem.field))
    return located
