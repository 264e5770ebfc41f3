"""Compiled exchanges of whole locations: every item at a goes to b and every item at b to a (a floor's units trade
places with another floor's, or move to an empty one), the move that reorders floors when they are nearly full.

With A the items at a and B those at b, in the terms of kernels.py,

    delta = S[a, b] - S[a, a] + S[b, a] - S[b, b] + (W[a] + W[b] - X[a, b]) * (D[a, a] + D[b, b] - D[a, b] - D[b, a])

where S[c, l] = sum over the items i at c of G[i, l], W[c] = the flows among the items at c (both directions, i != j)
and X[a, b] = the flows between the items at a and those at b (both directions): the sums of moves price the pairs
inside A, inside B and across as if the other side had stayed put, and the last term corrects that, as for a block
move and a swap. The tables take O(n m + n^2) per iteration; each exchange is O(1) to price.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from layouts.optimize.feasibility import budget_left, on_one_run
from layouts.optimize.kernels import apply_move, inline, jit, moved_change
from layouts.optimize.problem import FloatArray, IntArray
from layouts.optimize.search_state import CompiledProblem, SearchState


class ExchangeTables(NamedTuple):
    """The sums an exchange is priced from, for the current assignment (exchange_tables fills them)."""

    S: FloatArray  # m x m: S[c, l], the contributions at l of the items at c
    W: FloatArray  # m: the flows among the items at each location
    X: FloatArray  # m x m, symmetric: the flows between the items at two locations
    items_at: IntArray  # m: the number of items at each location


def new_exchange_tables(m: int) -> ExchangeTables:
    return ExchangeTables(np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.zeros(m, np.int64))


@jit
def exchange_tables(prob: CompiledProblem, state: SearchState, tables: ExchangeTables) -> None:
    """Fill the tables for the state's assignment."""
    Fs, p, G = prob.flows_both, state.p, state.G
    S, W, X, count = tables.S, tables.W, tables.X, tables.items_at
    n, m = G.shape
    S[:, :] = 0.0
    W[:] = 0.0
    X[:, :] = 0.0
    count[:] = 0
    for i in range(n):
        a = p[i]
        count[a] += 1
        for loc in range(m):
            S[a, loc] += G[i, loc]
        for j in range(i + 1, n):
            b = p[j]
            if a == b:
                W[a] += Fs[i, j]
            else:
                X[a, b] += Fs[i, j]
                X[b, a] += Fs[i, j]


@inline
def exchange_delta(
    S: FloatArray, W: FloatArray, X: FloatArray, distances_both: FloatArray, diag: FloatArray, a: int, b: int
) -> float:
    """The change of cost when the items at a and those at b trade locations (see the module's text), from the
    tables of ExchangeTables."""
    return float(
        S[a, b] - S[a, a] + S[b, a] - S[b, b] + (W[a] + W[b] - X[a, b]) * (diag[a] + diag[b] - distances_both[a, b])
    )


@jit
def exchange_is_feasible(prob: CompiledProblem, state: SearchState, a: int, b: int) -> bool:
    """Whether exchanging the items at a and at b keeps the allowed locations, the groups' runs of levels and the
    move budget (capacity is checked by the caller; conflicts and group limits cannot change)."""
    p, gcount = state.p, state.group_count
    n = p.shape[0]
    if prob.use_mask:
        for i in range(n):
            if (p[i] == a and not prob.allowed[i, b]) or (p[i] == b and not prob.allowed[i, a]):
                return False
    if prob.use_groups:
        for g in range(gcount.shape[0]):
            if prob.group_adjacent[g] and (gcount[g, a] > 0) != (gcount[g, b] > 0):
                # The group's locations change from one of a, b to the other: the run must still hold.
                leaving, arriving = (a, b) if gcount[g, a] > 0 else (b, a)
                if not on_one_run(prob.levels, gcount[g], leaving, gcount[g, leaving], arriving):
                    return False
    change = 0
    if prob.use_budget:
        for i in range(n):
            if p[i] == a or p[i] == b:
                change += moved_change(prob.baseline, prob.move_sizes, i, p[i], b if p[i] == a else a)
    return change <= budget_left(prob, state)


@jit
def has_any_exchange(prob: CompiledProblem, state: SearchState, capacity: bool) -> bool:
    """Whether any feasible exchange of two locations exists, tabu or not (capacity checked when asked)."""
    caps, p, load = prob.capacities, state.p, state.load
    m = load.shape[0]
    used = np.zeros(m, np.bool_)
    for i in range(p.shape[0]):
        used[p[i]] = True
    for a in range(m):
        for b in range(a + 1, m):
            if not (used[a] or used[b]):
                continue
            if capacity and (load[b] > caps[a] or load[a] > caps[b]):
                continue
            if exchange_is_feasible(prob, state, a, b):
                return True
    return False


@inline
def exchange_is_tabu(p: IntArray, tabu: IntArray, a: int, b: int, it: int) -> bool:
    """Forbidden when every item would return to a location it is forbidden to return to."""
    for i in range(p.shape[0]):  # noqa: SIM110 (a loop that numba compiles, not a generator)
        if (p[i] == a and tabu[i, b] < it) or (p[i] == b and tabu[i, a] < it):
            return False
    return True


@jit
def apply_exchange(prob: CompiledProblem, state: SearchState, a: int, b: int, tenure: int) -> None:
    """Exchange the items at a and at b (one relocation each, O(n m)); each may not return before ``tenure``."""
    p, tabu = state.p, state.tabu
    n = p.shape[0]
    at_a = p == a
    at_b = p == b
    for i in range(n):
        if at_a[i]:
            tabu[i, a] = tenure
            apply_move(prob, state, i, b)
    for i in range(n):
        if at_b[i]:
            tabu[i, b] = tenure
            apply_move(prob, state, i, a)
