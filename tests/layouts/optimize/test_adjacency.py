"""Groups on adjacent levels and move sizes: the checks, the compiled feasibility, the greedy start and the search."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from layouts.errors import Infeasible
from layouts.optimize import (
    AssignmentProblem,
    blocking_reasons,
    greedy_start,
    people_moved,
    solve,
    violations,
)
from layouts.optimize import feasibility as fz
from layouts.optimize import kernels as k
from layouts.optimize.search_state import compile_problem, new_state, tally_of
from tests.layouts.optimize.test_engine import binding, brute_force, check_optimal, stacking, unconstrained_best


def changed(problem: AssignmentProblem, **changes: object) -> AssignmentProblem:
    """The problem with some arguments replaced (checked again on construction)."""
    return dataclasses.replace(problem, **changes)  # type: ignore[arg-type]


TRIO = np.array([[True, True, True, False, False, False]])


def floors(sizes: list[int], capacities: list[int], **kwargs: object) -> AssignmentProblem:
    """Units A, B, C... of the given seats on floors 5F, 6F, 7F... (levels 4, 5, 6...); flows 1 between all."""
    n, m = len(sizes), len(capacities)
    return AssignmentProblem(
        np.ones((n, n)),
        np.ones((m, m)) - np.eye(m),
        sizes=sizes,
        capacities=capacities,
        item_names=[chr(ord("A") + i) for i in range(n)],
        location_names=[f"{5 + loc}F" for loc in range(m)],
        location_levels=kwargs.pop("location_levels", [4 + loc for loc in range(m)]),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


# -- the problem ---------------------------------------------------------------------------------------------------


def test_defaults() -> None:
    problem = floors([3, 4], [10, 10], groups=[[True, True]], group_max_locations=[-1])
    assert problem.group_adjacent.tolist() == [False]
    assert problem.move_sizes.tolist() == [3, 4]
    assert AssignmentProblem(np.ones((2, 2)), np.ones((3, 3))).location_levels.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"location_levels": [1, 1]}, "location_levels must be distinct"),
        ({"location_levels": [1, 2, 3]}, r"location_levels must have one entry per location \(2\)"),
        ({"move_sizes": [1, -1]}, "move_sizes must not be negative"),
        ({"move_sizes": [1]}, r"move_sizes must have one entry per item \(2\)"),
        ({"groups": [[True, True]], "group_max_locations": [-1], "group_adjacent": [True, False]}, "group_adjacent"),
        ({"groups": [[True, True]], "group_max_locations": [-1], "group_adjacent": [1]}, "must be booleans"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AssignmentProblem(np.ones((2, 2)), np.ones((2, 2)), **kwargs)  # type: ignore[arg-type]


def office(**kwargs: object) -> AssignmentProblem:
    return floors(
        [10, 10, 10, 10],
        [40, 40, 40, 40],
        groups=[[True, True, True, False]],
        group_max_locations=[-1],
        group_adjacent=[True],
        group_names=["dept"],
        **kwargs,
    )


def test_violations_of_adjacency() -> None:
    problem = office()
    assert violations(problem, [0, 1, 2, 3]) == []
    assert violations(problem, [2, 1, 1, 0]) == []
    assert violations(problem, [0, 0, 2, 1]) == [
        "dept (A, B, C) must be on adjacent levels but is at 5F, 7F (6F between them holds none of it)"
    ]
    assert violations(problem, [0, 3, 3, 1]) == [
        "dept (A, B, C) must be on adjacent levels but is at 5F, 8F (6F, 7F between them hold none of it)"
    ]
    # 5F and 7F when there is no 6F: levels 4 and 6 are not adjacent.
    gap = office(location_levels=[4, 6, 7, 8])
    assert violations(gap, [0, 0, 1, 3]) == [
        "dept (A, B, C) must be on adjacent levels but is at 5F, 6F (level 5 between them is no location)"
    ]
    assert violations(gap, [1, 2, 1, 0]) == []


def test_adjacency_with_a_limit_reports_both() -> None:
    problem = changed(office(), group_max_locations=[2])
    assert violations(problem, [0, 1, 2, 3]) == ["dept (A, B, C) is at 3 locations (5F, 6F, 7F), more than 2"]
    assert violations(problem, [0, 2, 2, 3]) == [
        "dept (A, B, C) must be on adjacent levels but is at 5F, 7F (6F between them holds none of it)"
    ]
    assert violations(problem, [0, 2, 3, 3]) == [
        "dept (A, B, C) is at 3 locations (5F, 7F, 8F), more than 2",
        "dept (A, B, C) must be on adjacent levels but is at 5F, 7F, 8F (6F between them holds none of it)",
    ]


def test_move_sizes_count_people() -> None:
    problem = floors([20, 10], [30, 30], baseline=[0, 0], move_sizes=[15, 8], move_budget=10)
    assert people_moved(problem, [1, 0]) == 15
    assert people_moved(problem, [0, 1]) == 8
    assert violations(problem, [0, 1]) == []
    assert violations(problem, [1, 0]) == ["15 people move away from the baseline, more than the budget of 10"]


# -- the compiled feasibility against the plain checks -------------------------------------------------------------


def constrained(seed: int) -> AssignmentProblem:
    """Five items on four locations (levels 0, 1, 3, 4: the middle two are not adjacent) with every constraint."""
    rng = np.random.default_rng(seed)
    problem = AssignmentProblem(
        rng.integers(0, 5, (5, 5)),
        rng.integers(1, 9, (4, 4)),
        sizes=rng.integers(1, 4, 5),
        capacities=[6, 5, 6, 5],
        location_levels=[0, 1, 3, 4],
        groups=np.array([[True, True, True, False, False], [False, False, True, True, True]]),
        group_max_locations=[-1, 2],
        group_adjacent=[True, bool(seed % 2)],
        conflicts=[[0, 3]],
    )
    # Today: a random assignment that keeps everything but the budget (which it then binds).
    today = [p for p in itertools.product(range(4), repeat=5) if not violations(problem, p)]
    baseline = today[int(rng.integers(len(today)))]
    return changed(problem, baseline=baseline, move_sizes=rng.integers(0, 5, 5), move_budget=int(rng.integers(8, 14)))


@pytest.mark.parametrize("seed", range(6))
def test_compiled_checks_agree_with_violations(seed: int) -> None:
    problem = constrained(seed)
    feasible = [np.array(p) for p in itertools.product(range(4), repeat=5) if not violations(problem, p)]
    assert len(feasible) >= 5
    prob = compile_problem(problem)
    rng = np.random.default_rng(seed)
    for start in (feasible[int(i)] for i in rng.choice(len(feasible), min(8, len(feasible)), replace=False)):
        state = new_state(problem, prob, start)
        assert tally_of(state)["moved"] == people_moved(problem, start)
        for i, b in itertools.product(range(5), range(4)):
            if b != start[i]:
                after = start.copy()
                after[i] = b
                assert fz.move_is_feasible(prob, state, i, b) == (not violations(problem, after)), (start, i, b)
        for i, j in itertools.combinations(range(5), 2):
            if start[i] != start[j]:
                after = start.copy()
                after[[i, j]] = start[[j, i]]
                assert fz.swap_is_feasible(prob, state, i, j) == (not violations(problem, after)), (start, i, j)
        for g, a, b in itertools.product(range(2), range(4), range(4)):
            block = problem.groups[g] & (start == a)
            if a != b and block.any():
                after = np.where(block, b, start)
                seats = int(problem.sizes[block].sum())
                expected = not violations(problem, after)
                assert fz.block_is_feasible(prob, state, g, a, b, seats) == expected, (start, g, a, b)


def test_moved_bookkeeping_follows_the_moves() -> None:
    problem = constrained(0)
    problem = changed(
        problem, capacities=[20] * 4, groups=None, group_max_locations=None, group_adjacent=None, conflicts=None
    )
    prob = compile_problem(problem)
    state = new_state(problem, prob, np.zeros(5, np.int64))
    rng = np.random.default_rng(0)
    for _ in range(30):
        i, j = rng.choice(5, 2, replace=False)
        if rng.random() < 0.5:
            k.apply_move(prob, state, int(i), int((state.p[i] + 1) % 4))
        elif state.p[i] != state.p[j]:
            k.apply_swap(prob, state, int(i), int(j))
        assert tally_of(state)["moved"] == people_moved(problem, state.p)


# -- the search finds the optimum by enumeration -------------------------------------------------------------------


def test_adjacent_levels_change_the_answer() -> None:
    problem = stacking(6, n=6, m=4)
    adjacent = binding(problem, groups=TRIO, group_max_locations=[-1], group_adjacent=[True])
    assert brute_force(adjacent) > brute_force(problem)
    check_optimal(adjacent)


def test_adjacent_levels_with_a_limit() -> None:
    problem = stacking(6, n=6, m=4)
    limited = changed(problem, groups=TRIO, group_max_locations=[2])
    both = binding(limited, group_adjacent=[True])
    assert brute_force(both) > brute_force(limited)
    check_optimal(both)


def test_a_level_that_is_no_location_breaks_a_run() -> None:
    """Locations 1 and 2 are levels 1 and 3: on its own, the group would sit there."""
    problem = changed(stacking(11, n=6, m=4), location_levels=[0, 1, 3, 4])
    gap = binding(problem, groups=TRIO, group_max_locations=[-1], group_adjacent=[True])
    assert brute_force(gap) > brute_force(changed(gap, location_levels=[0, 1, 2, 3]))
    check_optimal(gap)


def test_adjacent_levels_on_full_floors() -> None:
    """Tight floors: most relocations are blocked, the group reaches its best run by swaps and block moves."""
    base = stacking(7, n=6, m=4)
    sizes = np.array([3, 2, 2, 3, 2, 2])
    problem = changed(base, sizes=sizes, capacities=[4, 4, 3, 4], move_sizes=sizes)
    check_optimal(binding(problem, groups=TRIO, group_max_locations=[-1], group_adjacent=[True]))


def test_move_sizes_change_the_answer() -> None:
    """Units of 1-4 seats and fewer people (the rest of the seats are for visitors): a budget of 8 people lets more
    units move than a budget of 8 seats, and still binds."""
    problem = stacking(6)
    baseline = (unconstrained_best(problem) + 1) % 3  # everyone is somewhere else today
    by_seats = changed(problem, baseline=baseline, move_budget=8)
    by_people = changed(by_seats, move_sizes=[1, 2, 1, 1, 2, 1, 1])
    unlimited = changed(by_seats, move_budget=-1)
    assert brute_force(by_seats) > brute_force(by_people) > brute_force(unlimited)
    check_optimal(by_people)
    check_optimal(by_seats)


# -- the greedy start and the reasons ------------------------------------------------------------------------------


def test_greedy_start_fills_the_level_between_fixed_members() -> None:
    allowed = np.ones((4, 4), bool)
    allowed[0] = [True, False, False, False]  # A fixed to 5F
    allowed[1] = [False, False, True, False]  # B fixed to 7F
    problem = office(allowed=allowed)
    for rng in [None, *(np.random.default_rng(s) for s in range(5))]:
        p = greedy_start(problem, rng)
        assert violations(problem, p) == []
        assert p[2] == 1  # C on 6F, between them


def test_greedy_start_keeps_groups_on_adjacent_levels() -> None:
    for seed in range(8):
        problem = constrained(seed)
        p = greedy_start(problem, np.random.default_rng(seed))
        assert violations(problem, p) == []


def test_fixed_members_with_no_level_between() -> None:
    allowed = np.ones((4, 4), bool)
    allowed[0] = [True, False, False, False]
    allowed[1] = [False, False, True, False]
    allowed[2] = [True, False, True, True]  # nobody of dept may use 6F
    problem = office(allowed=allowed)
    assert blocking_reasons(problem) == [
        "dept (A, B, C) must be on adjacent levels but no run of consecutive levels it may use holds 5F, 7F"
    ]
    with pytest.raises(Infeasible, match="dept"):
        solve(problem, max_iterations=10)


def test_no_run_of_levels_has_room() -> None:
    problem = floors(
        [60, 60, 60],
        [100, 50, 30, 100],
        groups=[[True, True, True]],
        group_max_locations=[2],
        group_adjacent=[True],
        group_names=["dept"],
    )
    assert blocking_reasons(problem) == [
        "dept (A, B, C, 180 seats) must be on adjacent levels but no run of at most 2 consecutive levels it may use "
        "has room for it: the largest holds 150 seats (5F-6F)"
    ]


def test_greedy_says_why_no_run_is_left() -> None:
    """X, fixed to 6F, leaves no two adjacent floors with room for A and B."""
    allowed = np.ones((3, 3), bool)
    allowed[2] = [False, True, False]
    problem = floors(
        [60, 60, 90],
        [100, 100, 100],
        allowed=allowed,
        groups=[[True, True, False]],
        group_max_locations=[2],
        group_adjacent=[True],
        group_names=["dept"],
    )
    assert blocking_reasons(problem) == []
    with pytest.raises(Infeasible) as caught:
        greedy_start(problem)
    assert str(caught.value) == (
        "no feasible assignment found: dept (A, B) must be on adjacent levels but no run of consecutive levels "
        "has room left for its 120 seats still to place"
    )
    unlimited = changed(problem, group_max_locations=[-1])
    with pytest.raises(Infeasible) as caught:
        greedy_start(unlimited)
    assert str(caught.value) == (
        "no feasible assignment found: B (60 seats) could not be placed (5F: 60 of 100 seats taken; "
        "6F: 90 of 100 seats taken; 7F: dept would leave a level out between its locations)"
    )


def test_budget_reasons_count_people() -> None:
    problem = floors(
        [40, 30, 10],
        [100, 100],
        allowed=[[False, True], [False, True], [True, True]],
        baseline=[0, 0, 0],
        move_sizes=[8, 6, 2],
        move_budget=10,
    )
    assert blocking_reasons(problem) == [
        "A, B (14 people) may not stay where they are, more than the budget of 10 people that may move"
    ]
    crowded = floors([40, 40, 40], [100, 100], baseline=[0, 0, 0], move_sizes=[10, 20, 20], move_budget=4)
    # 20 seats must leave 5F; the fewest people per seat there is 10 / 40.
    assert blocking_reasons(crowded) == ["at least 5 people must move (5F over capacity), more than the budget of 4"]
