"""The layout commands, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.booking.cli import floorwise

SCENARIO = """
name: Two floors
building:
  floors: [{name: 1F, level: 0, seats: 20}, {name: 2F, level: 1, seats: 20}]
  cores: [{id: S, kind: stair, levels: [0, 1]}]
internal_trips_per_person: 0
units: [{id: a, name: 甲, headcount: 10}, {id: b, name: 乙, headcount: 10}]
relations: [[a, b, 10]]
layouts:
  apart: {a: {1F: 8}, b: {2F: 8}}
  together: {a: {1F: 8}, b: {1F: 8}}
"""
WALK = 25 / 1.3


def test_score_json_has_the_figures(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO)
    r = floorwise("score", tmp_path / "s.yaml", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    for key in (
        "layout",
        "travel_hours_per_week",
        "vertical_hours_per_week",
        "vertical_trips_per_week",
        "floors_crossed_per_week",
        "split_units",
        "seats",
        "top_pairs",
    ):
        assert key in data
    assert data["layout"] == "apart"
    assert abs(data["travel_hours_per_week"] - 10 * (2 * WALK + 17.5) / 3600) < 1e-9
    assert data["seats"] == [
        {"floor": "1F", "level": 0, "needed": 8, "available": 20},
        {"floor": "2F", "level": 1, "needed": 8, "available": 20},
    ]
    r = floorwise("score", tmp_path / "s.yaml", "--layout", "together")
    assert r.code == 0 and "together" in r.out and "甲 – 乙" in r.out


def test_compare_json_and_html(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO)
    r = floorwise("compare", tmp_path / "s.yaml", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["baseline"] == "apart"
    together = data["layouts"][1]
    assert together["people_moved"] == 10  # all of b leaves 2F
    assert together["change"]["vertical_trips_per_week"] == -10


def test_compare_demo_runs_beside_a_demo_folder(tmp_path: Path) -> None:
    (tmp_path / "demo").mkdir()  # what `floorwise demo` leaves behind must not hide the demo scenario
    r = floorwise("compare", "demo", "--html", "report.html", "--lang", "ja", cwd=tmp_path)
    assert r.code == 0, r.err
    assert "low-rise" in r.out and "fukushi-high" in r.out and "people" in r.out
    html = (tmp_path / "report.html").read_text()
    assert '<html lang="ja"' in html and html.count("<svg") >= 3


def test_scenario_mistakes_are_messages(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO.replace("b: {2F: 8}", "b: {3F: 8}"))
    r = floorwise("score", tmp_path / "s.yaml")
    assert r.code == 1 and "Traceback" not in r.err
    assert "layouts.apart, unit 'b', place '3F'" in r.err
    r = floorwise("score", tmp_path / "s.yaml", "--layout", "nope")
    assert r.code == 1


def test_scenario_from_cobie_writes_scenario_and_building(tmp_path: Path, shared_data: Path) -> None:
    r = floorwise("scenario", "from-cobie", shared_data / "cobie" / "clinic-design.xlsx", "-o", tmp_path / "c.yaml")
    assert r.code == 0, r.err
    data = yaml.safe_load((tmp_path / "c.yaml").read_text())
    assert data["building"] == "c.building.geojson" and (tmp_path / "c.building.geojson").exists()
    assert data["layouts"]["current"]["dental"] == {"Second Floor": 47}
    r = floorwise("score", tmp_path / "c.yaml", "--json")
    assert r.code == 0, r.err


def test_scenario_demo_copy(tmp_path: Path) -> None:
    r = floorwise("scenario", "demo", "-o", tmp_path / "w.yaml")
    assert r.code == 0
    assert "building: demo" in (tmp_path / "w.yaml").read_text()
    r = floorwise("score", tmp_path / "w.yaml", "--json")
    assert json.loads(r.out)["layout"] == "current"


def test_optimize_writes_the_scenario_with_a_new_layout(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(SCENARIO)
    args = ("optimize", tmp_path / "s.yaml", "--from", "apart", "--iterations", "500", "--seed", "3", "--workers", "1")
    r = floorwise(*args, "-o", tmp_path / "o.yaml", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    # a and b meet 10 times a week: together on one floor, with no vertical travel.
    assert data["seats"]["a"] == data["seats"]["b"]
    assert data["score"]["vertical_hours_per_week"] == 0
    assert data["start"] == "apart" and data["people_moved"] == 10
    written = yaml.safe_load((tmp_path / "o.yaml").read_text())
    assert written["layouts"]["optimised"] == data["seats"]
    # The same seed and iterations give the same layout.
    again = json.loads(floorwise(*args, "-o", tmp_path / "o2.yaml", "--json").out)
    assert again["seats"] == data["seats"]
    r = floorwise("optimize", tmp_path / "o.yaml", "-o", tmp_path / "o3.yaml")
    assert r.code == 2 and "already has a layout called 'optimised'" in r.err


def test_optimize_explains_an_infeasible_scenario(tmp_path: Path) -> None:
    text = SCENARIO + "constraints: {apart: [[a, b]], available_floors: [1F]}\n"
    (tmp_path / "s.yaml").write_text(text)
    r = floorwise("optimize", tmp_path / "s.yaml", "-o", tmp_path / "o.yaml", "--iterations", "10")
    assert r.code == 1 and "Traceback" not in r.err
    assert "apart" in r.err and not (tmp_path / "o.yaml").exists()
