"""Layout scores worked out by hand on floor-guide buildings (every walk 25 m at 1.3 m/s; floors 4 m apart;
lifts 30 s wait, 5.5 s doors, 2.5 m/s, 1 m/s²; stairs 20 s up, 15 s down per floor)."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from layouts.compare import compare_layouts, people_moved
from layouts.scenario import scenario_from_dict
from layouts.scoring import score_layout

WALK = 25 / 1.3
H = 3600.0


def guide(n_floors: int = 12, *, cores: list[dict[str, Any]] | None = None, first: int = 0) -> dict[str, Any]:
    floors = [
        {"name": f"{lv + 1}F" if lv >= 0 else f"B{-lv}", "level": lv, "seats": 100}
        for lv in range(first, first + n_floors)
    ]
    levels = [f["level"] for f in floors]
    return {
        "floors": floors,
        "cores": cores
        or [{"id": "L", "kind": "lift", "levels": levels}, {"id": "S", "kind": "stair", "levels": levels}],
    }


def scenario(**parts: Any) -> Any:
    data = {"name": "t", "building": guide(), "internal_trips_per_person": 0, **parts}
    return scenario_from_dict(data)


TWO_UNITS = [{"id": "a", "headcount": 10}, {"id": "b", "headcount": 10}]


def test_one_floor_apart_goes_by_stairs() -> None:
    sc = scenario(units=TWO_UNITS, relations=[["a", "b", 10]], layouts={"x": {"a": {"1F": 8}, "b": {"2F": 8}}})
    s = score_layout(sc)
    # t(1F, 2F) = walk + mean(20 up, 15 down) + walk.
    assert s.travel_hours_per_week == pytest.approx(10 * (2 * WALK + 17.5) / H)
    assert s.vertical_hours_per_week == pytest.approx(10 * 17.5 / H)
    assert s.vertical_trips_per_week == pytest.approx(10)
    assert s.floors_crossed_per_week == pytest.approx(10)
    assert s.split_units == ()
    assert [(p.a, p.b, p.trips_per_week) for p in s.top_pairs] == [("a", "b", 10.0)]


def test_ten_floors_apart_goes_by_lift() -> None:
    sc = scenario(units=TWO_UNITS, relations=[["a", "b", 10]], layouts={"x": {"a": {"1F": 8}, "b": {"11F": 8}}})
    s = score_layout(sc)
    ride = 30 + 5.5 + 40 / 2.5 + 2.5  # 54 s
    assert s.travel_hours_per_week == pytest.approx(10 * (2 * WALK + ride) / H)
    assert s.vertical_hours_per_week == pytest.approx(10 * ride / H)
    assert s.floors_crossed_per_week == pytest.approx(100)


def test_transfer_between_lift_banks_in_the_score() -> None:
    cores = [
        {"id": "low", "kind": "lift", "levels": [0, 1, 2, 3, 4, 5]},
        {"id": "high", "kind": "lift", "levels": [0, 6, 7, 8, 9, 10]},
    ]
    sc = scenario(
        building=guide(11, cores=cores),
        units=TWO_UNITS,
        relations=[["a", "b", 2]],
        layouts={"x": {"a": {"4F": 8}, "b": {"9F": 8}}},
    )
    # 4F -> 1F on low (12 m: 42.8 s), walk to high (WALK), 1F -> 9F on high (32 m: 50.8 s); same back.
    vertical = 42.8 + WALK + 50.8
    s = score_layout(sc)
    assert s.vertical_hours_per_week == pytest.approx(2 * vertical / H)
    assert s.travel_hours_per_week == pytest.approx(2 * (2 * WALK + vertical) / H)


def test_basement_levels_by_ordinal() -> None:
    sc = scenario(
        building=guide(4, first=-2),  # B2, B1, 1F, 2F
        units=TWO_UNITS,
        relations=[["a", "b", 4]],
        layouts={"x": {"a": {"B2": 8}, "b": {"2F": 8}}},
    )
    s = score_layout(sc)
    # Three floors: lift (12 m: 42.8 s) beats stairs (60 s up, 45 s down) both ways.
    assert s.floors_crossed_per_week == pytest.approx(4 * 3)
    assert s.vertical_hours_per_week == pytest.approx(4 * 42.8 / H)


def test_internal_traffic_and_a_split_unit() -> None:
    sc = scenario(
        internal_trips_per_person=5,
        units=[{"id": "a", "headcount": 10}],
        layouts={"whole": {"a": {"1F": 8}}, "split": {"a": {"1F": 4, "2F": 4}}},
    )
    whole = score_layout(sc, "whole")
    # w(a, a) = 5 * 10 = 50 trips; on one floor-guide floor every trip is one walk.
    assert whole.travel_hours_per_week == pytest.approx(50 * WALK / H)
    assert whole.vertical_trips_per_week == 0
    split = score_layout(sc, "split")
    # Half the trips stay on a floor (one walk), half cross: 0.25 + 0.25 of WALK, 0.5 of (2 WALK + 17.5).
    assert split.travel_hours_per_week == pytest.approx(50 * (1.5 * WALK + 0.5 * 17.5) / H)
    assert split.vertical_trips_per_week == pytest.approx(25)
    assert [(u.unit, dict(u.floors)) for u in split.split_units] == [("a", {"1F": 4, "2F": 4})]


def test_department_relation_is_shared_by_headcount() -> None:
    units = [
        {"id": "d", "name": "部"},
        {"id": "d.one", "parent": "d", "headcount": 30},
        {"id": "d.two", "parent": "d", "headcount": 10},
        {"id": "x", "headcount": 5},
    ]
    layouts = {"l": {"d.one": {"1F": 24}, "d.two": {"2F": 8}, "x": {"3F": 4}}}
    sc = scenario(units=units, relations=[["d", "x", 40], ["d", "d", 16]], layouts=layouts)
    s = score_layout(sc, top=20)
    trips = {(p.a, p.b): p.trips_per_week for p in s.top_pairs}
    # d - x: 40 * 30/40 to d.one, 40 * 10/40 to d.two.
    assert trips[("d.one", "x")] == pytest.approx(30)
    assert trips[("d.two", "x")] == pytest.approx(10)
    # d with itself: ordered pairs by h_i h_j / H^2: one-one 9, two-two 1, one-two 2 * 3 = 6.
    assert trips[("d.one", "d.one")] == pytest.approx(9)
    assert trips[("d.two", "d.two")] == pytest.approx(1)
    assert trips[("d.one", "d.two")] == pytest.approx(6)
    one_two = 2 * WALK + 17.5  # 1F-2F stairs
    one_three = 2 * WALK + 35  # 1F-3F stairs: 40 up, 30 down
    two_three = one_two
    expected = 30 * one_three + 10 * two_three + 9 * WALK + 1 * WALK + 6 * one_two
    assert s.travel_hours_per_week == pytest.approx(expected / H)


def test_people_moved_against_baseline() -> None:
    units = [{"id": "a", "headcount": 10}, {"id": "b", "headcount": 45}]
    sc = scenario(
        internal_trips_per_person=5,
        units=units,
        layouts={
            "current": {"a": {"1F": 4, "2F": 4}, "b": {"6F": 20, "7F": 16}},
            "proposal": {"a": {"1F": 8}, "b": {"6F": 36}},
        },
    )
    moved = people_moved(sc, sc.layout("proposal"), sc.layout("current"))
    # a: half its seats leave 2F -> 5 people; b: 16/36 leave 7F -> 20 people.
    assert moved == pytest.approx({"a": 5.0, "b": 20.0})
    comparison = compare_layouts(sc)
    assert comparison.baseline == "current"
    assert [c.people_moved for c in comparison.layouts] == pytest.approx([0.0, 25.0])
    # Own trips 50 (a) and 225 (b); crossing shares 2 * 1/2 * 1/2 and 2 * 20/36 * 16/36; the proposal has none.
    crossing = 50 * 0.5 + 225 * 2 * 20 * 16 / 36**2
    assert comparison.layouts[0].score.vertical_trips_per_week == pytest.approx(crossing)
    assert comparison.layouts[1].change["vertical_trips_per_week"] == pytest.approx(-crossing)


def test_constraint_violations_are_reported() -> None:
    sc = scenario(
        units=[
            {"id": "d"},
            {"id": "d.a", "parent": "d", "headcount": 10},
            {"id": "d.b", "parent": "d", "headcount": 10},
            {"id": "c", "headcount": 5},
        ],
        relations=[{"a": "c", "b": "d.a", "rating": "X"}],
        constraints={"fixed": {"c": ["1F"]}, "closed_floors": ["3F"], "max_floors": {"d": 1}, "adjacent": ["d"]},
        layouts={"x": {"d.a": {"3F": 8}, "d.b": {"5F": 8}, "c": {"3F": 4}}},
    )
    violations = [str(v) for v in score_layout(sc).violations]
    assert "c is on 3F, but is fixed to 1F" in violations
    assert "d.a is on closed floor(s) 3F" in violations
    assert "d is on 2 floors (3F, 5F), more than 1" in violations
    assert "d is on 3F, 5F, which are not adjacent floors" in violations
    assert "c and d.a are to be kept apart but share 3F" in violations


def test_scoring_never_changes_its_inputs_and_ignores_order() -> None:
    units = [{"id": f"u{i}", "headcount": 5 + i} for i in range(6)]
    relations = [[f"u{i}", f"u{j}", i + j + 1] for i in range(6) for j in range(i + 1, 6) if (i + j) % 2]
    layout = {f"u{i}": {f"{i + 1}F": 4 + i, f"{(i * 5) % 12 + 1}F": 3} for i in range(6)}
    data = {"name": "t", "building": guide(), "units": units, "relations": relations, "layouts": {"x": layout}}
    before = copy.deepcopy(data)
    sc = scenario_from_dict(data)
    first = score_layout(sc)
    again = score_layout(sc)
    assert data == before
    assert first.to_dict() == again.to_dict()

    rng = random.Random(7)
    shuffled = copy.deepcopy(data)
    rng.shuffle(shuffled["units"])
    rng.shuffle(shuffled["relations"])
    rng.shuffle(shuffled["building"]["floors"])
    shuffled["layouts"]["x"] = dict(reversed(list(layout.items())))
    other = score_layout(scenario_from_dict(shuffled))
    assert other.to_dict() == first.to_dict()
