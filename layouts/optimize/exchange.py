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

from typing import Any

import numpy as np

from layouts.optimize.feasibility import on_one_run
from layouts.optimize.kernels import (
    BUDGET,
    MOVED,
    P_ALLOWED,
    P_BASE,
    P_CAPS,
    P_FLAGS,
    P_FS,
    P_GADJ,
    P_MSIZES,
    S_G,
    S_GCOUNT,
    S_INT,
    S_LOAD,
    S_P,
    USE_BUDGET,
    USE_GROUPS,
    USE_MASK,
    apply_move,
    jit,
)


@jit
def exchange_tables(prob: Any, state: Any, S: Any, W: Any, X: Any, count: Any) -> None:
    """Fill S (m x m), W (m), X (m x m, symmetric) and count (the items at each location) for the assignment."""
    Fs = prob[P_FS]
    p, G = state[S_P], state[S_G]
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


@jit
def exchange_is_feasible(prob: Any, state: Any, a: int, b: int) -> bool:
    """Whether exchanging the items at a and at b keeps the allowed locations, the groups' runs of levels and the
    move budget (capacity is checked by the caller; conflicts and group limits cannot change)."""
    allowed, flags, gadj = prob[P_ALLOWED], prob[P_FLAGS], prob[P_GADJ]
    p, gcount = state[S_P], state[S_GCOUNT]
    n = p.shape[0]
    if flags[USE_MASK]:
        for i in range(n):
            if (p[i] == a and not allowed[i, b]) or (p[i] == b and not allowed[i, a]):
                return False
    if flags[USE_GROUPS]:
        for g in range(gcount.shape[0]):
            if gadj[g] and (gcount[g, a] > 0) != (gcount[g, b] > 0):
                # The group's locations change from one of a, b to the other: the run must still hold.
                leaving, arriving = (a, b) if gcount[g, a] > 0 else (b, a)
                if not on_one_run(prob, gcount[g], leaving, gcount[g, leaving], arriving):
                    return False
    if flags[USE_BUDGET]:
        base, msizes = prob[P_BASE], prob[P_MSIZES]
        change = 0
        for i in range(n):
            if base[i] < 0 or (p[i] != a and p[i] != b):
                continue
            to = b if p[i] == a else a
            change += msizes[i] * ((1 if to != base[i] else 0) - (1 if p[i] != base[i] else 0))
        if state[S_INT][MOVED] + change > flags[BUDGET]:
            return False
    return True


@jit
def has_any_exchange(prob: Any, state: Any, capacity: bool) -> bool:
    """Whether any feasible exchange of two locations exists, tabu or not (capacity checked when asked)."""
    caps = prob[P_CAPS]
    p, load = state[S_P], state[S_LOAD]
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


@jit
def exchange_is_tabu(p: Any, tabu: Any, a: int, b: int, it: int) -> bool:
    """Forbidden when every item would return to a location it is forbidden to return to."""
    for i in range(p.shape[0]):  # noqa: SIM110 (a loop that numba compiles, not a generator)
        if (p[i] == a and tabu[i, b] < it) or (p[i] == b and tabu[i, a] < it):
            return False
    return True


@jit
def apply_exchange(prob: Any, state: Any, tabu: Any, a: int, b: int, tenure: int) -> None:
    """Exchange the items at a and at b (one relocation each, O(n m)); each may not return before ``tenure``."""
    p = state[S_P]
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
