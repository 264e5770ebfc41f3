"""Reading scenarios: DESIGN.md's YAML contract, and a clear message for every mistake a planner makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from layouts.errors import InvalidScenario
from layouts.relations import relations_from_csv
from layouts.scenario import read_scenario, scenario_from_dict
from layouts.units import seats_needed

BUILDING = {
    "floors": [
        {"name": "1F", "level": 0, "elevation_m": 0.0, "seats": 40},
        {"name": "2F", "level": 1, "elevation_m": 5.0, "seats": 180, "walk_m": 30},
        {"name": "3F", "level": 2, "seats": 100},
    ],
    "cores": [
        {"id": "low", "kind": "lift", "levels": [0, 1, 2], "wait_s": 30},
        {"id": "s1", "kind": "stair", "levels": [0, 1, 2]},
    ],
}
UNITS = [
    {"id": "kumin", "name": "区民部"},
    {"id": "kumin.koseki", "name": "戸籍住民課", "parent": "kumin", "headcount": 60, "fixed_share": 1.0},
    {"id": "kumin.zeimu", "name": "税務課", "parent": "kumin", "headcount": 45, "desk_ratio": 0.8},
    {"id": "fukushi", "name": "福祉部"},
    {"id": "fukushi.kokuho", "parent": "fukushi", "headcount": 20},
]


def base(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Bunkyo civic centre, FY2026",
        "building": BUILDING,
        "units": UNITS,
        "relations": [["kumin.koseki", "kumin.zeimu", 12], {"a": "kumin.zeimu", "b": "fukushi.kokuho", "rating": "I"}],
        "layouts": {
            "current": {"kumin.koseki": {"2F": 60}, "kumin.zeimu": {"2F": 20, "3F": 16}, "fukushi.kokuho": {"3F": 16}},
            "proposal": {"kumin.koseki": {"2F": 60}, "kumin.zeimu": {"2F": 36}, "fukushi.kokuho": {"3F": 16}},
        },
        "constraints": {"fixed": {"kumin.koseki": ["2F"]}, "max_floors": {"kumin": 2}},
    }
    data.update(changes)
    return data


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidScenario) as info:
        scenario_from_dict(data, source="s.yaml")
    assert str(info.value).startswith("s.yaml: ")
    return [str(p) for p in info.value.problems]


def test_reads_the_design_example() -> None:
    sc = scenario_from_dict(base())
    org = sc.organisation
    assert org.leaves() == ["kumin.koseki", "kumin.zeimu", "fukushi.kokuho"]
    assert org.headcount("kumin") == 105
    assert org.seats_needed("kumin.koseki") == 60
    assert org.seats_needed("kumin.zeimu") == 36
    assert list(sc.layouts) == ["current", "proposal"]
    assert sc.constraints.fixed == {"kumin.koseki": ("2F",)}


def test_seats_needed_is_exact() -> None:
    assert seats_needed(45, desk_ratio=0.8) == 36  # 45 * 0.8 is 36.00000000000001 in binary floats
    assert seats_needed(10, fixed_share=0.3, desk_ratio=0.8) == 9  # 10 * (0.3 + 0.56) = 8.6 -> 9
    assert seats_needed(60, fixed_share=1.0) == 60
    assert seats_needed(7) == 6  # 5.6 -> 6


def test_unknown_unit_and_floor_in_a_layout() -> None:
    data = base()
    data["layouts"]["current"] = {
        "kumin.koseki": {"2F": 60},
        "kumin.zeimu": {"9F": 36},
        "kumin.nope": {"2F": 1},
        "fukushi.kokuho": {"3F": 16},
    }
    found = problems(data)
    assert any("layouts.current, unit 'kumin.nope'" in m and "is not a unit" in m for m in found)
    assert any(
        "unit 'kumin.zeimu', place '9F'" in m and "not a floor or space" in m and "1F, 2F, 3F" in m for m in found
    )


def test_seats_over_a_floors_capacity() -> None:
    data = base()
    data["layouts"]["proposal"]["kumin.koseki"] = {"1F": 60}
    assert "layouts.proposal: puts 60 seats on 1F, which has 40" in problems(data)


def test_unit_with_no_seats() -> None:
    data = base()
    del data["layouts"]["proposal"]["fukushi.kokuho"]
    assert "layouts.proposal: unit 'fukushi.kokuho' has no seats in this layout" in problems(data)


def test_department_seats_must_be_given_by_section() -> None:
    data = base()
    data["layouts"]["proposal"]["kumin"] = {"2F": 10}
    assert any("unit 'kumin'" in m and "give the seats of each section" in m for m in problems(data))


def test_relation_to_itself_and_bad_rating() -> None:
    data = base(
        relations=[
            ["kumin.zeimu", "kumin.zeimu", 3],
            {"a": "kumin", "b": "fukushi", "rating": "Z"},
            {"a": "kumin", "b": "fukushi", "rating": "A", "trips": 3},
            ["kumin", "nobody", 2],
        ]
    )
    found = problems(data)
    assert any("relations[0] (kumin.zeimu - kumin.zeimu)" in m and "internal_trips_per_person" in m for m in found)
    assert any("relations[1] (kumin - fukushi), field 'rating': 'Z' is not an SLP rating" in m for m in found)
    assert any("relations[2]: give either trips or rating" in m for m in found)
    assert any("relations[3] (kumin - nobody)" in m and "names unit 'nobody'" in m for m in found)


def test_department_with_itself_is_allowed_and_x_keeps_apart() -> None:
    sc = scenario_from_dict(base(relations=[["kumin", "kumin", 10], {"a": "kumin", "b": "fukushi", "rating": "X"}]))
    assert frozenset(("kumin.zeimu", "fukushi.kokuho")) in sc.constraints.apart
    assert frozenset(("kumin.koseki", "fukushi.kokuho")) in sc.constraints.apart


def test_unit_mistakes() -> None:
    units = [
        {"id": "a", "headcount": -3},
        {"id": "b", "parent": "ghost", "headcount": 4, "desk_ratio": 1.5},
        {"id": "b", "headcount": 1},
        {"id": "c", "headcount": 2, "fixed_share": "all"},
        {"id": "d"},
    ]
    found = problems(base(units=units, relations=[], layouts={}, constraints={}))
    assert "unit 'a', field 'headcount': must be a whole number of people, not -3" in found
    assert "unit 'b', field 'parent': names parent 'ghost', which is not a unit" in found
    assert "unit 'b', field 'desk_ratio': must be a share above 0 and at most 1, not 1.5" in found
    assert "unit 'b', field 'id': is used by two units" in found
    assert "unit 'c', field 'fixed_share': must be a share between 0 and 1, not 'all'" in found
    assert "unit 'd', field 'headcount': a unit without sections needs a headcount above 0" in found


def test_constraint_mistakes() -> None:
    found = problems(
        base(constraints={"fixed": {"kumin.koseki": ["20F"]}, "max_floors": {"kumin": 0}, "closed": ["3F"]})
    )
    assert any("constraints.fixed, unit 'kumin.koseki'" in m and "names floor '20F'" in m for m in found)
    assert any("constraints.max_floors, unit 'kumin'" in m and "1 or more" in m for m in found)
    assert any("unknown constraint 'closed'" in m for m in found)


def test_bad_building_is_reported_with_the_scenario(tmp_path: Path) -> None:
    # a mapping read with no files may name none; from a folder (the command line), a missing file is named
    assert problems(base(building="missing.geojson")) == [
        "scenario, field 'building': 'missing.geojson' is not among the files uploaded with the scenario"
    ]
    with pytest.raises(InvalidScenario) as info:
        scenario_from_dict(base(building="missing.geojson"), base=tmp_path, source="s.yaml")
    assert [str(p) for p in info.value.problems] == [
        f"scenario, field 'building': 'missing.geojson' names no file or folder ({tmp_path / 'missing.geojson'})"
    ]


def test_read_scenario_from_file_with_relative_building(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        "floors: [{name: 1F, level: 0, seats: 50}, {name: 2F, level: 1, seats: 50}]\n"
        "cores: [{id: s, kind: stair, levels: [0, 1]}]\n"
    )
    (tmp_path / "s.yaml").write_text(
        "building: b.yaml\nunits: [{id: a, headcount: 10}]\nlayouts: {now: {a: {1F: 8}}}\n"
    )
    sc = read_scenario(tmp_path / "s.yaml")
    assert sc.name == "s" and sc.building.floor("2F").seat_capacity == 50


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nunits: [\n  {id: a\n")
    with pytest.raises(InvalidScenario, match=r"bad.yaml: line \d+, column \d+: not valid YAML"):
        read_scenario(path)


def test_relations_from_csv_matrix(tmp_path: Path) -> None:
    path = tmp_path / "rel.csv"
    path.write_text(",a,b,c\na,,3,I\nb,2,,X\nc,I,,\n")
    rels = {(r.a, r.b): r for r in relations_from_csv(path)}
    assert rels[("a", "b")].trips == 5.0  # both directions added
    assert rels[("a", "c")].rating == "I"  # the same letter in both triangles counts once
    assert rels[("b", "c")].rating == "X"


def test_relations_csv_mistakes(tmp_path: Path) -> None:
    path = tmp_path / "rel.csv"
    path.write_text(",a,b\na,4,often\nb,E,\n")
    with pytest.raises(InvalidScenario) as info:
        relations_from_csv(path)
    text = str(info.value)
    assert "row 2 (a), column 'a': the diagonal must be empty" in text
    assert "row 2 (a), column 'b': 'often' is neither trips per week nor a rating" in text
