"""solve_exact(): the optimum by enumeration under every kind of constraint, infeasibility, bounds and limits."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from layouts.optimize import AssignmentProblem, assignment_cost, violations
from layouts.optimize.exact import ExactResult, solve_exact
from tests.layouts.optimize.test_engine import brute_force, stacking, unconstrained_best


def changed(problem: AssignmentProblem, **changes: object) -> AssignmentProblem:
    return dataclasses.replace(problem, **changes)  # type: ignore[arg-type]


def check_exact(problem: AssignmentProblem) -> ExactResult:
    result = solve_exact(problem)
    optimum = brute_force(problem)
    assert result.optimal and not result.infeasible and result.proven, result.status
    assert result.status == "optimal"
    assert result.assignment is not None and violations(problem, result.assignment) == []
    assert result.cost == pytest.approx(assignment_cost(problem, result.assignment))
    assert result.cost == pytest.approx(optimum)
    assert result.bound <= optimum + 1e-9
    assert result.gap == pytest.approx(0.0, abs=1e-9)
    return result


def trio(**kwargs: object) -> dict[str, object]:
    groups = np.array([[True, True, True, False, False, False, False]])
    return {"groups": groups, **kwargs}


TIGHT = [7, 7, 6]  # seats per floor: stacking(1) has 18 seats in units of 1-4


@pytest.mark.parametrize(
    ("seed", "constraints"),
    [
        (0, {}),
        (1, {"capacities": TIGHT}),
        (2, {"allowed": "some"}),
        (3, trio(group_max_locations=[1], capacities=[20, 20, 20])),
        (4, trio(group_max_locations=[-1], group_adjacent=[True])),
        (5, trio(group_max_locations=[2], group_adjacent=[True], location_levels=[0, 1, 3])),
        (6, {"conflicts": [[0, 1], [1, 2], [0, 2], [3, 4]]}),
        (7, {"baseline": "elsewhere", "move_budget": 6}),
        (8, {"baseline": "elsewhere", "move_budget": 4, "move_sizes": [1, 2, 1, 1, 2, 1, 1]}),
    ],
)
def test_agrees_with_enumeration(seed: int, constraints: dict[str, object]) -> None:
    problem = stacking(seed)
    best = unconstrained_best(problem)
    if constraints.get("allowed") == "some":
        allowed = np.ones((7, 3), bool)
        allowed[[0, 1, 2], best[[0, 1, 2]]] = False
        allowed[3] = [False, False, True]
        constraints = {**constraints, "allowed": allowed}
    if constraints.get("baseline") == "elsewhere":
        constraints = {**constraints, "baseline": (best + 1) % 3}
    check_exact(changed(problem, **constraints))


def test_all_constraints_together() -> None:
    problem = stacking(seed=5)
    allowed = np.ones((7, 3), bool)
    allowed[6] = [True, False, False]
    check_exact(
        changed(
            problem,
            capacities=[10, 9, 8],
            allowed=allowed,
            groups=np.array([[True, True, True, False, False, False, False], [False] * 4 + [True] * 3]),
            group_max_locations=[2, -1],
            group_adjacent=[True, True],
            conflicts=[[3, 4], [5, 6]],
            baseline=[0, 0, 1, 1, 2, 2, 0],
            move_sizes=[2, 1, 1, 2, 1, 1, 2],
            move_budget=4,
        )
    )


def test_asymmetric_flows_and_distances() -> None:
    rng = np.random.default_rng(3)
    problem = AssignmentProblem(
        rng.integers(0, 9, (6, 6)),
        rng.integers(1, 30, (3, 3)),
        linear=rng.integers(0, 20, (6, 3)),
        sizes=rng.integers(1, 4, 6),
        capacities=[5, 5, 5],
    )
    check_exact(problem)


def test_a_quadratic_assignment_problem() -> None:
    rng = np.random.default_rng(4)
    problem = AssignmentProblem(rng.integers(0, 9, (6, 6)), rng.integers(1, 30, (6, 6)))
    result = solve_exact(problem)
    assert result.optimal and result.assignment is not None
    assert sorted(result.assignment.tolist()) == list(range(6))
    assert result.cost == pytest.approx(brute_force(problem, permutations=True))


def test_infeasible_problem_is_reported() -> None:
    """Three units of 60 seats, two floors of 100: no necessary check catches it, the solver proves it."""
    problem = AssignmentProblem(np.ones((3, 3)), np.ones((2, 2)), sizes=[60, 60, 60], capacities=[100, 100])
    result = solve_exact(problem)
    assert result.infeasible and result.proven and not result.optimal
    assert result.assignment is None and result.cost is None and result.gap is None
    assert result.status == "infeasible: no assignment meets the constraints"
    assert result.bound == math.inf


def test_the_bound_of_a_cut_short_search_is_below_the_optimum() -> None:
    problem = changed(stacking(9, n=8, m=4), capacities=[7, 6, 6, 6])
    optimum = brute_force(problem)
    for limit in (0.01, 0.05):
        result = solve_exact(problem, time_limit=limit)
        assert result.bound <= optimum + 1e-9
        if result.cost is not None:
            assert result.cost >= optimum - 1e-9
    assert solve_exact(problem).cost == pytest.approx(optimum)


def test_a_start_is_checked_and_used() -> None:
    problem = changed(stacking(1), capacities=TIGHT)
    with pytest.raises(ValueError, match=r"the starting assignment is not feasible: .* exceed the 7 seats"):
        solve_exact(problem, start=[0] * 7)
    best = solve_exact(problem)
    assert best.assignment is not None
    again = solve_exact(problem, start=best.assignment)
    assert again.optimal and again.cost == pytest.approx(best.cost)


def test_gap_of_a_heuristic_cost() -> None:
    result = ExactResult(np.zeros(2, np.int64), 110.0, 100.0, False, False, 1.0, "time limit reached")
    assert result.gap == pytest.approx(10 / 110)
    assert result.gap_of(125.0) == pytest.approx(25 / 125)
    assert result.gap_of(99.0) == 0.0
    assert not result.proven


@pytest.mark.parametrize(
    ("n", "m", "message"),
    [
        (41, 3, r"too large for the exact mode \(41 items on 3 locations; at most 40 items and 12 locations\)"),
        (5, 13, r"too large for the exact mode \(5 items on 13 locations"),
    ],
)
def test_too_large_problems_are_refused(n: int, m: int, message: str) -> None:
    problem = AssignmentProblem(np.ones((n, n)), np.ones((m, m)), capacities=[n] * m)
    with pytest.raises(ValueError, match=message + r".*use solve\(\)"):
        solve_exact(problem)


def test_too_many_columns_are_refused() -> None:
    problem = AssignmentProblem(np.ones((30, 30)), np.ones((12, 12)), capacities=[30] * 12)
    # 360 x columns and 435 related pairs of 144 z columns each.
    with pytest.raises(ValueError, match="its model would have 63000 columns, more than 50000; use solve"):
        solve_exact(problem, max_columns=50_000)


def test_bad_time_limit() -> None:
    with pytest.raises(ValueError, match="time_limit must be a positive number"):
        solve_exact(stacking(), time_limit=0)
