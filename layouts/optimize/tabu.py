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

from typing import NamedTuple

import numpy as np

from layouts.optimize.exchange import (
    ExchangeTables,
    apply_exchange,
    exchange_delta,
    exchange_is_feasible,
    exchange_is_tabu,
    exchange_tables,
    has_any_exchange,
)
from layouts.optimize.feasibility import (
    block_is_feasible,
    block_seats,
    budget_left,
    conflicts_allow_swap,
    group_leave_table,
    has_any_move,
    shared_groups,
    swap_is_feasible,
)
from layouts.optimize.kernels import (
    apply_block,
    apply_move,
    apply_swap,
    block_delta,
    block_weight,
    contributions,
    cost_of,
    inline,
    jit,
    move_delta,
    moved_change,
    overflow_change,
    swap_delta,
)
from layouts.optimize.problem import BoolArray, FloatArray, IntArray
from layouts.optimize.search_state import CompiledProblem, SearchParams, SearchState

# What a chunk returns.
RAN_ALL, NEEDS_RANDOM, NO_MOVE, STAGNATED = range(4)
RANDOM_PER_ITERATION = 2
# The kinds of move.
SWAP, RELOCATION, BLOCK, EXCHANGE = range(4)


class Choice(NamedTuple):
    """The best move found so far in an iteration: its kind and operands, and how it was rated."""

    kind: int  # SWAP (items x, y), RELOCATION (item x to y), BLOCK (group x from y to z), EXCHANGE (x and y); -1 none
    x: int
    y: int
    z: int
    score: float  # the change of cost plus, over capacity, the penalty: the least wins
    delta: float  # the change of cost
    aspired: bool  # allowed although tabu (a new best, or the long-term aspiration)


NO_CHOICE = Choice(-1, -1, -1, -1, np.inf, 0.0, False)


class Round(NamedTuple):
    """What the evaluators of one iteration share."""

    it: int  # this iteration's number
    cost: float  # the current cost
    best: float  # the best cost within capacity
    over: int  # the seats over capacity now
    penalty: float  # per seat over capacity
    forced: int  # a move back to a place left before this iteration is forced (long-term aspiration)
    improving: float  # a swap delta below this finds a new best
    tolerance: float
    soft: bool  # over capacity is allowed, at the penalty
    budget_left: int  # how much more may move away from the baseline (feasibility.budget_left)


class Scratch(NamedTuple):
    """The tables a chunk fills afresh each iteration (allocated once per chunk)."""

    excess: IntArray  # m, the seats over capacity at each location
    leave_ok: BoolArray  # n x m, item i's groups let it go to b (feasibility.group_leave_table)
    shares: BoolArray  # n x n, items in one constrained group (feasibility.shared_groups)
    exchange: ExchangeTables
    other_checks: bool  # conflicts, groups or a move budget to check beside the mask and capacity


@jit
def _new_scratch(prob: CompiledProblem, n: int, m: int) -> Scratch:
    shares = np.zeros((n, n), np.bool_)
    if prob.use_groups:
        shared_groups(prob, shares)
    tables = ExchangeTables(np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.zeros(m, np.int64))
    other = prob.use_conflicts or prob.use_groups or prob.use_budget
    return Scratch(np.zeros(m, np.int64), np.ones((n, m), np.bool_), shares, tables, other)


@inline
def _over_change(load: IntArray, caps: IntArray, excess: IntArray, a: int, b: int, shift: int) -> int:
    """How the seats over capacity change when ``shift`` seats go from a to b (``excess``: over capacity now)."""
    return int(max(load[a] - shift - caps[a], 0) + max(load[b] + shift - caps[b], 0) - excess[a] - excess[b])


@inline
def _overfills(load: IntArray, caps: IntArray, a: int, b: int, shift: int) -> bool:
    """Whether ``shift`` seats going from a to b (negative: from b to a) put either over its capacity."""
    return bool(load[a] - shift > caps[a] or load[b] + shift > caps[b])


@inline
def _rate(choice: Choice, score: float, aspired: bool, allowed: bool) -> bool:
    """Whether a candidate replaces the choice so far: an aspired candidate beats every one that is not, among
    equals the lower score wins, and a candidate neither aspired nor ``allowed`` (tabu) never does."""
    if aspired:
        return not choice.aspired or score < choice.score
    return allowed and not choice.aspired and score < choice.score


@jit
def _best_checked_swap(prob: CompiledProblem, state: SearchState, scratch: Scratch, r: Round, choice: Choice) -> Choice:
    """The best allowed swap of two items at different locations that keeps the constraints, or ``choice`` when none
    beats it."""
    p, tabu, G, load = state.p, state.tabu, state.G, state.load
    Fs, Ds, dd, caps, sizes = prob.flows_both, prob.distances_both, prob.distances_diag, prob.capacities, prob.sizes
    allowed, conflict, cc, base, msizes = (
        prob.allowed,
        prob.conflict,
        state.conflict_count,
        prob.baseline,
        prob.move_sizes,
    )
    excess, shares, leave_ok = scratch.excess, scratch.shares, scratch.leave_ok
    use_mask, use_conflicts, use_groups, use_budget = (
        prob.use_mask,
        prob.use_conflicts,
        prob.use_groups,
        prob.use_budget,
    )
    n = p.shape[0]
    for i in range(n):
        a = p[i]
        Gi, tabu_i, Fs_i, Ds_a = G[i], tabu[i], Fs[i], Ds[a]  # what depends on i alone, out of the inner loop
        own_i, dd_a = Gi[a], dd[a]
        for j in range(i + 1, n):
            b = p[j]
            if a == b:
                continue
            change = 0
            if use_mask and not (allowed[i, b] and allowed[j, a]):
                continue
            shift = sizes[i] - sizes[j]  # the seats that go from a to b
            if shift != 0:
                if r.soft:
                    change = _over_change(load, caps, excess, a, b, shift)
                elif _overfills(load, caps, a, b, shift):
                    continue
            if use_conflicts and not conflicts_allow_swap(conflict, cc, i, j, a, b):
                continue
            if use_groups:
                if shares[i, j]:
                    if not swap_is_feasible(prob, state, i, j, False):
                        continue
                elif not (leave_ok[i, b] and leave_ok[j, a]):
                    continue
            if use_budget and moved_change(base, msizes, i, a, b) + moved_change(base, msizes, j, b, a) > r.budget_left:
                continue
            d = swap_delta(Gi[b], own_i, G[j, a], G[j, b], Fs_i[j], Ds_a[b], dd_a, dd[b])
            score, new_best = d, d < r.improving
            if change != 0:
                score += r.penalty * change
                new_best = new_best and r.over + change == 0
            elif r.over > 0:
                new_best = False
            t1, t2 = tabu_i[b], tabu[j, a]
            if _rate(choice, score, t1 < r.forced or t2 < r.forced or new_best, t1 < r.it or t2 < r.it):
                choice = Choice(SWAP, i, j, choice.z, score, d, t1 < r.forced or t2 < r.forced or new_best)
    return choice


@jit
def _best_swap(prob: CompiledProblem, state: SearchState, scratch: Scratch, r: Round, choice: Choice) -> Choice:
    """The best allowed swap of two items at different locations, or ``choice`` when none beats it: the checks
    only when the problem has constraints beyond one item per location (the QAP's tight loop has none)."""
    if prob.use_mask or prob.use_sizes or scratch.other_checks:
        return _best_checked_swap(prob, state, scratch, r, choice)
    p, tabu, G = state.p, state.tabu, state.G
    Fs, Ds, dd = prob.flows_both, prob.distances_both, prob.distances_diag
    n = p.shape[0]
    for i in range(n):
        a = p[i]
        Gi, tabu_i, Fs_i, Ds_a = G[i], tabu[i], Fs[i], Ds[a]  # what depends on i alone, out of the inner loop
        own_i, dd_a = Gi[a], dd[a]
        for j in range(i + 1, n):
            b = p[j]
            if a == b:
                continue
            d = swap_delta(Gi[b], own_i, G[j, a], G[j, b], Fs_i[j], Ds_a[b], dd_a, dd[b])
            new_best = d < r.improving and r.over <= 0
            t1, t2 = tabu_i[b], tabu[j, a]
            aspired = t1 < r.forced or t2 < r.forced or new_best
            if _rate(choice, d, aspired, t1 < r.it or t2 < r.it):
                choice = Choice(SWAP, i, j, choice.z, d, d, aspired)
    return choice


@jit
def _best_relocation(prob: CompiledProblem, state: SearchState, scratch: Scratch, r: Round, choice: Choice) -> Choice:
    """The best allowed relocation of one item, or ``choice`` when none beats it."""
    p, tabu, G, load, cc = state.p, state.tabu, state.G, state.load, state.conflict_count
    allowed, caps, sizes, base, msizes = prob.allowed, prob.capacities, prob.sizes, prob.baseline, prob.move_sizes
    excess, leave_ok = scratch.excess, scratch.leave_ok
    use_conflicts, use_groups, use_budget = prob.use_conflicts, prob.use_groups, prob.use_budget
    n, m = G.shape
    for i in range(n):
        a = p[i]
        for b in range(m):
            if b == a or not allowed[i, b]:
                continue
            change = 0
            if r.soft:
                change = _over_change(load, caps, excess, a, b, sizes[i])
            elif load[b] + sizes[i] > caps[b]:
                continue
            if (use_conflicts and cc[i, b] > 0) or (use_groups and not leave_ok[i, b]):
                continue
            if use_budget and moved_change(base, msizes, i, a, b) > r.budget_left:
                continue
            d = move_delta(G, p, i, b)
            score, new_best = d + r.penalty * change, r.cost + d < r.best - r.tolerance and r.over + change == 0
            t1 = tabu[i, b]
            if _rate(choice, score, t1 < r.forced or new_best, t1 < r.it):
                choice = Choice(RELOCATION, i, b, choice.z, score, d, t1 < r.forced or new_best)
    return choice


@inline
def _block_is_tabu(members: IntArray, p: IntArray, tabu: IntArray, a: int, b: int, it: int) -> bool:
    """A block move is forbidden when every item of the block (the ``members`` at a) would return to a forbidden
    location."""
    for i in members:  # noqa: SIM110 (a loop that numba compiles, not a generator)
        if p[i] == a and tabu[i, b] < it:
            return False
    return True


@jit
def _best_block(prob: CompiledProblem, state: SearchState, r: Round, choice: Choice) -> Choice:
    """The best allowed move of a group's members at one location, together, to another; or ``choice``."""
    p, G, gcount, tabu, load = state.p, state.G, state.group_count, state.tabu, state.load
    F, Ds, dd, caps, mptr = prob.flows, prob.distances_both, prob.distances_diag, prob.capacities, prob.members_ptr
    m = G.shape[1]
    for g in range(gcount.shape[0]):
        members = prob.members_idx[mptr[g] : mptr[g + 1]]
        for a in range(m):
            if gcount[g, a] < 2:
                continue  # a block of one item is a relocation
            seats = block_seats(prob.sizes, members, p, a)
            weight = block_weight(F, members, p, a)
            for b in range(m):
                if b == a or not block_is_feasible(prob, state, g, a, b, seats, not r.soft):
                    continue
                d = block_delta(G, Ds, dd, members, p, a, b, weight)
                score, new_best = d, r.cost + d < r.best - r.tolerance
                if r.soft:
                    change = overflow_change(load, caps, a, b, seats)
                    score += r.penalty * change
                    new_best = new_best and r.over + change == 0
                # The tabu status is looked at last, and only when it matters (it takes a pass over the block).
                if _rate(choice, score, new_best, True) and (
                    new_best or not _block_is_tabu(members, p, tabu, a, b, r.it)
                ):
                    choice = Choice(BLOCK, g, a, b, score, d, new_best)
    return choice


@jit
def _best_exchange(prob: CompiledProblem, state: SearchState, scratch: Scratch, r: Round, choice: Choice) -> Choice:
    """The best allowed exchange of the items of two locations, or ``choice`` when none beats it."""
    p, tabu, load, caps, excess = state.p, state.tabu, state.load, prob.capacities, scratch.excess
    Ds, dd = prob.distances_both, prob.distances_diag
    tables = scratch.exchange
    S, W, X, count = tables.S, tables.W, tables.X, tables.items_at
    check = scratch.other_checks or prob.use_mask
    m = load.shape[0]
    exchange_tables(prob, state, tables)
    for a in range(m):
        for b in range(a + 1, m):
            if count[a] == 0 and count[b] == 0:
                continue
            change = 0
            if r.soft:
                change = max(load[b] - caps[a], 0) + max(load[a] - caps[b], 0) - excess[a] - excess[b]
            elif load[b] > caps[a] or load[a] > caps[b]:
                continue
            if check and not exchange_is_feasible(prob, state, a, b):
                continue
            d = exchange_delta(S, W, X, Ds, dd, a, b)
            score, new_best = d + r.penalty * change, r.cost + d < r.best - r.tolerance and r.over + change == 0
            if _rate(choice, score, new_best, True) and (new_best or not exchange_is_tabu(p, tabu, a, b, r.it)):
                choice = Choice(EXCHANGE, a, b, choice.z, score, d, new_best)
    return choice


@jit
def _make_move(
    prob: CompiledProblem, state: SearchState, params: SearchParams, randoms: FloatArray, c: Choice, it: int
) -> None:
    """Make the chosen move and forbid its items to return for a random tenure (one random number per tenure)."""
    p, tabu, tally = state.p, state.tabu, state.tally[0]
    u = tally.random_pos
    tenure = it + int(randoms[u] ** 3 * params.tenure_scale)
    if c.kind == SWAP:
        a, b = p[c.x], p[c.y]
        apply_swap(prob, state, c.x, c.y)
        tabu[c.x, a] = tenure
        tabu[c.y, b] = it + int(randoms[u + 1] ** 3 * params.tenure_scale)
        tally.random_pos = u + 2
        return
    if c.kind == RELOCATION:
        a = p[c.x]
        apply_move(prob, state, c.x, c.y)
        tabu[c.x, a] = tenure
    elif c.kind == EXCHANGE:
        apply_exchange(prob, state, c.x, c.y, tenure)
    else:
        for i in prob.members_idx[prob.members_ptr[c.x] : prob.members_ptr[c.x + 1]]:
            if p[i] == c.y:
                tabu[i, c.y] = tenure
        apply_block(prob, state, c.x, c.y, c.z)
    tally.random_pos = u + 1


@jit
def _settle(prob: CompiledProblem, state: SearchState, params: SearchParams, r: Round, cost: float) -> None:
    """After a move: the cost (rebuilt from scratch every recompute_every iterations), the penalty, the best."""
    tally = state.tally[0]
    if params.recompute_every > 0 and r.it % params.recompute_every == 0:
        state.G[:, :] = contributions(prob.flows, prob.distances, prob.linear, state.p)
        cost = cost_of(prob.flows, prob.distances, prob.linear, state.p)
    tally.cost = cost
    if r.soft:
        # Strategic oscillation: over capacity the penalty grows until the search returns; within capacity it
        # shrinks, so that the search may cross full locations.
        base, spread = params.penalty_base, params.penalty_range
        if tally.overflow > 0:
            tally.penalty = min(r.penalty * params.penalty_up, base * spread)
        else:
            tally.penalty = max(r.penalty / params.penalty_down, base / spread)
    if cost < r.best - r.tolerance and tally.overflow == 0:
        tally.best_cost = cost
        state.best_p[:] = state.p
        tally.best_iteration = r.it
        tally.last_improvement = r.it


@jit
def tabu_search_chunk(
    prob: CompiledProblem, state: SearchState, params: SearchParams, randoms: FloatArray, n_iterations: int
) -> int:
    """Run up to n_iterations of robust tabu search on the state; return RAN_ALL, NEEDS_RANDOM, NO_MOVE or
    STAGNATED."""
    tally = state.tally[0]
    n, m = state.G.shape
    if tally.penalty <= 0.0:
        tally.penalty = params.penalty_base
    soft = tally.soft_capacity
    scratch = _new_scratch(prob, n, m)
    for _ in range(n_iterations):
        if tally.random_pos + RANDOM_PER_ITERATION > randoms.shape[0]:
            return NEEDS_RANDOM
        if params.restart_after > 0 and tally.iteration - tally.last_improvement >= params.restart_after:
            return STAGNATED
        it, cost, best, tol = tally.iteration + 1, tally.cost, tally.best_cost, params.tolerance
        forced = it - params.aspiration
        r = Round(
            it,
            cost,
            best,
            tally.overflow,
            tally.penalty,
            forced,
            best - tol - cost,
            tol,
            soft,
            budget_left(prob, state),
        )
        if soft:
            for loc in range(m):
                scratch.excess[loc] = max(state.load[loc] - prob.capacities[loc], 0)
        if prob.use_groups:
            group_leave_table(prob, state, scratch.leave_ok)
        choice = _best_swap(prob, state, scratch, r, NO_CHOICE)
        if prob.use_relocations:
            choice = _best_relocation(prob, state, scratch, r, choice)
        if prob.use_groups:
            choice = _best_block(prob, state, r, choice)
        if prob.use_exchanges:
            choice = _best_exchange(prob, state, scratch, r, choice)
        tally.iteration = it
        if choice.kind < 0:
            hard = not soft
            if not (has_any_move(prob, state, hard) or (prob.use_exchanges and has_any_exchange(prob, state, hard))):
                return NO_MOVE
            continue  # every move is forbidden: let the tabu list age
        _make_move(prob, state, params, randoms, choice, it)
        _settle(prob, state, params, r, cost + choice.delta)
    return RAN_ALL
