"""The starting assignment: infeasible problems say which constraint blocks them; feasible ones get a start."""

from __future__ import annotations

import numpy as np
import pytest

from layouts.errors import Infeasible
from layouts.optimize import AssignmentProblem, blocking_reasons, greedy_start, solve, violations


def floors(sizes: list[int], capacities: list[int], **kwargs: object) -> AssignmentProblem:
    """Units A, B, C... of the given seats on floors 5F, 6F, 7F... of the given seats; flows 1 between all."""
    n, m = len(sizes), len(capacities)
    return AssignmentProblem(
        np.ones((n, n)),
        np.ones((m, m)) - np.eye(m),
        sizes=sizes,
        capacities=capacities,
        item_names=[chr(ord("A") + i) for i in range(n)],
        location_names=[f"{5 + loc}F" for loc in range(m)],
        **kwargs,  # type: ignore[arg-type]
    )


def test_units_fixed_to_a_floor_too_small() -> None:
    problem = floors([60, 60, 10], [200, 100], allowed=[[False, True], [False, True], [True, True]])
    assert blocking_reasons(problem) == ["A, B (120 seats) fixed to 6F exceed its 100 seats"]
    with pytest.raises(Infeasible, match=r"A, B \(120 seats\) fixed to 6F exceed its 100 seats"):
        solve(problem, max_iterations=10)


def test_units_limited_to_floors_too_small() -> None:
    problem = floors([40, 40, 10], [45, 30, 200], allowed=[[True, True, False], [True, True, False], [True] * 3])
    assert blocking_reasons(problem) == ["A, B (80 seats) limited to 5F, 6F exceed their 75 seats"]


def test_more_seats_than_the_building_has() -> None:
    problem = floors([60, 60], [50, 50])
    assert blocking_reasons(problem) == [
        "A (60 seats) fits none of its allowed locations: 5F (50 seats), 6F (50 seats)",
        "B (60 seats) fits none of its allowed locations: 5F (50 seats), 6F (50 seats)",
    ]


def test_unit_allowed_nowhere() -> None:
    problem = floors([1, 1], [5, 5], allowed=[[False, False], [True, True]])
    assert blocking_reasons(problem) == ["A is allowed at no location"]


def test_department_that_cannot_fit_in_its_floors() -> None:
    problem = floors([60, 60, 60], [100, 100, 100], groups=[[True, True, True]], group_max_locations=[1])
    assert blocking_reasons(problem) == [
        "group 0 (A, B, C, 180 seats) does not fit in 1 location: the largest it may use hold 100 seats"
    ]


def test_department_fixed_to_more_floors_than_allowed() -> None:
    problem = floors(
        [10, 10],
        [100, 100],
        allowed=[[True, False], [False, True]],
        groups=[[True, True]],
        group_max_locations=[1],
        group_names=["kumin"],
    )
    assert blocking_reasons(problem) == ["kumin (A, B) is fixed to 2 locations (5F, 6F), more than its limit of 1"]


def test_units_kept_apart_but_fixed_together() -> None:
    problem = floors([10, 10], [100, 100], allowed=[[False, True], [False, True]], conflicts=[[0, 1]])
    assert blocking_reasons(problem) == ["A and B must be kept apart but are both fixed to 6F"]


def test_move_budget_too_small_to_leave_a_closed_floor() -> None:
    problem = floors(
        [40, 30, 10],
        [100, 100],
        allowed=[[False, True], [False, True], [True, True]],
        baseline=[0, 0, 0],
        move_budget=50,
    )
    assert blocking_reasons(problem) == [
        "A, B (70 seats) may not stay where they are, more than the budget of 50 seats that may move"
    ]


def test_move_budget_too_small_to_relieve_a_crowded_floor() -> None:
    problem = floors([40, 40, 40], [100, 100], baseline=[0, 0, 0], move_budget=10)
    assert blocking_reasons(problem) == ["at least 20 seats must move (5F over capacity), more than the budget of 10"]


def test_greedy_failure_names_the_unit_and_why_each_floor_refused() -> None:
    # 180 seats fit in 200 in total, but no floor takes two units of 60 and 60 + 60 > 100.
    problem = floors([60, 60, 60], [100, 100])
    assert blocking_reasons(problem) == []
    with pytest.raises(Infeasible) as caught:
        greedy_start(problem)
    assert str(caught.value) == (
        "no feasible assignment found: C (60 seats) could not be placed "
        "(5F: 60 of 100 seats taken; 6F: 60 of 100 seats taken)"
    )


def test_greedy_start_keeps_every_constraint() -> None:
    problem = floors(
        [30, 30, 20, 20, 50],
        [60, 60, 80],
        allowed=[[True] * 3, [True] * 3, [True] * 3, [True] * 3, [False, False, True]],
        groups=[[True, True, False, False, False]],
        group_max_locations=[1],
        conflicts=[[2, 3]],
        baseline=[1, 1, 0, 0, 2],
        move_budget=20,
    )
    p = greedy_start(problem)
    assert violations(problem, p) == []
    for seed in range(5):
        assert violations(problem, greedy_start(problem, np.random.default_rng(seed))) == []


def test_floors_filled_to_the_last_seat_are_repaired_into_a_start() -> None:
    """Units of 6, 4, 9, 6 and 9 seats fill floors of 6, 10 and 18 only as 6 | 6 + 4 | 9 + 9: every greedy order,
    by cost or packing, strands a unit; the search over capacity at a penalty repairs the start."""
    from layouts.optimize import construction

    problem = floors([6, 4, 9, 6, 9], [6, 10, 18])
    for attempt in range(2 * construction.GREEDY_TRIES):
        shuffle = None if attempt % construction.GREEDY_TRIES == 0 else np.random.default_rng(attempt)
        greedy = construction._Greedy(problem, shuffle, packing=attempt >= construction.GREEDY_TRIES)
        assert greedy.run(construction._placing_order(problem, shuffle))[0] is None
    p = greedy_start(problem)
    assert violations(problem, p) == []
    assert sorted(problem.sizes[p == 0].tolist()) == [6] and sorted(problem.sizes[p == 2].tolist()) == [9, 9]
