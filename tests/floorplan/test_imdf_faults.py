"""The IMDF reader on faulty archives: every fault names the file, the feature and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from floorplan.errors import InvalidBuilding, Problem
from floorplan.imdf import read_imdf
from tests.floorplan.imdf_factories import (
    amenity,
    box,
    collection,
    feature,
    level,
    office_tower,
    point,
    problems_of,
    ring,
    unit,
)


def test_missing_level_file(tmp_path: Path) -> None:
    files = office_tower()
    del files["level.geojson"]
    problems = problems_of(tmp_path, files)
    assert Problem("is missing: an IMDF archive needs its levels", "level.geojson") in problems
    # Every unit now names a level the archive does not have, and says so.
    assert Problem("names level 'L1', which level.geojson does not have", "unit.geojson, feature 'O1'", "level_id") in (
        problems
    )


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    files = office_tower()
    files["unit.geojson"] = '{\n  "type": "FeatureCollection",\n  "features": [\n    {"id": "O0",}\n  ]\n}\n'
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems if p.where == "unit.geojson"] == [
        "unit.geojson: not valid JSON: Expecting property name enclosed in double quotes at line 4, column 17"
    ]


def test_unit_faults_name_file_feature_and_field(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    # Corners in the order SW, NE, SE, NW: the edges cross at the middle.
    bowtie = {
        "type": "Polygon",
        "coordinates": [[point(*c)["coordinates"] for c in ((0, 0), (1, 1), (1, 0), (0, 1), (0, 0))]],
    }
    files["unit.geojson"]["features"] += [
        unit("no-level", "L0", "office", box(0, 0, 1, 1)),
        unit("stray", "L9", "office", box(0, 0, 1, 1)),
        unit("bowtie", "L0", "office", bowtie),
        unit("dot", "L0", "office", point(1, 1)),
        unit("nothing", "L0", "office", None),
    ]
    del files["unit.geojson"]["features"][-5]["properties"]["level_id"]  # no-level
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems] == [
        "unit.geojson, feature 'no-level', field 'level_id': is missing or not a level id; a unit must name its level",
        "unit.geojson, feature 'stray', field 'level_id': names level 'L9', which level.geojson does not have",
        "unit.geojson, feature 'bowtie', field 'geometry': polygon is not valid: Self-intersection[139.75005 35.71005]",
        "unit.geojson, feature 'dot', field 'geometry': must be a Polygon or MultiPolygon, not Point",
        "unit.geojson, feature 'nothing', field 'geometry': is missing; this feature needs a Polygon or MultiPolygon",
    ]


def test_level_faults(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    files["level.geojson"]["features"] += [
        level(1),
        feature("L2", "level", {"type": "LineString", "coordinates": ring(0, 0, 1, 1)[:2]}, ordinal=2),
    ]
    del files["level.geojson"]["features"][1]["properties"]["ordinal"]
    problems = problems_of(tmp_path, files)
    assert sorted(str(p) for p in problems) == [
        "level.geojson, feature 'L1', field 'ordinal': is missing or not an integer",
        "level.geojson, feature 'L2', field 'geometry': must be a Polygon or MultiPolygon, not LineString",
    ]


def test_desk_faults(tmp_path: Path) -> None:
    files = office_tower(levels=[0, 1])
    files["amenity.geojson"] = collection(
        amenity("D1", "desk", ["O9"], (0.5, 0.5)),
        amenity("D2", "desk", [], (0.5, 0.5)),
        feature("D3", "amenity", box(0, 0, 1, 1), category="desk", unit_ids=["O1"]),
        amenity("D4", "desk", ["O1"], (5, 2)),  # in the walkway, but listed in the office
    )
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems] == [
        "amenity.geojson, feature 'D1', field 'unit_ids': names unit(s) 'O9', which unit.geojson does not have",
        "amenity.geojson, feature 'D2', field 'unit_ids': is missing or not a list of unit ids; a desk must name its "
        "unit",
        "amenity.geojson, feature 'D3', field 'geometry': must be a Point, not Polygon",
        "amenity.geojson, feature 'D4' on floor '2F', field 'geometry': lies outside its space 'O1'",
    ]


def test_validation_faults_are_placed_in_their_files(tmp_path: Path) -> None:
    files = office_tower(levels=[0, 1])
    files["unit.geojson"]["features"].append(unit("annex", "L0", "office", box(6, 0, 8, 3)))
    # The lift on level 1 sticks out of its floor, and so does the lift's footprint on both floors.
    files["unit.geojson"]["features"] = [
        {**f, "geometry": box(4.5, -1, 6, 1)} if f["id"] == "E1" else f for f in files["unit.geojson"]["features"]
    ]
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems] == [
        "unit.geojson, feature 'annex' on floor '1F', field 'geometry': lies outside the floor's outline",
        "unit.geojson, feature 'E1' on floor '2F', field 'geometry': lies outside the floor's outline",
        "unit.geojson, features 'E0', 'E1' (core 'lift-1'): footprint lies outside the outline of floor '1F'",
        "unit.geojson, features 'E0', 'E1' (core 'lift-1'): footprint lies outside the outline of floor '2F'",
    ]


def test_duplicate_floor_names_name_their_level_features(tmp_path: Path) -> None:
    files = office_tower(levels=[0, 1])
    files["level.geojson"]["features"][1]["properties"]["short_name"] = {"en": "1F"}
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems] == [
        "level.geojson, feature 'L0', 'L1' (floor '1F'), field 'name': name '1F' is used by 2 floors"
    ]


def test_features_without_ids_and_files_that_are_not_collections(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    files["unit.geojson"]["features"].append({"type": "Feature", "geometry": box(0, 0, 1, 1), "properties": {}})
    files["unit.geojson"]["features"].append(unit("O0", "L0", "office", box(0, 0, 1, 1)))
    files["opening.geojson"] = {"type": "Feature"}
    problems = problems_of(tmp_path, files)
    assert [str(p) for p in problems] == [
        "unit.geojson, feature #5, field 'id': is missing or not a string",
        "unit.geojson, feature 'O0', field 'id': is used by 2 features",
        "opening.geojson: is not a GeoJSON FeatureCollection with a list of features",
    ]


def test_coordinates_in_metres_are_refused(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    metres = [[0, 0], [500, 0], [500, 300], [0, 0]]
    files["level.geojson"] = collection(level(0, geometry={"type": "Polygon", "coordinates": [metres]}))
    problems = problems_of(tmp_path, files)
    assert str(problems[0]) == (
        "level.geojson, feature 'L0', field 'geometry': coordinates are not longitude / latitude degrees (WGS84)"
    )


def test_a_file_that_is_neither_folder_nor_zip(tmp_path: Path) -> None:
    path = tmp_path / "venue.imdf"
    path.write_text("not a zip")
    with pytest.raises(InvalidBuilding, match="neither an IMDF folder nor a readable zip archive"):
        read_imdf(path)
