"""The delta formulas of the search in plain Python: the reference the compiled kernels are tested against.

For an assignment p, the contribution of item i at location l (the others staying where they are) is

    G[i, l] = L[i, l] + F[i, i] * D[l, l] + sum over j != i of (F[i, j] * D[l, p[j]] + F[j, i] * D[p[j], l])

and, with a = p[i] and b = p[j] (a != b),

    move_delta(p, i, b) = G[i, b] - G[i, a]
    swap_delta(p, i, j) = G[i, b] - G[i, a] + G[j, a] - G[j, b]
                          + (F[i, j] + F[j, i]) * (D[a, b] + D[b, a] - D[a, a] - D[b, b])

The last term corrects for G[i, b] and G[j, a] each pricing the pair (i, j) as if the other item had stayed put.
Moving a block S of items, all at a, to b:

    block_delta(p, S, b) = sum over i in S of move_delta(p, i, b)
                           + W(S) * (D[a, a] + D[b, b] - D[a, b] - D[b, a]),   W(S) = sum over i != j in S of F[i, j]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from layouts.optimize.problem import AssignmentProblem, FloatArray


def contribution(problem: AssignmentProblem, p: Sequence[int], i: int, location: int) -> float:
    """G[i, location]: the cost terms that involve item i, were it at ``location``."""
    F, D = problem.flows, problem.distances
    total = float(problem.linear[i, location] + F[i, i] * D[location, location])
    for j, pj in enumerate(p):
        if j != i:
            total += float(F[i, j] * D[location, pj] + F[j, i] * D[pj, location])
    return total


def contribution_table(problem: AssignmentProblem, p: Sequence[int]) -> FloatArray:
    """The whole table G, n x m, entry by entry."""
    table = np.zeros((problem.n_items, problem.n_locations))
    for i in range(problem.n_items):
        for location in range(problem.n_locations):
            table[i, location] = contribution(problem, p, i, location)
    return table


def move_delta(problem: AssignmentProblem, p: Sequence[int], i: int, b: int) -> float:
    """The change of cost when item i moves from p[i] to location b."""
    return contribution(problem, p, i, b) - contribution(problem, p, i, p[i])


def swap_delta(problem: AssignmentProblem, p: Sequence[int], i: int, j: int) -> float:
    """The change of cost when items i and j exchange their locations."""
    F, D = problem.flows, problem.distances
    a, b = p[i], p[j]
    if a == b:
        return 0.0
    moves = move_delta(problem, p, i, b) + contribution(problem, p, j, a) - contribution(problem, p, j, b)
    return moves + float((F[i, j] + F[j, i]) * (D[a, b] + D[b, a] - D[a, a] - D[b, b]))


def block_delta(problem: AssignmentProblem, p: Sequence[int], block: Sequence[int], b: int) -> float:
    """The change of cost when the items of ``block``, all at one location a, move together to location b:
    the sum of their move deltas plus W * (D[a, a] + D[b, b] - D[a, b] - D[b, a]), W the flows among them."""
    F, D = problem.flows, problem.distances
    a = p[block[0]]
    moves = sum(move_delta(problem, p, i, b) for i in block)
    weight = sum(float(F[i, j]) for i in block for j in block if i != j)
    return moves + weight * float(D[a, a] + D[b, b] - D[a, b] - D[b, a])
