"""The problem: its checks on construction, the reference cost and the explanation of broken constraints."""

from __future__ import annotations

import numpy as np
import pytest

from layouts.optimize import AssignmentProblem, assignment_cost, people_moved, violations

# Two items, two locations; D asymmetric with walks inside a location on its diagonal.
F2 = [[1, 2], [2, 0]]
D2 = [[5, 1], [3, 7]]
L2 = [[0, 10], [1, 0]]


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        # F00*D00 + F01*D01 + F10*D10 + F11*D11 + L00 + L11 = 5 + 2 + 6 + 0 + 0 + 0
        ([0, 1], 13.0),
        # 1*D11 + 2*D10 + 2*D01 + 0 + L01 + L10 = 7 + 6 + 2 + 10 + 1
        ([1, 0], 26.0),
        # both at 0: 1*5 + 2*5 + 2*5 + L00 + L10 = 25 + 1
        ([0, 0], 26.0),
        # both at 1: 7 + 14 + 14 + L01 + L11 = 35 + 10
        ([1, 1], 45.0),
    ],
)
def test_cost_by_hand(p: list[int], expected: float) -> None:
    problem = AssignmentProblem(F2, D2, linear=L2, capacities=[2, 2])
    assert assignment_cost(problem, p) == expected


def test_defaults_make_a_qap() -> None:
    problem = AssignmentProblem(F2, D2)
    assert problem.is_permutation
    assert problem.sizes.tolist() == [1, 1] and problem.capacities.tolist() == [1, 1]
    assert problem.allowed.all() and problem.linear.sum() == 0
    assert problem.groups.shape == (0, 2) and problem.conflicts.shape == (0, 2)
    assert problem.baseline.tolist() == [-1, -1] and problem.move_budget == -1
    assert problem.item_name(1) == "item 1" and problem.location_name(0) == "location 0"


def test_problem_keeps_its_own_read_only_copies() -> None:
    flows = np.array(F2, dtype=float)
    problem = AssignmentProblem(flows, D2)
    flows[0, 1] = 99
    assert problem.flows[0, 1] == 2
    with pytest.raises(ValueError, match="read-only"):
        problem.flows[0, 0] = 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"flows": [[1, 2, 3], [4, 5, 6]]}, "flows must be a square matrix"),
        ({"flows": [1, 2]}, "flows must be a matrix"),
        ({"distances": [[1, np.nan], [1, 1]]}, "distances must hold finite numbers"),
        ({"flows": [["a", "b"], ["c", "d"]]}, "flows must be a matrix of numbers"),
        ({"linear": [[1, 2]]}, r"linear must have shape \(items, locations\) = \(2, 2\)"),
        ({"sizes": [1, -1]}, "sizes must not be negative"),
        ({"sizes": [1.5, 1]}, "sizes must be whole numbers"),
        ({"capacities": [1, 1, 1]}, r"capacities must have one entry per location \(2\)"),
        ({"allowed": [[1, 1], [1, 1]]}, "allowed must be a boolean mask"),
        ({"groups": [[True, True]]}, "groups given without group_max_locations"),
        ({"groups": [[True, True]], "group_max_locations": [0]}, "must be -1 .* or at least 1, group 0"),
        ({"groups": [[True, True, True]], "group_max_locations": [1]}, r"groups must have shape \(groups, items\)"),
        ({"group_max_locations": [1]}, "group_max_locations given without groups"),
        ({"conflicts": [[0, 0]]}, "conflict pair 0 must name two different items"),
        ({"conflicts": [[0, 5]]}, "conflict pair 0 must name two different items in 0..1"),
        ({"conflicts": [0, 1]}, r"conflicts must be pairs of items, shape \(c, 2\)"),
        ({"baseline": [0, 2]}, "baseline locations must be in 0..1 or -1, item 1"),
        ({"move_budget": -2}, "move_budget must be -1"),
        ({"item_names": ["a"]}, "item_names must name all 2 items"),
        ({"location_names": ["a", "b", "c"]}, "location_names must name all 2 locations"),
        ({"groups": [[True, False]], "group_max_locations": [1], "group_names": []}, None),
        ({"groups": [[True, False]], "group_max_locations": [1], "group_names": ["x", "y"]}, "group_names must name"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs: dict[str, object], message: str | None) -> None:
    args = {"flows": F2, "distances": D2, **kwargs}
    if message is None:
        AssignmentProblem(**args)  # type: ignore[arg-type]
        return
    with pytest.raises(ValueError, match=message):
        AssignmentProblem(**args)  # type: ignore[arg-type]


def office() -> AssignmentProblem:
    """Three units on 5F (120 seats) and 6F (100): A and B (60 seats each) of one department on one floor, C (30)
    only on 6F and apart from A; today A is on 5F, B and C on 6F, and at most 60 people may move."""
    return AssignmentProblem(
        np.ones((3, 3)),
        [[1, 10], [10, 1]],
        sizes=[60, 60, 30],
        capacities=[120, 100],
        allowed=[[True, True], [True, True], [False, True]],
        groups=[[True, True, False]],
        group_max_locations=[1],
        conflicts=[[0, 2]],
        baseline=[0, 1, 1],
        move_budget=60,
        item_names=["A", "B", "C"],
        location_names=["5F", "6F"],
        group_names=["dept"],
    )


def test_a_feasible_assignment_has_no_violations() -> None:
    assert violations(office(), [0, 0, 1]) == []
    assert violations(office(), np.array([0, 0, 1], dtype=np.int32)) == []


def test_violations_name_every_broken_constraint() -> None:
    problem = office()
    # All three on 5F: C may not be there, 150 seats > 120, A and C together; A stays, B and C move (90 seats).
    found = violations(problem, [0, 0, 0])
    assert found == [
        "C may not be at 5F",
        "A, B, C (150 seats) exceed the 120 seats of 5F",
        "A and C must be kept apart but are both at 5F",
        "90 seats move away from the baseline, more than the budget of 60",
    ]
    # A on 5F, B on 6F: the department is on two floors.
    assert violations(problem, [0, 1, 1]) == ["dept (A, B) is at 2 locations (5F, 6F), more than 1"]
    assert people_moved(problem, [0, 0, 1]) == 60


def test_violations_of_a_malformed_assignment() -> None:
    problem = office()
    assert violations(problem, [0, 1]) == ["the assignment must give a location to each of the 3 items, got shape (2,)"]
    assert violations(problem, [0.0, 1.0, 1.0]) == [
        "the assignment must hold location numbers (integers), got dtype float64"
    ]
    assert violations(problem, [0, 2, -1]) == [
        "B is at location 2, not one of 0..1",
        "C is at location -1, not one of 0..1",
    ]


def test_new_items_never_count_as_moved() -> None:
    problem = AssignmentProblem(np.zeros((2, 2)), np.zeros((2, 2)), baseline=[-1, 0], move_budget=0)
    assert people_moved(problem, [1, 0]) == 0
    assert people_moved(problem, [0, 1]) == 1
