"""Compiled building blocks of the search: the contribution table, the move, swap and block deltas, and updates.

The search keeps, for the current assignment p, the contribution table

    G[i, l] = L[i, l] + F[i, i] * D[l, l] + sum over j != i of (F[i, j] * D[l, p[j]] + F[j, i] * D[p[j], l])

(the cost that involves item i if it were at location l, the others staying where they are). With a = p[i],
b = p[j]:

- relocating item i to location b changes the cost by   G[i, b] - G[i, a];
- swapping items i and j changes it by
      G[i, b] - G[i, a] + G[j, a] - G[j, b] + (F[i, j] + F[j, i]) * (D[a, b] + D[b, a] - D[a, a] - D[b, b]);
  the last term corrects for G[i, b] and G[j, a] each pricing the pair (i, j) as if the other item had stayed put;
- relocating a block S of items, all at a, to b changes it by
      sum over i in S of (G[i, b] - G[i, a])  +  W(S) * (D[a, a] + D[b, b] - D[a, b] - D[b, a]),
  W(S) = sum over i != j in S of F[i, j] (a block is the part of a group at one location: it lets a department
  limited to k locations move as a whole);

each in O(1) (O(|S|) for a block); exchanges of whole locations are priced in exchange.py. These are the only
delta formulas of the package: the search (tabu.py) calls them, and tests/layouts/optimize/test_deltas.py checks
them against rescoring the whole assignment. After item k moves from a to b the table changes, for every item
q != k and location l, by
      F[q, k] * (D[l, b] - D[l, a]) + F[k, q] * (D[b, l] - D[a, l]),
an O(n * m) update (a swap is two such moves, fused into one pass; a block, one move per item).

The functions take the problem and the state as the named tuples of search_state.py, so that a chunk of
iterations can resume exactly where the previous one ended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from layouts.optimize.numba_cache import use_cache_folder

use_cache_folder()  # before numba is imported and the kernels below are defined: both read where the cache is

import numba  # noqa: E402

from layouts.optimize.problem import FloatArray, IntArray  # noqa: E402
from layouts.optimize.search_state import CompiledProblem, SearchState  # noqa: E402

Fn = TypeVar("Fn", bound=Callable[..., Any])


def jit(function: Fn) -> Fn:
    """numba's njit with an on-disk cache, typed for mypy: for the functions called from Python."""
    return cast(Fn, numba.njit(cache=True)(function))


def inline(function: Fn) -> Fn:
    """numba's njit, inlined into its callers when they are compiled (numba's IR inlining): for the small
    functions of the search's inner loops, which then cost no call.

    They take arrays and numbers, not the problem or the state: binding a named tuple of arrays to an argument
    counts a reference to each of its arrays (measured: the search ran three times slower that way), so the loops
    bind the arrays they need once, outside."""
    return cast(Fn, numba.njit(cache=True, inline="always")(function))


@jit
def contributions(F: FloatArray, D: FloatArray, L: FloatArray, p: IntArray) -> FloatArray:
    """The contribution table G (n x m) of assignment p, from scratch in O(n^2 m)."""
    n, m = L.shape
    G = L.copy()
    for i in range(n):
        fii = F[i, i]
        for loc in range(m):
            G[i, loc] += fii * D[loc, loc]
        for j in range(n):
            if j == i:
                continue
            fij, fji = F[i, j], F[j, i]
            if fij == 0.0 and fji == 0.0:
                continue
            pj = p[j]
            for loc in range(m):
                G[i, loc] += fij * D[loc, pj] + fji * D[pj, loc]
    return G


@jit
def cost_of(F: FloatArray, D: FloatArray, L: FloatArray, p: IntArray) -> float:
    """sum over i, j of F[i, j] * D[p[i], p[j]] + sum over i of L[i, p[i]]."""
    n = F.shape[0]
    total = 0.0
    for i in range(n):
        total += L[i, p[i]]
        for j in range(n):
            total += F[i, j] * D[p[i], p[j]]
    return total


@inline
def move_delta(G: FloatArray, p: IntArray, i: int, b: int) -> float:
    """The change of cost when item i moves to location b: G[i, b] - G[i, p[i]]."""
    return float(G[i, b] - G[i, p[i]])


@inline
def swap_delta(
    g_ib: float, g_ia: float, g_ja: float, g_jb: float, fs_ij: float, ds_ab: float, d_aa: float, d_bb: float
) -> float:
    """The change of cost when item i (at a) and item j (at b) exchange locations (see the module's text), from
    g_ib = G[i, b], g_ia = G[i, a], g_ja = G[j, a], g_jb = G[j, b], fs_ij = F[i, j] + F[j, i],
    ds_ab = D[a, b] + D[b, a], d_aa = D[a, a] and d_bb = D[b, b]: numbers, so that the search's loop reads what
    depends on i alone once per i."""
    return g_ib - g_ia + g_ja - g_jb + fs_ij * (ds_ab - d_aa - d_bb)


@inline
def block_weight(F: FloatArray, members: IntArray, p: IntArray, a: int) -> float:
    """W(S) for the block S of the ``members`` (of a group) at location a: the flows among them, both directions."""
    w = 0.0
    for i in members:
        if p[i] != a:
            continue
        for j in members:
            if j != i and p[j] == a:
                w += F[i, j]
    return w


@inline
def block_delta(
    G: FloatArray,
    distances_both: FloatArray,
    diag: FloatArray,
    members: IntArray,
    p: IntArray,
    a: int,
    b: int,
    w: float,
) -> float:
    """The change of cost when the ``members`` (of a group) at a move together to b; ``w`` is their block_weight."""
    d = 0.0
    for i in members:
        if p[i] == a:
            d += G[i, b] - G[i, a]
    return float(d + w * (diag[a] + diag[b] - distances_both[a, b]))


@inline
def overflow_change(load: IntArray, caps: IntArray, a: int, b: int, seats: int) -> int:
    """How the seats over capacity change when ``seats`` seats go from location a to b (negative seats: b to a)."""
    before = max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0)
    return int(max(load[a] - seats - caps[a], 0) + max(load[b] + seats - caps[b], 0) - before)


@inline
def moved_change(baseline: IntArray, move_sizes: IntArray, i: int, a: int, b: int) -> int:
    """How the move sizes away from the baseline change when item i goes from location a to b."""
    base = baseline[i]
    if base < 0:
        return 0
    return int(move_sizes[i] * ((1 if b != base else 0) - (1 if a != base else 0)))


@jit
def place(prob: CompiledProblem, state: SearchState, k: int, b: int) -> None:
    """Move item k to location b and bring the bookkeeping (not G) up to date, the seats over capacity too."""
    sizes, caps = prob.sizes, prob.capacities
    p, load, cc, gcount, gdistinct = state.p, state.load, state.conflict_count, state.group_count, state.group_distinct
    tally = state.tally[0]
    a = p[k]
    p[k] = b
    before = max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0)
    load[a] -= sizes[k]
    load[b] += sizes[k]
    tally.overflow += max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0) - before
    for t in range(prob.conflict_ptr[k], prob.conflict_ptr[k + 1]):
        q = prob.conflict_idx[t]
        cc[q, a] -= 1
        cc[q, b] += 1
    for t in range(prob.item_groups_ptr[k], prob.item_groups_ptr[k + 1]):
        g = prob.item_groups_idx[t]
        gcount[g, a] -= 1
        if gcount[g, a] == 0:
            gdistinct[g] -= 1
        if gcount[g, b] == 0:
            gdistinct[g] += 1
        gcount[g, b] += 1
    tally.moved += moved_change(prob.baseline, prob.move_sizes, k, a, b)


@jit
def apply_move(prob: CompiledProblem, state: SearchState, k: int, b: int) -> None:
    """Relocate item k to location b, updating G in O(n m): row q gains F[q, k] * r1 + F[k, q] * r2 (written out
    here and in apply_swap: a call per row costs more than the row)."""
    F, G, symmetric = prob.flows, state.G, prob.symmetric
    n, m = G.shape
    a = state.p[k]
    r1 = prob.distances_t[b] - prob.distances_t[a]  # r1[l] = D[l, b] - D[l, a]
    r2 = prob.distances[b] - prob.distances[a]  # r2[l] = D[b, l] - D[a, l]
    for q in range(n):
        if q == k:
            continue
        w1, w2 = F[q, k], F[k, q]
        if w1 == 0.0 and w2 == 0.0:
            continue
        row = G[q]
        if symmetric:
            w = w1 + w2
            for loc in range(m):
                row[loc] += w * r1[loc]
        else:
            for loc in range(m):
                row[loc] += w1 * r1[loc] + w2 * r2[loc]
    place(prob, state, k, b)


@jit
def apply_swap(prob: CompiledProblem, state: SearchState, i: int, j: int) -> None:
    """Exchange the locations of items i and j, updating G in one O(n m) pass (i goes a -> b, j goes b -> a: the
    two moves' weights, fused)."""
    F, G, p, symmetric = prob.flows, state.G, state.p, prob.symmetric
    n, m = G.shape
    a, b = p[i], p[j]
    r1 = prob.distances_t[b] - prob.distances_t[a]
    r2 = prob.distances[b] - prob.distances[a]
    for q in range(n):
        if q == i:
            w1, w2 = -F[i, j], -F[j, i]
        elif q == j:
            w1, w2 = F[j, i], F[i, j]
        else:
            w1, w2 = F[q, i] - F[q, j], F[i, q] - F[j, q]
        if w1 == 0.0 and w2 == 0.0:
            continue
        row = G[q]
        if symmetric:
            w = w1 + w2
            for loc in range(m):
                row[loc] += w * r1[loc]
        else:
            for loc in range(m):
                row[loc] += w1 * r1[loc] + w2 * r2[loc]
    place(prob, state, i, b)
    place(prob, state, j, a)


@jit
def apply_block(prob: CompiledProblem, state: SearchState, g: int, a: int, b: int) -> None:
    """Relocate group g's members at a to b, one by one (each O(n m))."""
    mptr, midx, p = prob.members_ptr, prob.members_idx, state.p
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] == a:
            apply_move(prob, state, i, b)
