"""Compiled building blocks of the search: the contribution table, move, swap and block deltas, and updates.

The search keeps, for the current assignment p, the contribution table

    G[i, l] = L[i, l] + F[i, i] * D[l, l] + sum over j != i of (F[i, j] * D[l, p[j]] + F[j, i] * D[p[j], l])

(the cost that involves item i if it were at location l, the others staying where they are). With a = p[i],
b = p[j]:

- relocating item i to location b changes the cost by   G[i, b] - G[i, a];
- swapping items i and j changes it by
      G[i, b] - G[i, a] + G[j, a] - G[j, b] + (F[i, j] + F[j, i]) * (D[a, b] + D[b, a] - D[a, a] - D[b, b]);
- relocating a block S of items, all at a, to b changes it by
      sum over i in S of (G[i, b] - G[i, a])  +  W(S) * (D[a, a] + D[b, b] - D[a, b] - D[b, a]),
  W(S) = sum over i != j in S of F[i, j] (a block is the part of a group at one location: it lets a department
  limited to k locations move as a whole);

each in O(1) (O(|S|) for a block). After item k moves from a to b the table changes, for every item q != k and
location l, by
      F[q, k] * (D[l, b] - D[l, a]) + F[k, q] * (D[b, l] - D[a, l]),
an O(n * m) update (a swap is two such moves, fused into one pass; a block, one move per item).

The compiled functions take the problem and the state as tuples of arrays, indexed by the constants below, so that
a chunk of iterations can resume exactly where the previous one ended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from layouts.optimize.numba_cache import use_cache_folder

use_cache_folder()  # before numba is imported and the kernels below are defined: both read where the cache is

import numba  # noqa: E402

Fn = TypeVar("Fn", bound=Callable[..., Any])

# The problem tuple (search.compile_problem).
P_F, P_FS, P_D, P_DT, P_DS, P_DD, P_L, P_SIZES, P_CAPS, P_ALLOWED = range(10)
P_CONFLICT, P_CPTR, P_CIDX, P_GPTR, P_GIDX, P_MEMBER, P_GMAX, P_BASE, P_FLAGS, P_MPTR, P_MIDX = range(10, 21)
P_MSIZES, P_GADJ, P_LEVEL = range(21, 24)
# The state tuple (search.new_state).
S_P, S_G, S_LOAD, S_CC, S_GCOUNT, S_GDISTINCT, S_TABU, S_BEST_P, S_FLOAT, S_INT = range(10)
# The integer and float state vectors.
ITERATION, MOVED, BEST_ITERATION, RANDOM_POS, LAST_IMPROVEMENT, OVERFLOW = range(6)
COST, BEST_COST, PENALTY = range(3)
# The integer flags of a problem.
USE_MASK, USE_CONFLICTS, USE_GROUPS, USE_BUDGET, BUDGET, SYMMETRIC_D, USE_RELOCATIONS, USE_SIZES = range(8)
SOFT_CAPACITY, USE_EXCHANGES = 8, 9


def jit(function: Fn) -> Fn:
    """numba's njit with an on-disk cache, typed for mypy."""
    return cast(Fn, numba.njit(cache=True)(function))


@jit
def contributions(F: Any, D: Any, L: Any, p: Any) -> Any:
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
def cost_of(F: Any, D: Any, L: Any, p: Any) -> float:
    """sum over i, j of F[i, j] * D[p[i], p[j]] + sum over i of L[i, p[i]]."""
    n = F.shape[0]
    total = 0.0
    for i in range(n):
        total += L[i, p[i]]
        for j in range(n):
            total += F[i, j] * D[p[i], p[j]]
    return total


@jit
def move_delta(prob: Any, G: Any, p: Any, i: int, b: int) -> float:
    """The change of cost when item i moves to location b: G[i, b] - G[i, p[i]]."""
    return float(G[i, b] - G[i, p[i]])


@jit
def swap_delta(prob: Any, G: Any, p: Any, i: int, j: int) -> float:
    """The change of cost when items i and j exchange locations (see the module's text)."""
    Fs, Ds, dd = prob[P_FS], prob[P_DS], prob[P_DD]
    a, b = p[i], p[j]
    return float(G[i, b] - G[i, a] + G[j, a] - G[j, b] + Fs[i, j] * (Ds[a, b] - dd[a] - dd[b]))


@jit
def block_weight(prob: Any, p: Any, g: int, a: int) -> float:
    """W(S) for the block S of group g's members at location a: the flows among them, both directions."""
    F, mptr, midx = prob[P_F], prob[P_MPTR], prob[P_MIDX]
    w = 0.0
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] != a:
            continue
        for t in range(mptr[g], mptr[g + 1]):
            j = midx[t]
            if j != i and p[j] == a:
                w += F[i, j]
    return w


@jit
def block_delta(prob: Any, G: Any, p: Any, g: int, a: int, b: int, weight: float) -> float:
    """The change of cost when group g's members at a move together to b; ``weight`` is block_weight(g, a)."""
    Ds, dd, mptr, midx = prob[P_DS], prob[P_DD], prob[P_MPTR], prob[P_MIDX]
    d = 0.0
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] == a:
            d += G[i, b] - G[i, a]
    return float(d + weight * (dd[a] + dd[b] - Ds[a, b]))


@jit
def overflow_change(prob: Any, state: Any, a: int, b: int, seats: int) -> int:
    """How the seats over capacity change when ``seats`` seats go from location a to b (negative seats: b to a)."""
    caps, load = prob[P_CAPS], state[S_LOAD]
    before = max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0)
    return int(max(load[a] - seats - caps[a], 0) + max(load[b] + seats - caps[b], 0) - before)


@jit
def place(prob: Any, state: Any, k: int, b: int) -> None:
    """Move item k to location b and bring the bookkeeping (not G) up to date, the seats over capacity too."""
    sizes, msizes, cptr, cidx, gptr, gidx, base = (
        prob[P_SIZES],
        prob[P_MSIZES],
        prob[P_CPTR],
        prob[P_CIDX],
        prob[P_GPTR],
        prob[P_GIDX],
        prob[P_BASE],
    )
    p, load, cc, gcount, gdistinct = state[S_P], state[S_LOAD], state[S_CC], state[S_GCOUNT], state[S_GDISTINCT]
    a = p[k]
    p[k] = b
    caps = prob[P_CAPS]
    before = max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0)
    load[a] -= sizes[k]
    load[b] += sizes[k]
    istate = state[S_INT]
    istate[OVERFLOW] += max(load[a] - caps[a], 0) + max(load[b] - caps[b], 0) - before
    for t in range(cptr[k], cptr[k + 1]):
        q = cidx[t]
        cc[q, a] -= 1
        cc[q, b] += 1
    for t in range(gptr[k], gptr[k + 1]):
        g = gidx[t]
        gcount[g, a] -= 1
        if gcount[g, a] == 0:
            gdistinct[g] -= 1
        if gcount[g, b] == 0:
            gdistinct[g] += 1
        gcount[g, b] += 1
    if base[k] >= 0:
        istate[MOVED] += msizes[k] * ((1 if b != base[k] else 0) - (1 if a != base[k] else 0))


@jit
def apply_move(prob: Any, state: Any, k: int, b: int) -> None:
    """Relocate item k to location b, updating G in O(n m)."""
    F, D, DT, flags = prob[P_F], prob[P_D], prob[P_DT], prob[P_FLAGS]
    p, G = state[S_P], state[S_G]
    n, m = G.shape
    a = p[k]
    r1 = DT[b] - DT[a]  # r1[l] = D[l, b] - D[l, a]
    r2 = D[b] - D[a]  # r2[l] = D[b, l] - D[a, l]
    symmetric = flags[SYMMETRIC_D] != 0
    for q in range(n):
        if q == k:
            continue
        fqk, fkq = F[q, k], F[k, q]
        if fqk == 0.0 and fkq == 0.0:
            continue
        row = G[q]
        if symmetric:
            w = fqk + fkq
            for loc in range(m):
                row[loc] += w * r1[loc]
        else:
            for loc in range(m):
                row[loc] += fqk * r1[loc] + fkq * r2[loc]
    place(prob, state, k, b)


@jit
def apply_swap(prob: Any, state: Any, i: int, j: int) -> None:
    """Exchange the locations of items i and j, updating G in one O(n m) pass."""
    F, D, DT, flags = prob[P_F], prob[P_D], prob[P_DT], prob[P_FLAGS]
    p, G = state[S_P], state[S_G]
    n, m = G.shape
    a, b = p[i], p[j]
    r1 = DT[b] - DT[a]  # D[l, b] - D[l, a]: i goes a -> b, j goes b -> a (minus)
    r2 = D[b] - D[a]
    symmetric = flags[SYMMETRIC_D] != 0
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
def apply_block(prob: Any, state: Any, g: int, a: int, b: int) -> None:
    """Relocate group g's members at a to b, one by one (each O(n m))."""
    mptr, midx = prob[P_MPTR], prob[P_MIDX]
    p = state[S_P]
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] == a:
            apply_move(prob, state, i, b)
