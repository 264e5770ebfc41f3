"""The compiled robust tabu search: one chunk of iterations over the state (kernels.py for the formulas).

Taillard's robust tabu search (1991), generalised from swaps to relocations and block moves. ``tabu[i, l]`` is
the iteration until which item i may not return to location l: when i leaves l it is set to the iteration plus
u**3 * tenure_scale, u uniform in [0, 1), as in Taillard's code. A swap is forbidden only when both items would
return to forbidden locations, a block move when all its items would. Each iteration makes the best move that is
allowed, even when it makes the cost worse. Aspiration: a forbidden move is allowed when it leads below the best
cost found; and a relocation or swap that puts an item at a location it has not left for ``aspiration``
iterations is forced, the best such first (long-term diversification). After ``restart_after`` iterations without
a new best the chunk returns STAGNATED, and the caller restarts from a perturbed best (search.py). Random numbers
come from a buffer the caller fills from a numpy Generator, consumed in order, so that a run is the same however
it is cut into chunks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layouts.optimize.feasibility import block_is_feasible, has_any_move, move_is_feasible, swap_is_feasible
from layouts.optimize.kernels import (
    BEST_COST,
    BEST_ITERATION,
    COST,
    ITERATION,
    LAST_IMPROVEMENT,
    P_ALLOWED,
    P_D,
    P_DD,
    P_DS,
    P_F,
    P_FLAGS,
    P_FS,
    P_L,
    P_MIDX,
    P_MPTR,
    P_SIZES,
    RANDOM_POS,
    S_BEST_P,
    S_FLOAT,
    S_G,
    S_GCOUNT,
    S_INT,
    S_P,
    S_TABU,
    USE_BUDGET,
    USE_CONFLICTS,
    USE_GROUPS,
    USE_MASK,
    USE_RELOCATIONS,
    USE_SIZES,
    apply_block,
    apply_move,
    apply_swap,
    block_delta,
    block_weight,
    contributions,
    cost_of,
    jit,
)

# The float parameters of a search.
TENURE_SCALE, ASPIRATION, RECOMPUTE_EVERY, TOLERANCE, RESTART_AFTER = range(5)
# What a chunk returns.
RAN_ALL, NEEDS_RANDOM, NO_MOVE, STAGNATED = range(4)
RANDOM_PER_ITERATION = 2
SWAP, RELOCATION, BLOCK = range(3)


@jit
def tabu_search_chunk(prob: Any, state: Any, params: Any, randoms: Any, n_iterations: int) -> int:
    """Run up to n_iterations of robust tabu search on the state; return RAN_ALL, NEEDS_RANDOM or NO_MOVE."""
    F, D, L, allowed, sizes, flags = prob[P_F], prob[P_D], prob[P_L], prob[P_ALLOWED], prob[P_SIZES], prob[P_FLAGS]
    Fs, Ds, dd = prob[P_FS], prob[P_DS], prob[P_DD]
    mptr, midx = prob[P_MPTR], prob[P_MIDX]
    p, G, tabu, best_p = state[S_P], state[S_G], state[S_TABU], state[S_BEST_P]
    gcount, fstate, istate = state[S_GCOUNT], state[S_FLOAT], state[S_INT]
    n, m = G.shape
    tenure_scale = params[TENURE_SCALE]
    aspiration = int(params[ASPIRATION])
    recompute_every = int(params[RECOMPUTE_EVERY])
    tol = params[TOLERANCE]
    restart_after = int(params[RESTART_AFTER])
    use_relocations = flags[USE_RELOCATIONS] != 0
    use_groups = flags[USE_GROUPS] != 0
    simple_swaps = flags[USE_MASK] == 0 and flags[USE_CONFLICTS] == 0 and not use_groups
    simple_swaps = simple_swaps and flags[USE_BUDGET] == 0 and flags[USE_SIZES] == 0
    for _ in range(n_iterations):
        if istate[RANDOM_POS] + RANDOM_PER_ITERATION > randoms.shape[0]:
            return NEEDS_RANDOM
        if restart_after > 0 and istate[ITERATION] - istate[LAST_IMPROVEMENT] >= restart_after:
            return STAGNATED
        it = istate[ITERATION] + 1
        cost, best = fstate[COST], fstate[BEST_COST]
        kind, x, y, z = -1, -1, -1, -1
        min_delta = np.inf
        aspired_found = False
        forced = it - aspiration  # a move back to a place left before this is forced (long-term aspiration)
        improving = best - tol - cost  # a delta below this finds a new best
        for i in range(n):
            a = p[i]
            # swap_delta, with what depends on i alone taken out of the inner loop
            Gi, tabu_i, Fs_i, Ds_a = G[i], tabu[i], Fs[i], Ds[a]
            own_i, dd_a = Gi[a], dd[a]
            for j in range(i + 1, n):
                b = p[j]
                if a == b or not (simple_swaps or swap_is_feasible(prob, state, i, j)):
                    continue
                d = Gi[b] - own_i + G[j, a] - G[j, b] + Fs_i[j] * (Ds_a[b] - dd_a - dd[b])
                t1, t2 = tabu_i[b], tabu[j, a]
                if t1 < forced or t2 < forced or d < improving:
                    if not aspired_found or d < min_delta:
                        kind, x, y, min_delta, aspired_found = SWAP, i, j, d, True
                elif not aspired_found and d < min_delta and (t1 < it or t2 < it):
                    kind, x, y, min_delta = SWAP, i, j, d
        if use_relocations:
            for i in range(n):
                a = p[i]
                for b in range(m):
                    if b == a or not allowed[i, b] or not move_is_feasible(prob, state, i, b):
                        continue
                    d = G[i, b] - G[i, a]
                    t1 = tabu[i, b]
                    if t1 < it - aspiration or cost + d < best - tol:
                        if not aspired_found or d < min_delta:
                            kind, x, y, min_delta, aspired_found = RELOCATION, i, b, d, True
                    elif not aspired_found and d < min_delta and t1 < it:
                        kind, x, y, min_delta = RELOCATION, i, b, d
        if use_groups:
            for g in range(gcount.shape[0]):
                for a in range(m):
                    if gcount[g, a] < 2:
                        continue  # a block of one item is a relocation
                    seats = 0
                    for s in range(mptr[g], mptr[g + 1]):
                        if p[midx[s]] == a:
                            seats += sizes[midx[s]]
                    weight = block_weight(prob, p, g, a)
                    for b in range(m):
                        if b == a or not block_is_feasible(prob, state, g, a, b, seats):
                            continue
                        d = block_delta(prob, G, p, g, a, b, weight)
                        if cost + d < best - tol:
                            if not aspired_found or d < min_delta:
                                kind, x, y, z, min_delta, aspired_found = BLOCK, g, a, b, d, True
                        elif not aspired_found and d < min_delta and not _block_is_tabu(prob, p, tabu, g, a, b, it):
                            kind, x, y, z, min_delta = BLOCK, g, a, b, d
        istate[ITERATION] = it
        if kind < 0:
            if not has_any_move(prob, state):
                return NO_MOVE
            continue  # every move is forbidden: let the tabu list age
        u = istate[RANDOM_POS]
        if kind == SWAP:
            a, b = p[x], p[y]
            apply_swap(prob, state, x, y)
            tabu[x, a] = it + int(randoms[u] ** 3 * tenure_scale)
            tabu[y, b] = it + int(randoms[u + 1] ** 3 * tenure_scale)
            istate[RANDOM_POS] = u + 2
        elif kind == RELOCATION:
            a = p[x]
            apply_move(prob, state, x, y)
            tabu[x, a] = it + int(randoms[u] ** 3 * tenure_scale)
            istate[RANDOM_POS] = u + 1
        else:
            tenure = it + int(randoms[u] ** 3 * tenure_scale)
            for s in range(mptr[x], mptr[x + 1]):
                if p[midx[s]] == y:
                    tabu[midx[s], y] = tenure
            apply_block(prob, state, x, y, z)
            istate[RANDOM_POS] = u + 1
        cost += min_delta
        if recompute_every > 0 and it % recompute_every == 0:
            G[:, :] = contributions(F, D, L, p)
            cost = cost_of(F, D, L, p)
        fstate[COST] = cost
        if cost < best - tol:
            fstate[BEST_COST] = cost
            best_p[:] = p
            istate[BEST_ITERATION] = it
            istate[LAST_IMPROVEMENT] = it
    return RAN_ALL


@jit
def _block_is_tabu(prob: Any, p: Any, tabu: Any, g: int, a: int, b: int, it: int) -> bool:
    """A block move is forbidden when every item of the block would return to a forbidden location."""
    mptr, midx = prob[P_MPTR], prob[P_MIDX]
    for s in range(mptr[g], mptr[g + 1]):
        i = midx[s]
        if p[i] == a and tabu[i, b] < it:
            return False
    return True
