"""One search trajectory: the compiled problem, its state, and the loop that runs the kernel chunk by chunk.

A chunk is a short call into the compiled tabu search (a few tens of milliseconds); between chunks the loop checks
the clock, the iteration budget, the stop signal and the caller's callback, and tops up the buffer of random
numbers. When the search has gone restart_factor * n * m iterations without a new best, the trajectory restarts
from its best assignment with a share of the items moved at random (feasibly): an iterated tabu search. The random
numbers come from one numpy Generator, consumed in order, so a run with an iteration budget is the same however
the clock cut it into chunks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from layouts.optimize import kernels as k
from layouts.optimize import tabu
from layouts.optimize.problem import AssignmentProblem, IntArray, violations

StopReason = Literal["iterations", "time", "callback", "interrupt", "target", "no_move"]

#: Costs up to this size add up exactly in float64 when all the data are whole numbers.
EXACT_LIMIT = 2.0**50
CHUNK_SECONDS = 0.05
#: The iterations per item and location that repair_capacity may take.
REPAIR_ITERATIONS_PER_PAIR = 200


@dataclass(frozen=True)
class SearchSettings:
    """The knobs of one trajectory.

    The defaults were chosen on the QAPLIB benchmark (tests/bench/bench_qap.py, 10 s a run): Taillard's tenure
    scale of 8 n finds the structured optima quickest but stalls on the random tai..a instances; 2 n with restarts
    from a perturbed best after 5 n m idle iterations brought the mean gap of tai50a-tai100a from 0.96 % to 0.61 %
    and solved chr25a, the hardest small instance for tabu search, in every run instead of most. Units on floors
    (tests/bench/bench_stacking.py) wait 20 n m idle iterations instead: on the three tight packings 5 s runs
    missed most often, 12 seeds each reached the optimum 30 times in 36 against 24 with 5 n m (10 and 50: 30, 29).
    """

    max_iterations: int | None = None
    deadline: float | None = None  # time.time() at which to stop
    target: float | None = None  # stop as soon as the best cost is at or below this
    tenure_factor: float = 2.0  # the tabu tenure is u**3 * tenure_factor * n
    aspiration_factor: float = 5.0  # a move unseen for aspiration_factor * n * m iterations is forced
    restart_factor: float = 5.0  # restart from a perturbed best after restart_factor * n * m idle iterations (0: never)
    # The same for units on floors (not a permutation): tight packings need a longer search before a restart.
    placement_restart_factor: float = 20.0
    perturbation: float = 0.25  # the share of items a restart moves at random
    penalty_up: float = 1.1  # over capacity, the penalty per seat grows by this factor each iteration
    penalty_down: float = 1.02  # within capacity, it shrinks by this factor each iteration
    penalty_range: float = 1000.0  # between the base penalty divided and multiplied by this


@dataclass(frozen=True)
class Trajectory:
    """What one trajectory found."""

    assignment: IntArray
    cost: float
    iterations: int
    best_iteration: int
    stopped_by: StopReason
    restarts: int


def compile_problem(problem: AssignmentProblem) -> tuple[Any, ...]:
    """The problem's arrays in the layout the kernels read (see kernels.py)."""
    n = problem.n_items
    F, D = problem.flows, problem.distances
    # Always a writable copy, as every array here: a 1 x 1 D.T is contiguous already, and a read-only view of it
    # would be another argument type to numba, compiled again (warm.py compiles these types only).
    DT = np.array(D.T, order="C")
    conf = np.zeros((n, n), np.bool_)
    for a, b in problem.conflicts:
        conf[a, b] = conf[b, a] = True
    cptr, cidx = _csr(conf)
    # The constrained groups: limited to k locations, or to adjacent levels (then k = m when no limit is given).
    constrained = (problem.group_max_locations >= 0) | problem.group_adjacent
    member = np.ascontiguousarray(problem.groups[constrained])
    limits = problem.group_max_locations[constrained]
    gmax = np.where(limits >= 0, limits, problem.n_locations).astype(np.int64)
    adjacent = problem.group_adjacent[constrained].astype(np.int64)
    levels = problem.location_levels - problem.location_levels.min(initial=0)
    gptr, gidx = _csr(np.ascontiguousarray(member.T))  # the constrained groups of each item
    mptr, midx = _csr(member)  # the members of each constrained group
    sizes, caps = problem.sizes, problem.capacities
    positive = sizes[sizes > 0]
    free = int(caps.sum() - sizes.sum())
    use_budget = problem.move_budget >= 0 and bool((problem.baseline >= 0).any())
    flags = np.zeros(10, np.int64)
    flags[k.USE_MASK] = not bool(problem.allowed.all())
    flags[k.USE_CONFLICTS] = len(problem.conflicts) > 0
    flags[k.USE_GROUPS] = member.shape[0] > 0
    flags[k.USE_BUDGET] = use_budget
    flags[k.BUDGET] = problem.move_budget
    flags[k.SYMMETRIC_D] = bool((D == DT).all())
    flags[k.USE_RELOCATIONS] = positive.size < n or (positive.size > 0 and free >= int(positive.min()))
    flags[k.USE_SIZES] = bool((sizes != sizes[0]).any()) if n else False
    # Items of different sizes on nearly full locations: few swaps and relocations keep every capacity, so the
    # search may go over capacity at a penalty (and only assignments within capacity count as found).
    flags[k.SOFT_CAPACITY] = flags[k.USE_SIZES]
    flags[k.USE_RELOCATIONS] |= flags[k.SOFT_CAPACITY]  # over capacity, relocations may be made when none fits
    # Exchanges of whole locations (floors trading their units); in a QAP they are the swaps.
    flags[k.USE_EXCHANGES] = not problem.is_permutation and problem.n_locations > 1
    return (
        np.array(F),
        np.array(F + F.T),
        np.array(D),
        DT,
        np.array(D + D.T),
        np.array(np.diag(D)),
        np.array(problem.linear),
        np.array(sizes),
        np.array(caps),
        np.array(problem.allowed),
        conf,
        cptr,
        cidx,
        gptr,
        gidx,
        member,
        gmax,
        np.array(problem.baseline),
        flags,
        mptr,
        midx,
        np.array(problem.move_sizes),
        adjacent,
        np.array(levels, np.int64),
    )


def new_state(problem: AssignmentProblem, prob: tuple[Any, ...], start: IntArray) -> tuple[Any, ...]:
    """The search state for a feasible starting assignment: tables, counts, tabu list, best so far."""
    n, m = problem.n_items, problem.n_locations
    p = np.array(start, np.int64)
    F, D, L = prob[k.P_F], prob[k.P_D], prob[k.P_L]
    G = k.contributions(F, D, L, p)
    load = np.bincount(p, weights=problem.sizes, minlength=m).astype(np.int64)
    conf = prob[k.P_CONFLICT]
    cc = np.zeros((n, m), np.int64)
    for i in range(n):
        np.add.at(cc[i], p[conf[i]], 1)
    member = prob[k.P_MEMBER]
    gcount = np.zeros((member.shape[0], m), np.int64)
    for g in range(member.shape[0]):
        np.add.at(gcount[g], p[member[g]], 1)
    gdistinct = (gcount > 0).sum(axis=1).astype(np.int64)
    # Staggered so that the long-term aspiration does not force every move at once (as in Taillard's code).
    tabu = -(np.arange(n, dtype=np.int64)[:, None] * m + np.arange(m, dtype=np.int64)[None, :] + 1)
    cost = k.cost_of(F, D, L, p)
    fstate = np.array([cost, cost, 0.0], np.float64)  # the penalty is set by the kernel from the parameters
    has_base = problem.baseline >= 0
    moved = int(problem.move_sizes[has_base & (p != problem.baseline)].sum())
    overflow = int(np.maximum(load - problem.capacities, 0).sum())
    istate = np.array([0, moved, 0, 0, 0, overflow], np.int64)
    return (p, G, load, cc, gcount, gdistinct, tabu, p.copy(), fstate, istate)


def search_params(problem: AssignmentProblem, settings: SearchSettings) -> np.ndarray[Any, np.dtype[np.float64]]:
    n, m = problem.n_items, problem.n_locations
    params = np.zeros(tabu.N_PARAMS, np.float64)
    factor = settings.restart_factor if problem.is_permutation else settings.placement_restart_factor
    params[tabu.RESTART_AFTER] = factor * n * m
    params[tabu.TENURE_SCALE] = settings.tenure_factor * n
    params[tabu.ASPIRATION] = settings.aspiration_factor * n * m
    exact = _is_exact(problem)
    params[tabu.RECOMPUTE_EVERY] = 0 if exact else 1000
    scale = float(np.abs(problem.flows).sum() * np.abs(problem.distances).max(initial=0.0))
    params[tabu.TOLERANCE] = 0.0 if exact else 1e-9 * max(1.0, scale)
    # The penalty per seat over capacity starts at the cost per seat of the whole assignment, roughly.
    params[tabu.PENALTY_BASE] = max(scale, 1.0) / max(float(problem.sizes.sum()), 1.0)
    params[tabu.PENALTY_UP] = settings.penalty_up
    params[tabu.PENALTY_DOWN] = settings.penalty_down
    params[tabu.PENALTY_RANGE] = settings.penalty_range
    return params


def _is_exact(problem: AssignmentProblem) -> bool:
    """Whether every cost and delta is a whole number small enough for float64 to add up exactly."""
    whole = all(bool((a == np.round(a)).all()) for a in (problem.flows, problem.distances, problem.linear))
    bound = float(np.abs(problem.flows).sum() * np.abs(problem.distances).max(initial=0.0))
    bound += float(np.abs(problem.linear).max(axis=1, initial=0.0).sum())
    return whole and 4 * bound < EXACT_LIMIT


def run_trajectory(
    problem: AssignmentProblem,
    start: IntArray,
    rng: np.random.Generator,
    settings: SearchSettings,
    *,
    should_stop: Callable[[float, int], StopReason | None] | None = None,
) -> Trajectory:
    """Robust tabu search with restarts from a feasible start until the budget, the deadline, the target or
    should_stop ends it.

    ``should_stop(best_cost, iterations)`` is asked between chunks; a KeyboardInterrupt during the run ends it
    with the best assignment found so far (stopped_by "interrupt").
    """
    prob = compile_problem(problem)
    state = new_state(problem, prob, start)
    params = search_params(problem, settings)
    perturb = np.random.default_rng(rng.integers(2**63))  # drawn first, so restarts do not depend on chunking
    restarts = 0
    fstate, istate, best_p = state[k.S_FLOAT], state[k.S_INT], state[k.S_BEST_P]
    randoms = np.zeros(0)
    chunk = 8
    stopped: StopReason | None = None
    try:
        while stopped is None:
            if settings.target is not None and fstate[k.BEST_COST] <= settings.target:
                stopped = "target"
                break
            todo = chunk
            if settings.max_iterations is not None:
                todo = min(todo, settings.max_iterations - int(istate[k.ITERATION]))
                if todo <= 0:
                    stopped = "iterations"
                    break
            if settings.deadline is not None and time.time() >= settings.deadline:
                stopped = "time"
                break
            if randoms.size - istate[k.RANDOM_POS] < tabu.RANDOM_PER_ITERATION * todo:
                fresh = rng.random(tabu.RANDOM_PER_ITERATION * todo)
                randoms = np.concatenate([randoms[istate[k.RANDOM_POS] :], fresh])
                istate[k.RANDOM_POS] = 0
            began, before = time.perf_counter(), int(istate[k.ITERATION])
            status = tabu.tabu_search_chunk(prob, state, params, randoms, todo)
            took, done = time.perf_counter() - began, int(istate[k.ITERATION]) - before
            if status == tabu.NO_MOVE:
                stopped = "no_move"
                break
            if status == tabu.STAGNATED:
                _restart(problem, prob, state, perturb, settings.perturbation)
                restarts += 1
            # Aim for chunks of about CHUNK_SECONDS at the rate measured, growing by at most a factor of 4.
            if done == todo:
                chunk = max(1, min(chunk * 4, int(done * CHUNK_SECONDS / max(took, 1e-6))))
            if should_stop is not None:
                stopped = should_stop(float(fstate[k.BEST_COST]), int(istate[k.ITERATION]))
    except KeyboardInterrupt:
        stopped = "interrupt"
    best = np.array(best_p)
    return Trajectory(
        assignment=best,
        cost=float(k.cost_of(prob[k.P_F], prob[k.P_D], prob[k.P_L], best)),
        iterations=int(istate[k.ITERATION]),
        best_iteration=int(istate[k.BEST_ITERATION]),
        stopped_by=stopped,
        restarts=restarts,
    )


def _restart(
    problem: AssignmentProblem, prob: tuple[Any, ...], state: tuple[Any, ...], rng: np.random.Generator, share: float
) -> None:
    """Start again from the best assignment with a share of the items moved at random (feasibly), in place."""
    n, m = problem.n_items, problem.n_locations
    p = np.array(state[k.S_BEST_P])
    flags = prob[k.P_FLAGS]
    free = problem.is_permutation and not flags[[k.USE_MASK, k.USE_CONFLICTS, k.USE_GROUPS, k.USE_BUDGET]].any()
    if flags[k.USE_SIZES]:
        # Each restart switches between searching within capacity and crossing it at a penalty: each finds optima
        # the other misses on nearly full floors (measured on tests/bench/bench_stacking.py).
        flags[k.SOFT_CAPACITY] = 1 - flags[k.SOFT_CAPACITY]
    # Over capacity at a penalty, the kick may overfill floors too: on floors filled to the last seat, a kick that
    # must keep within capacity can hardly move anything, and the search returns to the packing it left.
    capacity = not flags[k.SOFT_CAPACITY]
    for _ in range(max(2, int(share * n))):
        q = p.copy()
        i, j = rng.choice(n, 2, replace=False)
        if rng.random() < 0.5 or problem.is_permutation:
            q[i], q[j] = p[j], p[i]
        else:
            q[i] = rng.integers(m)
        if free or not violations(problem, q, capacity=capacity):
            p = q
    fresh = new_state(problem, prob, p)
    for index in (k.S_P, k.S_G, k.S_LOAD, k.S_CC, k.S_GCOUNT, k.S_GDISTINCT):
        state[index][...] = fresh[index]
    istate = state[k.S_INT]
    state[k.S_FLOAT][k.COST] = fresh[k.S_FLOAT][k.COST]
    istate[k.MOVED] = fresh[k.S_INT][k.MOVED]
    istate[k.OVERFLOW] = fresh[k.S_INT][k.OVERFLOW]
    istate[k.LAST_IMPROVEMENT] = istate[k.ITERATION]


def repair_capacity(problem: AssignmentProblem, start: IntArray, rng: np.random.Generator) -> IntArray | None:
    """An assignment within capacity found from ``start``, which keeps every other constraint but may exceed
    capacities: the tabu search over capacity at a penalty, until it first reaches an assignment within it (None
    when REPAIR_ITERATIONS_PER_PAIR * n * m iterations do not)."""
    prob = compile_problem(problem)
    prob[k.P_FLAGS][k.SOFT_CAPACITY] = 1
    state = new_state(problem, prob, np.array(start, np.int64))
    state[k.S_FLOAT][k.BEST_COST] = np.inf  # any assignment within capacity is a new best
    params = search_params(problem, SearchSettings())
    params[tabu.RESTART_AFTER] = 0
    budget = REPAIR_ITERATIONS_PER_PAIR * problem.n_items * problem.n_locations
    istate = state[k.S_INT]
    while istate[k.ITERATION] < budget and not np.isfinite(state[k.S_FLOAT][k.BEST_COST]):
        todo = min(1000, budget - int(istate[k.ITERATION]))
        randoms = rng.random(tabu.RANDOM_PER_ITERATION * todo)
        istate[k.RANDOM_POS] = 0
        if tabu.tabu_search_chunk(prob, state, params, randoms, todo) == tabu.NO_MOVE:
            break
    if not np.isfinite(state[k.S_FLOAT][k.BEST_COST]):
        return None
    return np.array(state[k.S_BEST_P])


def _csr(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> tuple[IntArray, IntArray]:
    """Row pointers and column indices of the True entries of a boolean matrix."""
    counts = mask.sum(axis=1)
    ptr = np.zeros(mask.shape[0] + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    idx = np.nonzero(mask)[1].astype(np.int64)
    return ptr, idx
