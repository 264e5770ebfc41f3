"""solve(): optimal on small problems checked by enumeration, each constraint kept, deterministic, stoppable."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import threading
from collections.abc import Iterator

import numpy as np
import pytest

from layouts.optimize import AssignmentProblem, Progress, assignment_cost, greedy_start, search, solve, violations


def all_assignments(problem: AssignmentProblem, *, permutations: bool = False) -> np.ndarray:
    n, m = problem.n_items, problem.n_locations
    if permutations:
        return np.array(list(itertools.permutations(range(m), n)))
    return np.array(list(itertools.product(range(m), repeat=n)))


def brute_force(problem: AssignmentProblem, *, permutations: bool = False) -> float:
    """The least cost over every feasible assignment, by enumeration."""
    best = np.inf
    for p in all_assignments(problem, permutations=permutations):
        if not violations(problem, p):
            best = min(best, assignment_cost(problem, p))
    return float(best)


def unconstrained_best(problem: AssignmentProblem) -> np.ndarray:
    """The cheapest assignment ignoring every constraint."""
    options = all_assignments(problem)
    costs = [assignment_cost(problem, p) for p in options]
    return np.asarray(options[int(np.argmin(costs))])


def stacking(seed: int = 0, n: int = 7, m: int = 3) -> AssignmentProblem:
    """Units of 1-4 seats on floors with room for all: F symmetric, D asymmetric with walks on the diagonal."""
    rng = np.random.default_rng(seed)
    flows = rng.integers(1, 10, (n, n))
    distances = rng.integers(5, 16, (m, m)) + np.diag(np.arange(1, m + 1))
    return AssignmentProblem(
        flows + flows.T,
        distances,
        linear=rng.integers(0, 6, (n, m)),
        sizes=rng.integers(1, 5, n),
        capacities=[40] * m,
    )


def changed(problem: AssignmentProblem, **changes: object) -> AssignmentProblem:
    """The problem with some arguments replaced (checked again on construction)."""
    return dataclasses.replace(problem, **changes)  # type: ignore[arg-type]


def check_optimal(problem: AssignmentProblem, *, permutations: bool = False) -> None:
    solution = solve(problem, seed=1, max_iterations=3000)
    assert violations(problem, solution.assignment) == []
    assert solution.cost == pytest.approx(assignment_cost(problem, solution.assignment))
    assert solution.cost == pytest.approx(brute_force(problem, permutations=permutations))


def binding(problem: AssignmentProblem, **constraint: object) -> AssignmentProblem:
    """The problem with the constraint added, after checking that its unconstrained optimum breaks it."""
    constrained = changed(problem, **constraint)
    assert violations(constrained, unconstrained_best(problem)), "the constraint should bind"
    return constrained


def test_unconstrained() -> None:
    check_optimal(stacking())


def test_capacity() -> None:
    problem = stacking()
    check_optimal(binding(problem, capacities=[int(problem.sizes.sum()) // 2] * 3))


def test_allowed_locations() -> None:
    problem = stacking()
    best = unconstrained_best(problem)
    allowed = np.ones((7, 3), bool)
    allowed[[0, 1, 2], best[[0, 1, 2]]] = False  # three units may not be where they would be best
    allowed[3] = [False, False, True]  # one unit fixed to the third floor
    check_optimal(binding(problem, allowed=allowed))


def test_department_on_at_most_k_floors() -> None:
    problem = stacking(seed=2)
    half = int(problem.sizes.sum()) // 2 + 1
    spread = changed(problem, capacities=[half, half, half])
    groups = np.array([[True, True, True, True, False, False, False], [False] * 4 + [True] * 3])
    check_optimal(binding(spread, groups=groups, group_max_locations=[1, -1]))


def test_department_on_one_floor_moves_as_a_whole() -> None:
    """Moving one unit would split the department, so only moving its three units together reaches floor 1."""
    problem = AssignmentProblem(
        np.full((4, 4), 5.0),
        [[1.0, 9.0], [9.0, 1.0]],
        linear=[[10, 0], [10, 0], [10, 0], [0, 0]],
        sizes=[1, 1, 1, 1],
        capacities=[4, 4],
        groups=[[True, True, True, False]],
        group_max_locations=[1],
    )
    solution = solve(problem, seed=0, max_iterations=50, start=[0, 0, 0, 0])
    assert solution.assignment.tolist() == [1, 1, 1, 1]
    assert solution.cost == assignment_cost(problem, [1, 1, 1, 1]) == 16 * 5


def test_units_kept_apart() -> None:
    problem = stacking(seed=3)
    check_optimal(binding(problem, conflicts=[[0, 1], [1, 2], [0, 2], [3, 4]]))


def test_moved_people_budget() -> None:
    problem = stacking(seed=4)
    best = unconstrained_best(problem)
    baseline = (best + 1) % 3  # everyone is somewhere else today
    check_optimal(binding(problem, baseline=baseline, move_budget=int(problem.sizes.sum()) // 2))


def test_all_constraints_together() -> None:
    problem = stacking(seed=5)
    allowed = np.ones((7, 3), bool)
    allowed[6] = [True, False, False]
    constrained = changed(
        problem,
        capacities=[10, 9, 8],
        allowed=allowed,
        groups=np.array([[True, True, True, False, False, False, False]]),
        group_max_locations=[2],
        conflicts=[[3, 4], [5, 6]],
        baseline=[0, 0, 1, 1, 2, 2, 0],
        move_budget=6,
    )
    check_optimal(constrained)


def test_qap_with_forbidden_places_moves_by_swaps() -> None:
    rng = np.random.default_rng(6)
    flows = rng.integers(0, 10, (7, 7))
    allowed = rng.random((7, 7)) > 0.3
    allowed[np.arange(7), rng.permutation(7)] = True  # some permutation stays feasible
    problem = AssignmentProblem(flows, rng.integers(1, 20, (7, 7)), linear=rng.integers(0, 9, (7, 7)), allowed=allowed)
    check_optimal(problem, permutations=True)


def qap(n: int = 20, seed: int = 0) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 10, (n, 2))
    distances = np.abs(points[:, None, :] - points[None, :, :]).sum(axis=2)
    return AssignmentProblem(rng.integers(0, 10, (n, n)), distances)


def test_same_seed_same_answer() -> None:
    problem = stacking(seed=7, n=12, m=4)
    first = solve(problem, seed=42, max_iterations=500)
    second = solve(problem, seed=42, max_iterations=500)
    assert first.assignment.tolist() == second.assignment.tolist()
    assert (first.cost, first.iterations, first.best_iteration) == (
        second.cost,
        second.iterations,
        second.best_iteration,
    )
    assert first.stopped_by == "iterations" and first.iterations == 500 and first.seed == 42


def test_the_answer_does_not_depend_on_how_the_run_is_cut_into_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = stacking(seed=8, n=10, m=4)
    usual = solve(problem, seed=3, max_iterations=400)
    monkeypatch.setattr(search, "CHUNK_SECONDS", 1e-7)  # one or two iterations a chunk
    cut = solve(problem, seed=3, max_iterations=400)
    assert cut.assignment.tolist() == usual.assignment.tolist()
    assert (cut.cost, cut.best_iteration) == (usual.cost, usual.best_iteration)


def test_restarts_keep_the_search_feasible_and_repeatable(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = changed(
        stacking(seed=9, n=8, m=3),
        capacities=[12, 12, 12],
        conflicts=[[0, 1]],
        groups=np.array([[True, True, True, False, False, False, False, False]]),
        group_max_locations=[2],
    )
    # Units on floors: restart after 24 idle iterations.
    settings = search.SearchSettings(max_iterations=300, placement_restart_factor=1.0)
    start = greedy_start(problem)
    first = search.run_trajectory(problem, start, np.random.default_rng(1), settings)
    assert first.restarts > 3
    assert violations(problem, first.assignment) == []
    monkeypatch.setattr(search, "CHUNK_SECONDS", 1e-7)
    again = search.run_trajectory(problem, start, np.random.default_rng(1), settings)
    assert (again.assignment.tolist(), again.cost, again.restarts) == (
        first.assignment.tolist(),
        first.cost,
        first.restarts,
    )


def test_same_seed_same_answer_with_two_workers() -> None:
    problem = qap()
    runs = [solve(problem, seed=5, max_iterations=300, workers=2) for _ in range(2)]
    assert runs[0].assignment.tolist() == runs[1].assignment.tolist()
    assert (runs[0].cost, runs[0].worker, runs[0].iterations) == (runs[1].cost, runs[1].worker, runs[1].iterations)
    assert runs[0].iterations == 600 and runs[0].workers == 2
    # Worker 0 of several is the single-worker search.
    alone = solve(problem, seed=5, max_iterations=300)
    assert runs[0].cost <= alone.cost
    if runs[0].worker == 0:
        assert runs[0].assignment.tolist() == alone.assignment.tolist()


def test_seeds_are_drawn_when_not_given_and_reported() -> None:
    problem = qap(n=10)
    solution = solve(problem, max_iterations=50)
    again = solve(problem, max_iterations=50, seed=solution.seed)
    assert again.assignment.tolist() == solution.assignment.tolist()


def test_time_limit_stops_the_search() -> None:
    solution = solve(qap(n=40), seed=0, time_limit=0.3)
    assert solution.stopped_by == "time"
    assert 0.3 <= solution.elapsed < 2.0
    assert sorted(solution.assignment.tolist()) == list(range(40))


def test_callback_hears_progress_and_can_stop() -> None:
    heard: list[Progress] = []

    def listen(progress: Progress) -> bool:
        heard.append(progress)
        return progress.elapsed > 0.35

    solution = solve(qap(n=40), seed=0, time_limit=20, callback=listen)
    assert solution.stopped_by == "callback"
    assert len(heard) >= 3
    assert all(b.elapsed - a.elapsed < 0.25 for a, b in itertools.pairwise(heard))
    assert heard[-1].best_cost >= solution.cost
    assert [p.iterations for p in heard] == sorted(p.iterations for p in heard)


def test_target_ends_the_search() -> None:
    problem = qap(n=8)
    optimum = min(assignment_cost(problem, p) for p in itertools.permutations(range(8)))
    solution = solve(problem, seed=0, time_limit=30, target=optimum)
    assert solution.stopped_by == "target" and solution.cost == optimum


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as at a terminal, even where the test runner was started as a background
    job, which ignores it."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_keeps_the_best_assignment(workers: int) -> None:
    """SIGINT to the calling process, as a terminal's Ctrl-C: solve returns the best so far."""
    problem = qap(n=30)
    started = threading.Event()

    def interrupt_soon(progress: Progress) -> None:
        if not started.is_set():
            started.set()
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()

    solution = solve(problem, seed=0, time_limit=30, workers=workers, callback=interrupt_soon)
    assert solution.stopped_by == "interrupt"
    assert solution.elapsed < 10
    assert sorted(solution.assignment.tolist()) == list(range(30))
    assert solution.cost == assignment_cost(problem, solution.assignment)


def test_keyboard_interrupt_raised_by_the_callback_keeps_the_best() -> None:
    def stop(progress: Progress) -> None:
        raise KeyboardInterrupt

    solution = solve(qap(n=30), seed=0, time_limit=30, callback=stop)
    assert solution.stopped_by == "interrupt"
    assert sorted(solution.assignment.tolist()) == list(range(30))


def test_start_is_used_and_checked() -> None:
    problem = stacking()
    start = np.zeros(7, np.int64)
    solution = solve(problem, start=start, max_iterations=0)
    assert solution.assignment.tolist() == [0] * 7 and solution.cost == assignment_cost(problem, start)
    # Every worker starts from the caller's assignment, not only the first.
    worst = max(all_assignments(problem), key=lambda p: assignment_cost(problem, p))
    both = solve(problem, start=worst, max_iterations=0, workers=2)
    assert both.assignment.tolist() == worst.tolist() and both.worker == 0
    tight = changed(problem, capacities=[1, 40, 40])
    with pytest.raises(
        ValueError, match=r"the starting assignment is not feasible: .* exceed the 1 seats of location 0"
    ):
        solve(tight, start=start)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers must be at least 1"),
        ({"time_limit": 0}, "time_limit must be a positive number"),
        ({"max_iterations": -1}, "max_iterations must not be negative"),
    ],
)
def test_bad_options(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        solve(qap(n=5), **options)  # type: ignore[arg-type]


def test_a_single_item_has_nothing_to_do() -> None:
    problem = AssignmentProblem([[2.0]], [[3.0]])
    solution = solve(problem, seed=0, max_iterations=10)
    assert solution.assignment.tolist() == [0] and solution.cost == 6.0 and solution.stopped_by == "no_move"


def test_full_floors_trade_their_units() -> None:
    """Two full floors: A and B (1 seat each) would rather be on 6F, C (2 seats) on 5F. No swap or relocation keeps
    the capacities; exchanging the floors' units (or crossing capacity for a moment) gets there."""
    problem = AssignmentProblem(
        np.zeros((3, 3)),
        np.zeros((2, 2)),
        linear=[[5, 0], [5, 0], [0, 5]],
        sizes=[1, 1, 2],
        capacities=[2, 2],
    )
    solution = solve(problem, seed=0, max_iterations=20, start=[0, 0, 1])
    assert solution.assignment.tolist() == [1, 1, 0] and solution.cost == 0


@pytest.mark.parametrize("seed", range(3))
def test_nearly_full_floors(seed: int) -> None:
    """Units of 1-4 seats filling three floors to the last seat but one or two."""
    problem = stacking(seed=20 + seed, n=7, m=3)
    total = int(problem.sizes.sum())
    check_optimal(changed(problem, capacities=[total // 3 + 1, total // 3 + 1, total - 2 * (total // 3)]))
