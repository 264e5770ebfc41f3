"""The native GeoJSON building file: lossless round trip, and every fault named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely import LineString, Polygon

from floorplan.errors import InvalidBuilding
from floorplan.geojson import building_from_geojson, building_to_geojson, read_geojson, write_geojson
from floorplan.importing import read_building
from floorplan.model import Building, CoreKind, Desk, SpaceKind, TravelDefaults
from tests.floorplan.factories import make_core, make_desk, make_floor, make_space


def sample_building() -> Building:
    spaces = [
        make_space("1F-A", "1F", (0, 0, 10, 10), name="戸籍住民課 & 窓口", capacity=12, zone="kumin"),
        make_space("1F-M", "1F", (10.5, 0, 20, 7.25), kind=SpaceKind.MEETING, hourly=True),
    ]
    desks = [
        make_desk("1F-A-01", "1F-A", 1.1, 2.2, attributes={"monitor": True, "height_cm": 72.5, "note": "window"}),
        Desk(id="1F-A-02", space_id="1F-A", geometry=Polygon([(3, 3), (4.6, 3), (4.6, 3.8), (3, 3.8)])),
    ]
    ground = make_floor(0, spaces=spaces, desks=desks, corridors=(LineString([(0, 10.25), (40, 10.25)]),))
    basement = make_floor(-1, outline=None, seats=30, walk_m=18.5, use="storage")
    upper = make_floor(1, elevation_m=5.0, height_m=3.7, spaces=[make_space("2F-A", "2F", (0, 0, 40, 20))])
    cores = (
        make_core("S1", CoreKind.STAIR, [-1, 0, 1], bounds=(30, 0, 34, 4), up_s_per_floor=18.0),
        make_core("L1", CoreKind.LIFT, [0, 1], bounds=(35, 0, 38, 3), wait_s=25.0, speed_mps=1.75),
    )
    return Building(
        id="t",
        name="テスト棟",
        floors=(ground, basement, upper),
        cores=cores,
        defaults=TravelDefaults(walking_speed_mps=1.2, walk_m=30.0),
        timezone="Europe/Berlin",
        metadata={"sources": ["drawn by hand"]},
    )


def test_round_trip_is_lossless(tmp_path: Path) -> None:
    building = sample_building()
    path = tmp_path / "t.building.geojson"
    write_geojson(building, path)
    again = read_geojson(path).building
    assert again == building
    # Writing what was read gives the same bytes.
    path2 = tmp_path / "again.geojson"
    write_geojson(again, path2)
    assert path2.read_bytes() == path.read_bytes()
    assert read_building(path).building == building


def test_file_is_geojson_with_feature_types(tmp_path: Path) -> None:
    doc = building_to_geojson(sample_building())
    types = [f["properties"]["feature_type"] for f in doc["features"]]
    assert types.count("level") == 3 and types.count("space") == 3 and types.count("desk") == 2
    assert types.count("core") == 2 and types.count("corridor") == 1 and types[0] == "building"
    desk = next(f for f in doc["features"] if f.get("id") == "1F-A-01")
    assert desk["geometry"] == {"type": "Point", "coordinates": [1.1, 2.2]}


def minimal(*features: dict[str, Any]) -> dict[str, Any]:
    level = {
        "type": "Feature",
        "id": "1F",
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [20, 0], [20, 10], [0, 10], [0, 0]]]},
        "properties": {"feature_type": "level", "level": 0, "elevation_m": 0},
    }
    return {"type": "FeatureCollection", "features": [level, *features]}


def space(sid: str, coords: list[list[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": sid,
        "geometry": {"type": "Polygon", "coordinates": [coords]},
        "properties": {"feature_type": "space", "level_id": "1F", "kind": "office", **props},
    }


SQUARE = [[1, 1], [5, 1], [5, 5], [1, 5], [1, 1]]


def test_defaults_fill_what_the_file_leaves_out() -> None:
    doc = minimal(
        space("A", SQUARE),
        {
            "type": "Feature",
            "id": "d1",
            "geometry": {"type": "Point", "coordinates": [2, 2]},
            "properties": {"feature_type": "desk"},
        },
    )
    b = building_from_geojson(doc)
    floor = b.floors[0]
    assert floor.height_m == 4.0 and floor.name == "1F"
    assert floor.desks[0].space_id == "A"  # found from its position
    assert floor.spaces[0].area_m2 == 16.0
    assert floor.seat_capacity == 1


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidBuilding) as info:
        building_from_geojson(doc, source="b.geojson")
    assert all(str(p) for p in info.value.problems)
    assert str(info.value).startswith("b.geojson: ")
    return [str(p) for p in info.value.problems]


def test_self_intersecting_space_is_named() -> None:
    bowtie = [[1, 1], [5, 5], [5, 1], [1, 5], [1, 1]]
    [message] = problems_of(minimal(space("bow", bowtie)))
    assert "space 'bow'" in message and "geometry" in message and "Self-intersection" in message


def test_desk_outside_its_space_and_space_outside_floor() -> None:
    doc = minimal(
        space("A", SQUARE),
        space("far", [[30, 30], [35, 30], [35, 35], [30, 35], [30, 30]]),
        {
            "type": "Feature",
            "id": "d9",
            "geometry": {"type": "Point", "coordinates": [9, 9]},
            "properties": {"feature_type": "desk", "space_id": "A"},
        },
    )
    messages = problems_of(doc)
    assert any("space 'far'" in m and "outside the floor's outline" in m for m in messages)
    assert any("desk 'd9'" in m and "outside its space 'A'" in m for m in messages)


def test_duplicate_ids_and_unknown_references() -> None:
    doc = minimal(
        space("A", SQUARE),
        space("A", SQUARE),
        space("B", SQUARE, level_id="9F"),
        {
            "type": "Feature",
            "id": "d1",
            "geometry": {"type": "Point", "coordinates": [2, 2]},
            "properties": {"feature_type": "desk", "space_id": "nowhere"},
        },
    )
    messages = problems_of(doc)
    assert any("names level '9F'" in m for m in messages)
    assert any("names space 'nowhere'" in m and "desk 'd1'" in m for m in messages)


def test_duplicate_space_ids() -> None:
    messages = problems_of(minimal(space("A", SQUARE), space("A", SQUARE)))
    assert messages == ["space 'A', field 'id': id 'A' is used by 2 spaces"]


def test_core_serving_a_missing_level() -> None:
    core = {
        "type": "Feature",
        "id": "L",
        "geometry": None,
        "properties": {"feature_type": "core", "kind": "lift", "levels": [0, 3]},
    }
    [message] = problems_of(minimal(core))
    assert "core 'L'" in message and "level(s) [3]" in message and "levels" in message


def test_bad_values_name_feature_and_field() -> None:
    messages = problems_of(
        minimal(
            space("A", SQUARE, kind="kitchenette", capacity="ten"),
            {"type": "Feature", "id": "X", "geometry": None, "properties": {"feature_type": "lobby"}},
        )
    )
    assert any("features[1] (space 'A'), field 'kind'" in m and "'kitchenette' is not one of" in m for m in messages)
    assert any("field 'capacity'" in m and "whole number" in m for m in messages)
    assert any("unknown feature_type 'lobby'" in m for m in messages)


def test_not_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [,]}')
    with pytest.raises(InvalidBuilding, match=r"broken.geojson: not valid JSON: .* line 2"):
        read_geojson(path)


def test_write_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text("old")
    with pytest.raises(TypeError):
        write_geojson(Building(id="x", name="x", floors=(), metadata={"bad": object()}), path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["b.geojson"]
    assert json.loads(json.dumps(building_to_geojson(sample_building())))
