"""solve(): robust tabu search on an AssignmentProblem, in one process or in several independent workers.

Each worker w runs one trajectory (search.py, tabu.py) from its own start, with random numbers from
``numpy.random.default_rng(SeedSequence(seed, spawn_key=(w,)))``; the best result is chosen by cost, then by the
lower worker index. So for a given seed, number of workers and iteration budget the answer is always the same, and
worker 0 of several is the single-worker run. A time limit, the callback or Ctrl-C may cut the search short: the
best assignment found so far is returned, and ``stopped_by`` says why it stopped.

The clock starts when the compiled kernels are ready (warm.py): compiling them on a first run, or loading them from
numba's cache, counts against no time limit and is reported apart (``Solution.warm_up``). Worker processes get
theirs ready before they take work, while the search runs here; one still not done a moment (LATE_GRACE) after
the search has been stopped is left out of the answer rather than waited for.

With several workers the worker processes ignore SIGINT: a Ctrl-C reaches the calling process, which tells the
workers to stop through a shared event and collects their best assignments. The workers are started with the
"spawn" method (safe in a threaded program, the same on every platform), so a script that calls solve with
workers > 1 needs the usual ``if __name__ == "__main__":`` guard.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from queue import Empty
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from layouts.errors import Infeasible
from layouts.optimize.construction import check_feasible_start, greedy_start
from layouts.optimize.problem import AssignmentProblem, IntArray
from layouts.optimize.search import SearchSettings, StopReason, Trajectory, run_trajectory
from layouts.optimize.warm import warm_up

#: Without a time limit or an iteration budget, a search runs this many iterations per item (at least the minimum).
DEFAULT_ITERATIONS_PER_ITEM = 1000
MIN_DEFAULT_ITERATIONS = 10_000
#: How often the callback hears of progress, at most.
PROGRESS_EVERY = 0.1
#: Seconds the caller waits for a worker once the search has been stopped (time, callback, Ctrl-C, target); a
#: worker still getting its kernels ready by then is left out. One that is searching stops within a chunk.
LATE_GRACE = 0.5


@dataclass(frozen=True)
class Progress:
    """How a search is going: the best cost so far, iterations done (all workers), seconds since it began."""

    best_cost: float
    iterations: int
    elapsed: float


@dataclass(frozen=True)
class Solution:
    """The best assignment found (``assignment[i]`` is item i's location) and how the search went."""

    assignment: IntArray
    cost: float
    iterations: int  # over all workers
    elapsed: float  # seconds, from when the kernels were ready (what a time limit bounds)
    stopped_by: StopReason  # iterations, time, callback, interrupt, target or no_move
    seed: int  # the seed used (drawn at random when none was given)
    workers: int
    worker: int  # the worker that found the assignment
    best_iteration: int  # the iteration of that worker at which it was found
    restarts: int  # how often that worker restarted from a perturbed best
    warm_up: float = 0.0  # seconds spent before the clock started, compiling or loading the kernels (warm.py)
    finished: int = 1  # the workers whose results were in time to count (see LATE_GRACE)


Callback = Callable[[Progress], bool | None]


def solve(
    problem: AssignmentProblem,
    *,
    seed: int | None = None,
    time_limit: float | None = None,
    max_iterations: int | None = None,
    workers: int = 1,
    start: ArrayLike | None = None,
    callback: Callback | None = None,
    target: float | None = None,
) -> Solution:
    """Minimise ``assignment_cost(problem, p)`` over the feasible assignments p by robust tabu search.

    ``max_iterations`` is per worker; without it and without ``time_limit`` a search runs
    DEFAULT_ITERATIONS_PER_ITEM iterations per item. ``start`` is a feasible assignment to start from (else a
    greedy construction, or a random permutation for an unconstrained QAP). ``callback(progress)`` is called
    about every PROGRESS_EVERY seconds; returning True stops the search. ``target``: stop once a cost at or below
    it is found (a known optimum). Raises ValueError for bad options or an infeasible ``start``, and
    layouts.errors.Infeasible, naming the blocking constraint, when no feasible assignment can be built.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit}")
    if max_iterations is not None and max_iterations < 0:
        raise ValueError(f"max_iterations must not be negative, got {max_iterations}")
    if max_iterations is None and time_limit is None:
        max_iterations = default_iterations(problem.n_items)
    if seed is None:
        seed = int(np.random.default_rng().integers(2**63))  # fresh entropy, reported so the run can be repeated
    ready = warm_up()  # before the clock: compiling the kernels counts against nothing the caller asked for
    began = time.perf_counter()
    settings = SearchSettings(
        max_iterations=max_iterations,
        deadline=None if time_limit is None else time.time() + time_limit,
        target=target,
    )
    # Built here, not in the workers, so that an infeasible problem is reported at once and by the caller's process.
    if start is not None:
        first = StartPlan(check_feasible_start(problem, np.asarray(start)), for_all=True)
    else:
        first = StartPlan(None if _is_free_permutation(problem) else greedy_start(problem), for_all=False)
    if workers == 1:
        trajectories, stopped = _run_here(problem, first, seed, settings, callback, began)
    else:
        trajectories, stopped = _run_in_processes(problem, first, seed, settings, workers, callback, began)
    best = min(trajectories, key=lambda w: (trajectories[w].cost, w))
    chosen = trajectories[best]
    return Solution(
        assignment=chosen.assignment,
        cost=chosen.cost,
        iterations=sum(t.iterations for t in trajectories.values()),
        elapsed=time.perf_counter() - began,
        stopped_by=stopped or chosen.stopped_by,
        seed=seed,
        workers=workers,
        worker=best,
        best_iteration=chosen.best_iteration,
        restarts=chosen.restarts,
        warm_up=ready.seconds,
        finished=len(trajectories),
    )


def default_iterations(n_items: int) -> int:
    """The iteration budget of a search given neither a time limit nor a budget."""
    return max(MIN_DEFAULT_ITERATIONS, DEFAULT_ITERATIONS_PER_ITEM * n_items)


def worker_rng(seed: int, worker: int) -> np.random.Generator:
    """The random numbers of worker ``worker`` of a search seeded by ``seed``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(worker,)))


def _is_free_permutation(problem: AssignmentProblem) -> bool:
    """A QAP without further constraints: every permutation is feasible."""
    return (
        problem.is_permutation
        and bool(problem.allowed.all())
        and len(problem.conflicts) == 0
        and not bool((problem.group_max_locations >= 0).any())
        and (problem.move_budget < 0 or not bool((problem.baseline >= 0).any()))
    )


@dataclass(frozen=True)
class StartPlan:
    """Where the workers start: the caller's assignment (for all), or worker 0's greedy start (the others build
    their own from shuffled orders), or None: each draws a random permutation."""

    assignment: IntArray | None
    for_all: bool


def _worker_start(problem: AssignmentProblem, worker: int, first: StartPlan, rng: np.random.Generator) -> IntArray:
    if first.assignment is not None and (worker == 0 or first.for_all):
        return first.assignment
    if _is_free_permutation(problem):
        return rng.permutation(problem.n_items).astype(np.int64)
    try:
        return greedy_start(problem, rng)
    except Infeasible:
        if first.assignment is None:
            raise
        return first.assignment  # the shuffled tries failed where the first did not: start where worker 0 starts


def _trajectory(
    problem: AssignmentProblem,
    worker: int,
    first: StartPlan,
    seed: int,
    settings: SearchSettings,
    should_stop: Callable[[float, int], StopReason | None] | None,
) -> Trajectory:
    rng = worker_rng(seed, worker)
    start = _worker_start(problem, worker, first, rng)
    return run_trajectory(problem, start, rng, settings, should_stop=should_stop)


def _run_here(
    problem: AssignmentProblem,
    first: StartPlan,
    seed: int,
    settings: SearchSettings,
    callback: Callback | None,
    began: float,
) -> tuple[dict[int, Trajectory], StopReason | None]:
    last = [began]

    def should_stop(best_cost: float, iterations: int) -> StopReason | None:
        now = time.perf_counter()
        if callback is None or now - last[0] < PROGRESS_EVERY:
            return None
        last[0] = now
        return "callback" if callback(Progress(best_cost, iterations, now - began)) else None

    return {0: _trajectory(problem, 0, first, seed, settings, should_stop)}, None


# The stop event and progress queue of a worker process, set by its initializer.
_worker_stop: Event | None = None
_worker_queue: Any = None


#: The futures, stop events and queues of workers left out (LATE_GRACE): a worker process still starting reads the
#: event and queue by name, which vanish once the caller lets go of them; kept until those workers are done.
_left_out: list[tuple[list[Future[Trajectory]], Event, Any]] = []


def _init_worker(stop: Event, queue: Any) -> None:
    global _worker_stop, _worker_queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the calling process handles Ctrl-C and tells us to stop
    _worker_stop, _worker_queue = stop, queue
    warm_up()  # loaded from the cache the caller's warm-up filled, before this worker takes its trajectory


def _run_worker(
    problem: AssignmentProblem, worker: int, first: StartPlan, seed: int, settings: SearchSettings
) -> Trajectory:
    stop, queue = _worker_stop, _worker_queue
    assert stop is not None
    last = [0.0]

    def should_stop(best_cost: float, iterations: int) -> StopReason | None:
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_EVERY / 2:
            last[0] = now
            queue.put((worker, best_cost, iterations))
        if settings.target is not None and best_cost <= settings.target:
            stop.set()
        return "interrupt" if stop.is_set() else None

    result = _trajectory(problem, worker, first, seed, settings, should_stop)
    if result.stopped_by == "target":
        stop.set()
    queue.put((worker, result.cost, result.iterations))
    return result


def _run_in_processes(
    problem: AssignmentProblem,
    first: StartPlan,
    seed: int,
    settings: SearchSettings,
    workers: int,
    callback: Callback | None,
    began: float,
) -> tuple[dict[int, Trajectory], StopReason | None]:
    """Worker 0 runs here while the others start in processes of their own (spawning one takes a second or more,
    which a short search cannot spare); the calling process also relays progress and Ctrl-C."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    queue = context.Queue()
    best = [np.inf] * workers
    done = [0] * workers
    stopped: list[StopReason | None] = [None]
    last = [began]

    def relay(own_cost: float, own_iterations: int) -> None:
        """Take in the workers' progress and tell the caller, at most every PROGRESS_EVERY seconds."""
        best[0], done[0] = own_cost, own_iterations
        try:
            while True:
                worker, cost, iterations = queue.get_nowait()
                best[worker], done[worker] = min(best[worker], cost), iterations
        except Empty:
            pass
        now = time.perf_counter()
        if callback is not None and now - last[0] >= PROGRESS_EVERY and stopped[0] is None:
            last[0] = now
            if callback(Progress(min(best), sum(done), now - began)):
                stopped[0] = "callback"
                stop.set()

    def should_stop(best_cost: float, iterations: int) -> StopReason | None:
        relay(best_cost, iterations)
        if stop.is_set():
            return stopped[0] or "interrupt"
        return None

    pool = ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_init_worker, initargs=(stop, queue))
    try:
        with _sigint_ignored():  # the workers are born ignoring Ctrl-C, even before their initializer runs
            futures: list[Future[Trajectory]] = [
                pool.submit(_run_worker, problem, w, first, seed, settings) for w in range(1, workers)
            ]
        own = _trajectory(problem, 0, first, seed, settings, should_stop)
        if own.stopped_by == "interrupt" and stopped[0] is None:
            stopped[0] = "interrupt"  # Ctrl-C reached the search here; the others stop too
        if own.stopped_by in ("interrupt", "target", "callback"):
            stop.set()
        cut_off: float | None = None  # when a worker not done yet is given up (LATE_GRACE after the search stopped)
        while not all(f.done() for f in futures):
            past_deadline = settings.deadline is not None and time.time() >= settings.deadline
            if cut_off is None and (past_deadline or stop.is_set()):
                cut_off = time.perf_counter() + LATE_GRACE
            if cut_off is not None and time.perf_counter() >= cut_off:
                stop.set()  # a latecomer that gets its kernels ready after all returns at once
                break
            try:
                try:
                    worker, cost, iterations = queue.get(timeout=PROGRESS_EVERY / 2)
                    best[worker], done[worker] = min(best[worker], cost), iterations
                except Empty:
                    pass
                relay(own.cost, own.iterations)
            except KeyboardInterrupt:
                stopped[0] = "interrupt"
                stop.set()
        results = {0: own} | {w: f.result() for w, f in enumerate(futures, start=1) if f.done() and not f.cancelled()}
        _left_out[:] = [entry for entry in _left_out if not all(f.done() for f in entry[0])]
        if len(results) < workers:
            _left_out.append((futures, stop, queue))
        _drain(queue)  # so that no worker waits on a full pipe when it exits
    finally:
        # The idle workers wind down in the background: the caller has its answer without waiting for them.
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
    queue.close()
    return results, stopped[0]


def _drain(queue: Any) -> None:
    try:
        while True:
            queue.get_nowait()
    except Empty:
        pass


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT for a moment (only the main thread may change signal handlers; elsewhere, do nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
