"""IMDF archives for tests, written from Python dicts in lon/lat near Tokyo (139.75 E, 35.71 N).

Sizes worked out by hand on the WGS84 ellipsoid (a = 6378137 m, e² = 0.00669438) at latitude 35.71°:
a step of 0.0001° of longitude is N·cos φ·π/180·1e-4 = 9.0493 m (N = a / sqrt(1 - e² sin² φ) = 6385425 m), and a
step of 0.0001° of latitude is M·π/180·1e-4 = 11.0954 m (M = a(1 - e²) / (1 - e² sin² φ)^1.5 = 6357180 m).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from floorplan.errors import InvalidBuilding, Problem
from floorplan.imdf import read_imdf
from floorplan.importing import Imported

LON0, LAT0 = 139.75, 35.71
STEP = 0.0001
DX = 9.0493  # metres east per step
DY = 11.0954  # metres north per step

Files = dict[str, Any]


def ring(i0: float, j0: float, i1: float, j1: float) -> list[list[float]]:
    """A closed rectangle, in steps of 0.0001° east (i) and north (j) of 139.75 E, 35.71 N."""
    corners = [(i0, j0), (i1, j0), (i1, j1), (i0, j1), (i0, j0)]
    return [[round(LON0 + i * STEP, 7), round(LAT0 + j * STEP, 7)] for i, j in corners]


def box(i0: float, j0: float, i1: float, j1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(i0, j0, i1, j1)]}


def point(i: float, j: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(LON0 + i * STEP, 7), round(LAT0 + j * STEP, 7)]}


def feature(fid: str, feature_type: str, geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "id": fid, "feature_type": feature_type, "geometry": geometry, "properties": properties}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def level(
    ordinal: int, *, fid: str | None = None, geometry: dict[str, Any] | None = None, **props: Any
) -> dict[str, Any]:
    props.setdefault("short_name", {"en": f"{ordinal + 1}F", "ja": f"{ordinal + 1}階"})
    props.setdefault("name", {"en": f"Floor {ordinal + 1}"})
    props.setdefault("category", "unspecified")
    props.setdefault("outdoor", False)
    return feature(fid or f"L{ordinal}", "level", geometry or box(0, 0, 6, 3), ordinal=ordinal, **props)


def unit(fid: str, level_id: str, category: str, geometry: dict[str, Any] | None, **props: Any) -> dict[str, Any]:
    return feature(fid, "unit", geometry, category=category, level_id=level_id, **props)


def amenity(fid: str, category: str, unit_ids: list[str], at: tuple[float, float], **props: Any) -> dict[str, Any]:
    return feature(fid, "amenity", point(*at), category=category, unit_ids=unit_ids, **props)


def office_tower(levels: Iterable[int] = (0, 1, 2)) -> Files:
    """Floors 6 × 3 steps (54.3 × 33.3 m): an office in the west half, a stair, a lift and a walkway in the east.

    Plan of every level, in steps (i east, j north)::

        j=3 +-----------+-----------+
            |  office   |  walkway  |
        j=1 |  O<n>     +-----+-----+
            |           | S<n>| E<n>|   S: stairs, E: elevator
        j=0 +-----------+-----+-----+
           i=0         i=3   i=4.5  i=6
    """
    units = []
    for n in levels:
        units += [
            unit(f"O{n}", f"L{n}", "office", box(0, 0, 3, 3), name={"en": f"Office {n + 1}F"}),
            unit(f"W{n}", f"L{n}", "walkway", box(3, 1, 6, 3)),
            unit(f"S{n}", f"L{n}", "stairs", box(3, 0, 4.5, 1), name={"en": "Stair A"}),
            unit(f"E{n}", f"L{n}", "elevator", box(4.5, 0, 6, 1), name={"en": "Lift"}),
        ]
    amenities = []
    if 1 in levels:  # desks on the second floor: two in the office, one in the walkway
        amenities += [
            amenity("D1", "desk", ["O1"], (0.5, 0.5), name={"en": "1-01"}),
            amenity("D2", "workstation", ["O1"], (2.5, 2.5), accessibility=["wheelchair"]),
            amenity("D3", "desk", ["W1"], (5, 2)),
        ]
    amenities += [amenity(f"R{n}", "restroom", [f"W{n}"], (5, 2.5)) for n in levels if n > 0]
    return {
        "manifest.json": {"version": "1.0.0", "language": "en"},
        "venue.geojson": collection(feature("V", "venue", box(-1, -1, 7, 4), name={"en": "Test Venue"})),
        "building.geojson": collection(feature("B", "building", None, name={"en": "Civic Centre", "ja": "シビック"})),
        "level.geojson": collection(*(level(n) for n in levels)),
        "unit.geojson": collection(*units),
        "amenity.geojson": collection(*amenities),
        "opening.geojson": collection(
            feature(
                "P1",
                "opening",
                {"type": "LineString", "coordinates": ring(3, 1, 3, 2)[:2]},
                category="pedestrian",
                level_id="L0",
            ),
            feature(
                "P2",
                "opening",
                {"type": "LineString", "coordinates": ring(3, 2, 3, 3)[:2]},
                category="service",
                level_id="L0",
            ),
        ),
        "fixture.geojson": collection(),
    }


def as_text(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document, indent=2, ensure_ascii=False)


def write_imdf(root: Path, files: Mapping[str, Any], *, zip_folder: str = "") -> tuple[Path, Path]:
    """Write ``files`` as an IMDF folder and as a zip archive (its files under ``zip_folder``, if given)."""
    folder = root / "venue"
    folder.mkdir(parents=True)
    archive = root / "venue.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, document in files.items():
            (folder / name).write_text(as_text(document), encoding="utf-8")
            z.writestr(f"{zip_folder}/{name}" if zip_folder else name, as_text(document))
    return folder, archive


def read_both(root: Path, files: Mapping[str, Any]) -> Imported:
    """Read the folder and the zip, check that they read the same, and return the folder's reading."""
    folder, archive = write_imdf(root, files)
    from_folder, from_zip = read_imdf(folder), read_imdf(archive)
    assert summary(from_folder) == summary(from_zip)
    return from_folder


def summary(imported: Imported) -> tuple[Any, ...]:
    b = imported.building
    return (
        b.id,
        b.name,
        [(f.id, f.level, f.name, f.elevation_m, f.outline.wkt if f.outline else None) for f in b.floors],
        [(s.id, s.floor_id, s.kind, s.name, s.geometry.wkt if s.geometry else None) for s in b.spaces()],
        [(d.id, d.space_id, d.geometry.wkt, dict(d.attributes)) for d in b.desks()],
        [(c.id, c.kind, c.levels, c.name, c.footprint.wkt if c.footprint else None) for c in b.cores],
        imported.notes,
    )


def problems_of(root: Path, files: Mapping[str, Any]) -> list[Problem]:
    """The problems reading the folder raises; the zip must raise the same."""
    folder, archive = write_imdf(root, files)
    with pytest.raises(InvalidBuilding) as from_folder:
        read_imdf(folder)
    with pytest.raises(InvalidBuilding) as from_zip:
        read_imdf(archive)
    assert from_folder.value.problems == from_zip.value.problems
    assert from_folder.value.source == str(folder)
    return list(from_folder.value.problems)
