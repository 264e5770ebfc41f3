"""Floor guides: buildings known only as a list of floors with seats."""

from __future__ import annotations

from pathlib import Path

import pytest

from floorplan.circulation import travel_matrix
from floorplan.errors import InvalidBuilding
from floorplan.floorguide import building_from_floor_guide, read_floor_guide
from floorplan.model import CoreKind

GUIDE = """
name: Civic centre (floor guide)
floors:
  - {name: B1, level: -1, seats: 0}
  - {name: 1F, level: 0, elevation_m: 0.0, seats: 40, height_m: 6.0}
  - {name: 2F, level: 1, seats: 180, walk_m: 30}
  - {name: 3F, level: 2, seats: 150}
cores:
  - {id: low, kind: lift, levels: [0, 1, 2], wait_s: 20}
  - {id: s1, kind: stair, levels: [-1, 0, 1, 2]}
"""


def test_reads_floors_cores_and_derives_elevations(tmp_path: Path) -> None:
    path = tmp_path / "guide.yaml"
    path.write_text(GUIDE)
    b = read_floor_guide(path).building
    assert [f.name for f in b.floors] == ["B1", "1F", "2F", "3F"]
    # 2F: 1F at 0 m + its 6 m height; 3F: + 2F's default 4 m; B1: 0 m - B1's default 4 m.
    assert [f.elevation_m for f in b.floors] == [-4.0, 0.0, 6.0, 10.0]
    assert [f.seat_capacity for f in b.floors] == [0, 40, 180, 150]
    low = next(c for c in b.cores if c.id == "low")
    assert low.kind == CoreKind.LIFT and low.wait_s == 20 and low.door_s == 5.5
    assert not any(f.is_drawn for f in b.floors)


def test_walk_m_is_every_walk_on_a_floor() -> None:
    b = building_from_floor_guide(
        {
            "floors": [{"name": "1F", "level": 0, "seats": 10, "walk_m": 13}, {"name": "2F", "level": 1, "seats": 5}],
            "cores": [{"id": "s", "kind": "stair", "levels": [0, 1]}],
        }
    )
    m = travel_matrix(b)
    # 1F -> 2F: 13 m on 1F, 20 s up, 25 m (default) on 2F; back: 25 m, 15 s down, 13 m.
    assert m.directed_s[0, 1] == pytest.approx(13 / 1.3 + 20 + 25 / 1.3)
    assert m.seconds[0, 0] == pytest.approx(10.0)  # within 1F: one walk of 13 m


def test_building_defaults_apply_to_cores_and_floors() -> None:
    b = building_from_floor_guide(
        {
            "defaults": {"lift_wait_s": 45, "floor_height_m": 3.5, "walk_m": 10},
            "floors": [{"name": "1F", "level": 0}, {"name": "2F", "level": 1}],
            "cores": [{"id": "L", "kind": "lift", "levels": [0, 1]}],
        }
    )
    assert b.cores[0].wait_s == 45
    assert b.floors[1].elevation_m == 3.5
    assert b.walk_m(b.floors[0]) == 10


def test_every_mistake_is_reported_at_once() -> None:
    with pytest.raises(InvalidBuilding) as info:
        building_from_floor_guide(
            {
                "floors": [{"name": "1F", "level": "ground", "seat": 3}, {"level": 1, "seats": -2}],
                "cores": [{"id": "L", "kind": "escalator-ish", "levels": [0, 5]}, {"kind": "stair", "levels": "all"}],
            },
            source="guide.yaml",
        )
    text = str(info.value)
    assert text.startswith("guide.yaml: ")
    for expected in (
        "floor '1F', field 'level': must be a whole number, not 'ground'",
        "floor '1F': unknown key 'seat'",
        "floors[1], field 'name': is missing",
        "core 'L', field 'kind': 'escalator-ish' is not one of lift, stair, escalator",
        "cores[1], field 'id': is missing",
        "cores[1], field 'levels': must be a list",
    ):
        assert expected in text


def test_core_serving_unknown_level() -> None:
    with pytest.raises(InvalidBuilding, match=r"core 'L', field 'levels': serves level\(s\) \[5\]"):
        building_from_floor_guide(
            {
                "floors": [{"name": "1F", "level": 0}, {"name": "2F", "level": 1}],
                "cores": [{"id": "L", "kind": "lift", "levels": [0, 1, 5]}],
            }
        )


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("floors:\n  - {name: 1F, level: 0\n  - {name: 2F}\n")
    with pytest.raises(InvalidBuilding, match=r"bad.yaml: line \d+, column \d+: not valid YAML"):
        read_floor_guide(path)
