"""The file layer of the IMDF reader: archives, labels, features, the local plane and located problems."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from shapely import MultiPolygon, Point, box

from floorplan.errors import Problem
from floorplan.imdf_archive import (
    Findings,
    LocalPlane,
    archive_files,
    label_text,
    largest_part,
    locate_problems,
    read_features,
)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ({"ja": "2階", "en": "2F"}, "2F"),
        ({"ja": "2階", "en-US": "2nd floor"}, "2nd floor"),
        ({"ja": "2階", "ko": "2층"}, "2階"),
        ({"en": ""}, ""),
        ("2F", "2F"),
        (None, ""),
        (3, ""),
    ],
)
def test_label_text_prefers_english_then_the_first(label: object, text: str) -> None:
    assert label_text(label) == text


def test_zip_root_is_the_folder_holding_level_geojson(tmp_path: Path) -> None:
    archive = tmp_path / "v.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("export/imdf/level.geojson", "{}")
        z.writestr("export/imdf/unit.geojson", "{}")
        z.writestr("export/readme.json", "{}")
        z.writestr("__MACOSX/export/imdf/._level.geojson", "junk")
        z.writestr("export/imdf/notes.txt", "not json")
    assert sorted(archive_files(archive)) == ["level.geojson", "unit.geojson"]


def test_read_features_names_file_of_text_that_is_not_utf8() -> None:
    findings = Findings()
    assert read_features({"unit.geojson": b'{"name": "\xff"}'}, "unit.geojson", findings) == []
    assert findings.problems == [Problem("not UTF-8 text (invalid start byte at byte 10)", "unit.geojson")]
    assert read_features({}, "unit.geojson", findings) is None


def test_local_plane_measures_metres_east_and_north_of_its_origin() -> None:
    plane = LocalPlane(139.75, 35.71)
    origin = plane.project(Point(139.75, 35.71))
    assert (origin.x, origin.y) == (pytest.approx(0.0, abs=1e-6), pytest.approx(0.0, abs=1e-6))
    # 0.001° east and north: 90.493 m and 110.954 m (see imdf_factories for the hand working).
    corner = plane.project(Point(139.751, 35.711))
    assert corner.x == pytest.approx(90.493, abs=0.01)
    assert corner.y == pytest.approx(110.954, abs=0.01)


def test_largest_part() -> None:
    small, large = box(0, 0, 1, 1), box(5, 5, 8, 8)
    assert largest_part(MultiPolygon([small, large])).equals(large)
    assert largest_part(small) is small


def test_locate_problems_places_validation_problems_in_files() -> None:
    problems = [
        Problem("lies outside the floor's outline", "space 'u1' on floor '2F'", "geometry"),
        Problem("lies outside its space 'u1'", "desk 'd1' on floor '2F'", "geometry"),
        Problem("name '2F' is used by 2 floors", "floor '2F'", "name"),
        Problem("serves fewer than two levels, so it links nothing", "core 'lift-1'", "levels"),
        Problem("must be greater than 0", "building", "walking_speed_mps"),
    ]
    located = locate_problems(problems, {"2F": ["L1", "L1-annex"]}, {"lift-1": ["E1", "E2"]})
    assert [p.where for p in located] == [
        "unit.geojson, feature 'u1' on floor '2F'",
        "amenity.geojson, feature 'd1' on floor '2F'",
        "level.geojson, feature 'L1', 'L1-annex' (floor '2F')",
        "unit.geojson, features 'E1', 'E2' (core 'lift-1')",
        "building",
    ]
    assert [(p.message, p.field) for p in located] == [(p.message, p.field) for p in problems]
