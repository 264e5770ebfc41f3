"""The optimiser on small scenarios whose best layout is known by hand (floor guides: every walk 25 m; floors 4 m
apart; a lift and a stair serve every floor, so 1 floor apart costs 17.5 s vertical and 2 floors 35 s)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from layouts.compare import people_moved
from layouts.errors import Infeasible
from layouts.optimize import stacking as stacking_module
from layouts.optimize.stacking import optimize_scenario, stacking_problem
from layouts.optimize.verify import ResultMismatch
from layouts.scenario import read_scenario, scenario_from_dict
from layouts.scenario_file import write_scenario_with_layout

ITER = {"max_iterations": 3000, "seed": 1}


def building(seats: int | list[int], n: int = 3) -> dict[str, Any]:
    caps = seats if isinstance(seats, list) else [seats] * n
    levels = list(range(len(caps)))
    return {
        "floors": [{"name": f"{lv + 1}F", "level": lv, "seats": c} for lv, c in zip(levels, caps, strict=True)],
        "cores": [{"id": "L", "kind": "lift", "levels": levels}, {"id": "S", "kind": "stair", "levels": levels}],
    }


def scenario(**parts: Any) -> Any:
    data = {"name": "t", "internal_trips_per_person": 0, "building": building(20), **parts}
    return scenario_from_dict(data)


UNITS = [{"id": "a", "headcount": 10}, {"id": "b", "headcount": 10}, {"id": "c", "headcount": 10}]
APART_NOW = {"now": {"a": {"1F": 8}, "b": {"3F": 8}, "c": {"2F": 8}}}


def floors_of(result: Any) -> dict[str, tuple[str, ...]]:
    return {u: tuple(s) for u, s in result.layout.seats.items()}


def test_related_units_come_together() -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW)
    result = optimize_scenario(sc, **ITER)
    f = floors_of(result)
    assert f["a"] == f["b"] and len(f["a"]) == 1
    # Together, a trip is one walk on one floor: 50 trips x 25 m / 1.3 m/s.
    assert result.score.travel_hours_per_week == pytest.approx(50 * 25 / 1.3 / 3600)
    assert result.score.vertical_hours_per_week == 0
    assert result.start_score.layout == "now"
    assert "optimised" in result.scenario.layouts


def test_fixed_unit_pulls_its_partner() -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW, constraints={"fixed": {"a": ["1F"]}})
    assert floors_of(optimize_scenario(sc, **ITER))["b"] == ("1F",)


def test_closed_floor_is_left() -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW, constraints={"closed_floors": ["1F"]})
    f = floors_of(optimize_scenario(sc, **ITER))
    assert "1F" not in {floor for floors in f.values() for floor in floors}
    assert f["a"] == f["b"]


def test_full_floors_keep_partners_one_floor_apart() -> None:
    # 12 seats a floor: a and b (8 each) cannot share; the best is neighbouring floors, not two floors apart.
    sc = scenario(building=building(12), units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW)
    result = optimize_scenario(sc, **ITER)
    levels = sorted(int(next(iter(result.layout.seats[u]))[:-1]) for u in ("a", "b"))
    assert levels[1] - levels[0] == 1
    assert result.score.vertical_hours_per_week == pytest.approx(50 * 17.5 / 3600)


def test_units_kept_apart() -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW, constraints={"apart": [["a", "b"]]})
    f = floors_of(optimize_scenario(sc, **ITER))
    levels = sorted(int(f[u][0][:-1]) for u in ("a", "b"))
    assert levels[1] - levels[0] == 1


def test_move_budget_is_kept() -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW)
    stay = optimize_scenario(sc, max_moves=0, **ITER)
    assert stay.people_moved == 0
    # With no one allowed to move, the best is the starting layout (a and b already two floors apart).
    assert floors_of(stay) == {"a": ("1F",), "b": ("3F",), "c": ("2F",)}
    # Ten may move: b (10 people) joins a on 1F, or a joins b: 10 people, no more.
    one = optimize_scenario(sc, max_moves=10, **ITER)
    assert one.people_moved == 10
    assert floors_of(one)["a"] == floors_of(one)["b"]


def test_department_on_at_most_k_floors_and_adjacent() -> None:
    units = [{"id": "d"}] + [{"id": f"d.{k}", "parent": "d", "headcount": 10} for k in range(3)]
    now = {"now": {"d.0": {"1F": 8}, "d.1": {"3F": 8}, "d.2": {"5F": 8}}}
    # Four 20-seat floors and a fifth: 24 seats cannot fit on one floor.
    with pytest.raises(Infeasible, match="d"):
        optimize_scenario(
            scenario(building=building(20, 5), units=units, layouts=now, constraints={"max_floors": {"d": 1}}), **ITER
        )
    sc = scenario(
        building=building(20, 5), units=units, layouts=now, constraints={"max_floors": {"d": 2}, "adjacent": ["d"]}
    )
    result = optimize_scenario(sc, **ITER)
    levels = sorted({int(floor[:-1]) for s in result.layout.seats.values() for floor in s})
    assert len(levels) == 2 and levels[1] - levels[0] == 1
    assert result.score.violations == ()


def test_a_unit_larger_than_a_floor_splits_over_as_few_floors_as_it_must() -> None:
    sc = scenario(
        units=[{"id": "big", "headcount": 40, "fixed_share": 1.0}, {"id": "c", "headcount": 5}],
        internal_trips_per_person=5,
        layouts={"now": {"big": {"1F": 20, "2F": 20}, "c": {"3F": 4}}},
        building=building(25, 3),
    )
    st = stacking_problem(sc)
    assert [it.seats for it in st.items if it.unit == "big"] == [10, 10, 10, 10]
    result = optimize_scenario(sc, **ITER)
    big = result.layout.seats["big"]
    assert sum(big.values()) == 40 and len(big) == 2
    # Two neighbouring floors: a floor apart costs less than two.
    assert abs(int(min(big)[:-1]) - int(max(big)[:-1])) == 1


def test_infeasible_scenario_is_explained() -> None:
    sc = scenario(
        units=[{"id": "a", "headcount": 30}, {"id": "b", "headcount": 10}],
        layouts={"now": {"a": {"1F": 12, "2F": 12}, "b": {"3F": 8}}},
        constraints={"fixed": {"a": ["1F"]}},
    )
    with pytest.raises(Infeasible) as info:
        optimize_scenario(sc, **ITER)
    assert "a" in str(info.value) and "1F" in str(info.value)


def test_same_seed_same_layout() -> None:
    units = [{"id": f"u{k}", "headcount": 6 + k} for k in range(8)]
    rels = [[f"u{i}", f"u{j}", (i * 7 + j * 3) % 11 + 1] for i in range(8) for j in range(i + 1, 8)]
    now = {"now": {f"u{k}": {f"{k % 4 + 1}F": 5 + k} for k in range(8)}}
    sc = scenario(building=building(30, 4), units=units, relations=rels, layouts=now)
    one = optimize_scenario(sc, max_iterations=2000, seed=7)
    two = optimize_scenario(sc, max_iterations=2000, seed=7)
    assert one.layout == two.layout
    assert one.score.to_dict() == two.score.to_dict()


def test_scores_are_the_scorers(tmp_path: Path) -> None:
    sc = scenario(units=UNITS, relations=[["a", "b", 50], ["b", "c", 5]], layouts=APART_NOW)
    result = optimize_scenario(sc, **ITER)
    moved = sum(people_moved(result.scenario, result.layout, sc.layout("now")).values())
    assert result.people_moved == pytest.approx(moved)


def test_the_scenario_file_keeps_its_comments_and_gains_the_layout(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(building(20)))
    src = tmp_path / "s.yaml"
    src.write_text(
        "# our floors, FY2026\nname: t\nbuilding: b.yaml  # the floor guide\ninternal_trips_per_person: 0\n"
        "units: [{id: a, headcount: 10}, {id: b, headcount: 10}, {id: c, headcount: 10}]\n"
        "relations: [[a, b, 50]]\nlayouts:\n  now: {a: {1F: 8}, b: {3F: 8}, c: {2F: 8}}\n"
    )
    sc = read_scenario(src)
    result = optimize_scenario(sc, **ITER)
    out = tmp_path / "out" / "s2.yaml"
    out.parent.mkdir()
    write_scenario_with_layout(src, result.layout, out, comment="seed 1")
    text = out.read_text()
    assert text.startswith("# our floors, FY2026\n") and "# the floor guide" in text and "# seed 1" in text
    assert "building: ../b.yaml" in text
    again = read_scenario(out)
    assert again.layout("optimised").seats == result.layout.seats


def test_a_unit_split_today_counts_exactly_the_people_who_move_to_bring_it_together() -> None:
    # a (55 people, 44 seats) sits 24 on 1F and 20 on 2F today, and may not stay split; 1F has room for only 32.
    # Bringing it together on 2F moves the 24 seats' share of its people: 55 * 24/44 = 30.
    sc = scenario(
        building=building([32, 60], 2),
        units=[{"id": "a", "headcount": 55}, {"id": "b", "headcount": 10}],
        layouts={"now": {"a": {"1F": 24, "2F": 20}, "b": {"1F": 8}}},
    )
    result = optimize_scenario(sc, max_moves=30, **ITER)
    assert dict(result.layout.seats["a"]) == {"2F": 44}
    assert result.people_moved == pytest.approx(30)
    with pytest.raises(Infeasible, match=r"at most 29 people may move .* moves at least 30"):
        optimize_scenario(sc, max_moves=29, **ITER)


def test_a_search_whose_cost_disagrees_with_the_scorer_is_an_error_not_a_result(monkeypatch: Any) -> None:
    """The final check recomputes the layout's travel with the scorer; a search total off by one trip-second is
    refused with ResultMismatch (a raised error, so it holds under python -O as well)."""
    sc = scenario(units=UNITS, relations=[["a", "b", 50]], layouts=APART_NOW)
    real_solve = stacking_module.solve

    def off_by_one(*args: Any, **kwargs: Any) -> Any:
        found = real_solve(*args, **kwargs)
        return dataclasses.replace(found, cost=found.cost + 1.0)

    monkeypatch.setattr(stacking_module, "solve", off_by_one)
    with pytest.raises(ResultMismatch, match=r"travel in trip-seconds a week: the search says [\d.]+, recomputing"):
        optimize_scenario(sc, **ITER)
