"""People moved: one rule (share_moved) for the report's figure and the optimiser's move budget."""

from __future__ import annotations

import numpy as np
import pytest

from layouts.compare import share_moved
from layouts.optimize import AssignmentProblem, people_moved


@pytest.mark.parametrize(
    ("before", "after", "share"),
    [
        ({"2F": 10}, {"2F": 10}, 0.0),  # stays
        ({"2F": 10}, {"3F": 8}, 1.0),  # leaves its floor whole
        ({"2F": 6, "3F": 4}, {"3F": 10}, 0.6),  # brought together on 3F: the 2F share moves
        ({"2F": 6, "3F": 4}, {"2F": 5, "3F": 5}, 0.1),  # 0.6 -> 0.5 on 2F: a tenth changes floor
        ({}, {"2F": 4}, 1.0),  # new: moves whole
        ({"2F": 4}, {}, 0.0),  # gone: nobody changes floor
    ],
)
def test_share_moved_by_hand(before: dict[str, float], after: dict[str, float], share: float) -> None:
    assert share_moved(before, after) == pytest.approx(share)


def test_the_budget_counts_the_same_rule_for_whole_items() -> None:
    """Items of 3, 5 and 7 people at locations 0, 1, 1 (the third is new); moving the first and the third."""
    problem = AssignmentProblem(
        np.zeros((3, 3)), np.zeros((2, 2)), capacities=[3, 3], baseline=[0, 1, -1], move_sizes=[3, 5, 7]
    )
    assert people_moved(problem, [0, 1, 0]) == 0
    assert people_moved(problem, [1, 1, 0]) == 3
    assert people_moved(problem, [1, 0, 1]) == 3 + 5
    for p in ([0, 1, 0], [1, 1, 0], [1, 0, 1]):
        by_rule = sum(
            size * share_moved({str(base): 1.0}, {str(at): 1.0})
            for size, base, at in zip([3, 5, 7], [0, 1, -1], p, strict=True)
            if base >= 0
        )
        assert people_moved(problem, p) == by_rule
