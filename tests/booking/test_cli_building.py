"""The building commands, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.booking.cli import floorwise

GUIDE = """
name: Test tower
floors:
  - {name: 1F, level: 0, seats: 40}
  - {name: 2F, level: 1, seats: 100}
  - {name: 11F, level: 10, seats: 100}
cores:
  - {id: L, kind: lift, levels: [0, 1, 10]}
  - {id: S, kind: stair, levels: [0, 1]}
"""


def test_travel_prints_legs_and_mean(tmp_path: Path) -> None:
    (tmp_path / "g.yaml").write_text(GUIDE)
    r = floorwise("travel", tmp_path / "g.yaml", "1F", "11F")
    assert r.code == 0, r.err
    assert "ride lift L from 1F to 11F" in r.out
    # 11F is at 40 m (levels 2-9 missing count 4 m each): 2 walks of 25 m + 30 + 5.5 + 40/2.5 + 2.5.
    assert "t(1F, 11F) = 92.5 s" in r.out and "54.0 s vertical" in r.out


def test_import_validate_render_round_trip(tmp_path: Path, shared_data: Path) -> None:
    out = tmp_path / "clinic.geojson"
    r = floorwise("import", shared_data / "cobie" / "clinic-design.xlsx", "-o", out)
    assert r.code == 0, r.err
    assert "2 floors, 269 spaces" in r.out and "note:" in r.out
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection"
    r = floorwise("validate", out)
    assert r.code == 0 and "valid" in r.out and "Second Floor" in r.out
    r = floorwise("render", out, "--floor", "Second Floor", "-o", tmp_path / "2.svg")
    assert r.code == 0 and (tmp_path / "2.svg").read_text().startswith("<svg")
    r = floorwise("render", out, "--stack", "-o", tmp_path / "s.svg")
    assert r.code == 0 and "<svg" in (tmp_path / "s.svg").read_text()


def test_mistakes_give_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "L1", "geometry": null,'
        ' "properties": {"feature_type": "level", "level": "one", "elevation_m": 0}}]}'
    )
    r = floorwise("validate", bad)
    assert r.code == 1
    assert "Traceback" not in r.err
    assert "bad.geojson" in r.err and "level 'L1'" in r.err and "'level'" in r.err
    r = floorwise("validate", tmp_path / "missing.geojson")
    assert r.code == 1 and "no such file" in r.err and "Traceback" not in r.err
    (tmp_path / "g.yaml").write_text(GUIDE)
    r = floorwise("travel", tmp_path / "g.yaml", "1F", "99F")
    assert r.code == 1 and "no floor or space named '99F'" in r.err
    r = floorwise("render", tmp_path / "g.yaml", "--floor", "9F", "-o", tmp_path / "x.svg")
    assert r.code == 2 and "no floor '9F'" in r.err and not (tmp_path / "x.svg").exists()
    r = floorwise("render", tmp_path / "g.yaml", "--stack", "-o", tmp_path / "nowhere" / "x.svg")
    assert r.code == 1 and "does not exist" in r.err and "Traceback" not in r.err


def test_demo_writes_a_valid_building_and_plans(tmp_path: Path) -> None:
    r = floorwise("demo", "-o", tmp_path / "demo")
    assert r.code == 0, r.err
    assert (tmp_path / "demo" / "civic-centre.building.geojson").exists()
    assert len(list((tmp_path / "demo" / "plans").glob("*.svg"))) == 31
    r = floorwise("travel", tmp_path / "demo" / "civic-centre.building.geojson", "6F-N1", "20F-S2")
    assert r.code == 0
    # 6F is on the low bank, 20F on the high one: the trip changes banks on 1F.
    assert "from high to low on 1F" in r.out
