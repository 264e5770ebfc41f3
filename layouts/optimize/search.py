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
from typing import Literal

import numpy as np

from layouts.optimize import tabu
from layouts.optimize.kernels import cost_of
from layouts.optimize.problem import AssignmentProblem, IntArray, violations
from layouts.optimize.search_state import (
    CompiledProblem,
    SearchParams,
    SearchState,
    compile_problem,
    new_state,
    tally_of,
)

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


def search_params(problem: AssignmentProblem, settings: SearchSettings) -> SearchParams:
    """The numbers that steer the kernel, from the settings and the problem's size and scale."""
    n, m = problem.n_items, problem.n_locations
    factor = settings.restart_factor if problem.is_permutation else settings.placement_restart_factor
    exact = _is_exact(problem)
    scale = float(np.abs(problem.flows).sum() * np.abs(problem.distances).max(initial=0.0))
    return SearchParams(
        tenure_scale=float(settings.tenure_factor * n),
        aspiration=int(settings.aspiration_factor * n * m),
        recompute_every=0 if exact else 1000,
        tolerance=0.0 if exact else 1e-9 * max(1.0, scale),
        restart_after=int(factor * n * m),
        # The penalty per seat over capacity starts at the cost per seat of the whole assignment, roughly.
        penalty_base=max(scale, 1.0) / max(float(problem.sizes.sum()), 1.0),
        penalty_up=float(settings.penalty_up),
        penalty_down=float(settings.penalty_down),
        penalty_range=float(settings.penalty_range),
    )


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
    tally = tally_of(state)
    randoms = np.zeros(0)
    chunk = 8
    stopped: StopReason | None = None
    try:
        while stopped is None:
            if settings.target is not None and tally["best_cost"] <= settings.target:
                stopped = "target"
                break
            todo = chunk
            if settings.max_iterations is not None:
                todo = min(todo, settings.max_iterations - int(tally["iteration"]))
                if todo <= 0:
                    stopped = "iterations"
                    break
            if settings.deadline is not None and time.time() >= settings.deadline:
                stopped = "time"
                break
            if randoms.size - tally["random_pos"] < tabu.RANDOM_PER_ITERATION * todo:
                fresh = rng.random(tabu.RANDOM_PER_ITERATION * todo)
                randoms = np.concatenate([randoms[tally["random_pos"] :], fresh])
                tally["random_pos"] = 0
            began, before = time.perf_counter(), int(tally["iteration"])
            status = tabu.tabu_search_chunk(prob, state, params, randoms, todo)
            took, done = time.perf_counter() - began, int(tally["iteration"]) - before
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
                stopped = should_stop(float(tally["best_cost"]), int(tally["iteration"]))
    except KeyboardInterrupt:
        stopped = "interrupt"
    best = np.array(state.best_p)
    return Trajectory(
        assignment=best,
        cost=float(cost_of(prob.flows, prob.distances, prob.linear, best)),
        iterations=int(tally["iteration"]),
        best_iteration=int(tally["best_iteration"]),
        stopped_by=stopped,
        restarts=restarts,
    )


def _restart(
    problem: AssignmentProblem, prob: CompiledProblem, state: SearchState, rng: np.random.Generator, share: float
) -> None:
    """Start again from the best assignment with a share of the items moved at random (feasibly), in place."""
    n, m = problem.n_items, problem.n_locations
    p = np.array(state.best_p)
    tally = tally_of(state)
    free = problem.is_permutation and not (prob.use_mask or prob.use_conflicts or prob.use_groups or prob.use_budget)
    if prob.use_sizes:
        # Each restart switches between searching within capacity and crossing it at a penalty: each finds optima
        # the other misses on nearly full floors (measured on tests/bench/bench_stacking.py).
        tally["soft_capacity"] = not tally["soft_capacity"]
    # Over capacity at a penalty, the kick may overfill floors too: on floors filled to the last seat, a kick that
    # must keep within capacity can hardly move anything, and the search returns to the packing it left.
    capacity = not tally["soft_capacity"]
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
    for name in ("p", "G", "load", "conflict_count", "group_count", "group_distinct"):
        getattr(state, name)[...] = getattr(fresh, name)
    for name in ("cost", "moved", "overflow"):
        tally[name] = tally_of(fresh)[name]
    tally["last_improvement"] = tally["iteration"]


def repair_capacity(problem: AssignmentProblem, start: IntArray, rng: np.random.Generator) -> IntArray | None:
    """An assignment within capacity found from ``start``, which keeps every other constraint but may exceed
    capacities: the tabu search over capacity at a penalty, until it first reaches an assignment within it (None
    when REPAIR_ITERATIONS_PER_PAIR * n * m iterations do not)."""
    prob = compile_problem(problem)
    state = new_state(problem, prob, np.array(start, np.int64))
    tally = tally_of(state)
    tally["soft_capacity"] = True
    tally["best_cost"] = np.inf  # any assignment within capacity is a new best
    params = search_params(problem, SearchSettings())._replace(restart_after=0)
    budget = REPAIR_ITERATIONS_PER_PAIR * problem.n_items * problem.n_locations
    while tally["iteration"] < budget and not np.isfinite(tally["best_cost"]):
        todo = min(1000, budget - int(tally["iteration"]))
        randoms = rng.random(tabu.RANDOM_PER_ITERATION * todo)
        tally["random_pos"] = 0
        if tabu.tabu_search_chunk(prob, state, params, randoms, todo) == tabu.NO_MOVE:
            break
    if not np.isfinite(tally["best_cost"]):
        return None
    return np.array(state.best_p)
