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

Items of different sizes (units on floors) add two things. Exchanges of whole locations (exchange.py) let nearly full
floors trade their units. And, every other restart, the search may go over capacity at a penalty per seat that
grows while it is over and shrinks while it is within (strategic oscillation): on nearly full floors few swaps
and relocations keep every capacity, and crossing them briefly reaches layouts the feasible moves alone do not.
Only assignments within capacity count as found.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from layouts.optimize.exchange import (
    apply_exchange,
    exchange_is_feasible,
    exchange_is_tabu,
    exchange_tables,
    has_any_exchange,
)
from layouts.optimize.feasibility import (
    block_is_feasible,
    group_leave_table,
    has_any_move,
    shared_groups,
    swap_is_feasible,
)
from layouts.optimize.kernels import (
    BEST_COST,
    BEST_ITERATION,
    BUDGET,
    COST,
    ITERATION,
    LAST_IMPROVEMENT,
    MOVED,
    OVERFLOW,
    P_ALLOWED,
    P_BASE,
    P_CAPS,
    P_CONFLICT,
    P_D,
    P_DD,
    P_DS,
    P_F,
    P_FLAGS,
    P_FS,
    P_L,
    P_MIDX,
    P_MPTR,
    P_MSIZES,
    P_SIZES,
    PENALTY,
    RANDOM_POS,
    S_BEST_P,
    S_CC,
    S_FLOAT,
    S_G,
    S_GCOUNT,
    S_INT,
    S_LOAD,
    S_P,
    S_TABU,
    SOFT_CAPACITY,
    USE_BUDGET,
    USE_CONFLICTS,
    USE_EXCHANGES,
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
    overflow_change,
)

# The float parameters of a search.
TENURE_SCALE, ASPIRATION, RECOMPUTE_EVERY, TOLERANCE, RESTART_AFTER = range(5)
# The penalty per seat over capacity grows by the factor PENALTY_UP each iteration spent over capacity and shrinks by
# PENALTY_DOWN each iteration within it, between PENALTY_BASE / PENALTY_RANGE and PENALTY_BASE * PENALTY_RANGE.
PENALTY_BASE, PENALTY_UP, PENALTY_DOWN, PENALTY_RANGE = range(5, 9)
N_PARAMS = 9
# What a chunk returns.
RAN_ALL, NEEDS_RANDOM, NO_MOVE, STAGNATED = range(4)
RANDOM_PER_ITERATION = 2
SWAP, RELOCATION, BLOCK, EXCHANGE = range(4)


@jit
def tabu_search_chunk(prob: Any, state: Any, params: Any, randoms: Any, n_iterations: int) -> int:
    """Run up to n_iterations of robust tabu search on the state; return RAN_ALL, NEEDS_RANDOM or NO_MOVE."""
    F, D, L, allowed, sizes, flags = prob[P_F], prob[P_D], prob[P_L], prob[P_ALLOWED], prob[P_SIZES], prob[P_FLAGS]
    Fs, Ds, dd = prob[P_FS], prob[P_DS], prob[P_DD]
    mptr, midx = prob[P_MPTR], prob[P_MIDX]
    p, G, tabu, best_p = state[S_P], state[S_G], state[S_TABU], state[S_BEST_P]
    gcount, fstate, istate = state[S_GCOUNT], state[S_FLOAT], state[S_INT]
    n, m = G.shape
    soft = flags[SOFT_CAPACITY] != 0
    hard = not soft
    if fstate[PENALTY] <= 0.0:
        fstate[PENALTY] = params[PENALTY_BASE]
    tenure_scale = params[TENURE_SCALE]
    aspiration = int(params[ASPIRATION])
    recompute_every = int(params[RECOMPUTE_EVERY])
    tol = params[TOLERANCE]
    restart_after = int(params[RESTART_AFTER])
    use_relocations = flags[USE_RELOCATIONS] != 0
    use_groups = flags[USE_GROUPS] != 0
    # The checks every candidate needs are done here, on arrays at hand; the others call the feasibility functions
    # (each call takes the problem and state tuples apart, which costs more than these checks themselves).
    use_mask, use_sizes = flags[USE_MASK] != 0, flags[USE_SIZES] != 0
    other_checks = flags[USE_CONFLICTS] != 0 or use_groups or flags[USE_BUDGET] != 0
    simple_swaps = not (use_mask or use_sizes or other_checks)
    load, caps = state[S_LOAD], prob[P_CAPS]
    excess = np.zeros(m, np.int64)  # the seats over capacity at each location
    use_exchanges = flags[USE_EXCHANGES] != 0
    use_conflicts, use_budget, budget = flags[USE_CONFLICTS] != 0, flags[USE_BUDGET] != 0, flags[BUDGET]
    cc, conflict, baseline, msizes = state[S_CC], prob[P_CONFLICT], prob[P_BASE], prob[P_MSIZES]
    leave_ok = np.ones((n, m), np.bool_)  # the groups of item i let it go to b (feasibility.group_leave_table)
    shares = np.zeros((n, n), np.bool_)
    if use_groups:
        shared_groups(prob, shares)
    S, W, X = np.zeros((m, m)), np.zeros(m), np.zeros((m, m))  # the tables of exchange.py
    count = np.zeros(m, np.int64)
    for _ in range(n_iterations):
        if istate[RANDOM_POS] + RANDOM_PER_ITERATION > randoms.shape[0]:
            return NEEDS_RANDOM
        if restart_after > 0 and istate[ITERATION] - istate[LAST_IMPROVEMENT] >= restart_after:
            return STAGNATED
        it = istate[ITERATION] + 1
        cost, best = fstate[COST], fstate[BEST_COST]
        over, penalty = istate[OVERFLOW], fstate[PENALTY]
        kind, x, y, z = -1, -1, -1, -1
        min_delta = np.inf  # the least score: the change of cost plus, over capacity, the penalty
        chosen = 0.0  # the change of cost of the move chosen
        aspired_found = False
        forced = it - aspiration  # a move back to a place left before this is forced (long-term aspiration)
        improving = best - tol - cost  # a delta below this finds a new best
        if soft:
            for loc in range(m):
                excess[loc] = max(load[loc] - caps[loc], 0)
        if use_groups:
            group_leave_table(prob, state, leave_ok)
        moved = istate[MOVED]
        for i in range(n):
            a = p[i]
            # swap_delta, with what depends on i alone taken out of the inner loop
            Gi, tabu_i, Fs_i, Ds_a = G[i], tabu[i], Fs[i], Ds[a]
            own_i, dd_a, si = Gi[a], dd[a], sizes[i]
            for j in range(i + 1, n):
                b = p[j]
                if a == b:
                    continue
                change = 0
                if not simple_swaps:
                    if use_mask and not (allowed[i, b] and allowed[j, a]):
                        continue
                    shift = si - sizes[j]  # the seats that go from a to b
                    if shift != 0:
                        if soft:
                            change = max(load[a] - shift - caps[a], 0) + max(load[b] + shift - caps[b], 0)
                            change -= excess[a] + excess[b]
                        elif load[a] - shift > caps[a] or load[b] + shift > caps[b]:
                            continue
                    if use_conflicts:
                        apart = 1 if conflict[i, j] else 0
                        if cc[i, b] - apart > 0 or cc[j, a] - apart > 0:
                            continue
                    if use_groups:
                        if shares[i, j]:
                            if not swap_is_feasible(prob, state, i, j, False):
                                continue
                        elif not (leave_ok[i, b] and leave_ok[j, a]):
                            continue
                    if use_budget:
                        moves = 0
                        if baseline[i] >= 0:
                            moves += msizes[i] * ((1 if b != baseline[i] else 0) - (1 if a != baseline[i] else 0))
                        if baseline[j] >= 0:
                            moves += msizes[j] * ((1 if a != baseline[j] else 0) - (1 if b != baseline[j] else 0))
                        if moved + moves > budget:
                            continue
                d = Gi[b] - own_i + G[j, a] - G[j, b] + Fs_i[j] * (Ds_a[b] - dd_a - dd[b])
                score, new_best = d, d < improving
                if change != 0:
                    score += penalty * change
                    new_best = new_best and over + change == 0
                elif over > 0:
                    new_best = False
                t1, t2 = tabu_i[b], tabu[j, a]
                if t1 < forced or t2 < forced or new_best:
                    if not aspired_found or score < min_delta:
                        kind, x, y, min_delta, chosen, aspired_found = SWAP, i, j, score, d, True
                elif not aspired_found and score < min_delta and (t1 < it or t2 < it):
                    kind, x, y, min_delta, chosen = SWAP, i, j, score, d
        if use_relocations:
            for i in range(n):
                a = p[i]
                si = sizes[i]
                for b in range(m):
                    if b == a or not allowed[i, b]:
                        continue
                    change = 0
                    if soft:
                        change = max(load[a] - si - caps[a], 0) + max(load[b] + si - caps[b], 0)
                        change -= excess[a] + excess[b]
                    elif load[b] + si > caps[b]:
                        continue
                    if (use_conflicts and cc[i, b] > 0) or (use_groups and not leave_ok[i, b]):
                        continue
                    if use_budget and baseline[i] >= 0:
                        moves = msizes[i] * ((1 if b != baseline[i] else 0) - (1 if a != baseline[i] else 0))
                        if moved + moves > budget:
                            continue
                    d = G[i, b] - G[i, a]
                    score, new_best = d + penalty * change, cost + d < best - tol and over + change == 0
                    t1 = tabu[i, b]
                    if t1 < it - aspiration or new_best:
                        if not aspired_found or score < min_delta:
                            kind, x, y, min_delta, chosen, aspired_found = RELOCATION, i, b, score, d, True
                    elif not aspired_found and score < min_delta and t1 < it:
                        kind, x, y, min_delta, chosen = RELOCATION, i, b, score, d
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
                        if b == a or not block_is_feasible(prob, state, g, a, b, seats, hard):
                            continue
                        d = block_delta(prob, G, p, g, a, b, weight)
                        score, new_best = d, cost + d < best - tol
                        if soft:
                            change = overflow_change(prob, state, a, b, seats)
                            score += penalty * change
                            new_best = new_best and over + change == 0
                        if new_best:
                            if not aspired_found or score < min_delta:
                                kind, x, y, z, min_delta, chosen, aspired_found = BLOCK, g, a, b, score, d, True
                        elif not aspired_found and score < min_delta and not _block_is_tabu(prob, p, tabu, g, a, b, it):
                            kind, x, y, z, min_delta, chosen = BLOCK, g, a, b, score, d
        if use_exchanges:
            exchange_tables(prob, state, S, W, X, count)
            for a in range(m):
                for b in range(a + 1, m):
                    if count[a] == 0 and count[b] == 0:
                        continue
                    change = 0
                    if soft:
                        change = max(load[b] - caps[a], 0) + max(load[a] - caps[b], 0) - excess[a] - excess[b]
                    elif load[b] > caps[a] or load[a] > caps[b]:
                        continue
                    if (other_checks or use_mask) and not exchange_is_feasible(prob, state, a, b):
                        continue
                    d = S[a, b] - S[a, a] + S[b, a] - S[b, b] + (W[a] + W[b] - X[a, b]) * (dd[a] + dd[b] - Ds[a, b])
                    score, new_best = d + penalty * change, cost + d < best - tol and over + change == 0
                    if new_best:
                        if not aspired_found or score < min_delta:
                            kind, x, y, min_delta, chosen, aspired_found = EXCHANGE, a, b, score, d, True
                    elif not aspired_found and score < min_delta and not exchange_is_tabu(p, tabu, a, b, it):
                        kind, x, y, min_delta, chosen = EXCHANGE, a, b, score, d
        istate[ITERATION] = it
        if kind < 0:
            if not (has_any_move(prob, state, hard) or (use_exchanges and has_any_exchange(prob, state, hard))):
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
        elif kind == EXCHANGE:
            apply_exchange(prob, state, tabu, x, y, it + int(randoms[u] ** 3 * tenure_scale))
            istate[RANDOM_POS] = u + 1
        else:
            tenure = it + int(randoms[u] ** 3 * tenure_scale)
            for s in range(mptr[x], mptr[x + 1]):
                if p[midx[s]] == y:
                    tabu[midx[s], y] = tenure
            apply_block(prob, state, x, y, z)
            istate[RANDOM_POS] = u + 1
        cost += chosen
        if recompute_every > 0 and it % recompute_every == 0:
            G[:, :] = contributions(F, D, L, p)
            cost = cost_of(F, D, L, p)
        fstate[COST] = cost
        if soft:
            # Strategic oscillation: over capacity the penalty grows until the search returns; within capacity it
            # shrinks, so that the search may cross full locations.
            base, spread = params[PENALTY_BASE], params[PENALTY_RANGE]
            if istate[OVERFLOW] > 0:
                fstate[PENALTY] = min(penalty * params[PENALTY_UP], base * spread)
            else:
                fstate[PENALTY] = max(penalty / params[PENALTY_DOWN], base / spread)
        if cost < best - tol and istate[OVERFLOW] == 0:
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
