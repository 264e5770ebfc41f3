"""The move and swap deltas, plain and compiled, against rescoring the whole assignment."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from layouts.optimize import AssignmentProblem, assignment_cost, exchange, kernels
from layouts.optimize import deltas as ref
from layouts.optimize.search import compile_problem, new_state


def random_problem(seed: int, n: int = 6, m: int = 4, *, symmetric: bool = False) -> AssignmentProblem:
    """Asymmetric F and D (unless ``symmetric``) with non-zero diagonals, a linear term, room for relocations."""
    rng = np.random.default_rng(seed)
    flows = rng.integers(0, 10, (n, n)).astype(float)
    distances = rng.integers(1, 20, (m, m)).astype(float) + rng.random((m, m))
    if symmetric:
        flows, distances = flows + flows.T, distances + distances.T
    return AssignmentProblem(flows, distances, linear=rng.random((n, m)) * 30, capacities=[n] * m)


def random_assignment(problem: AssignmentProblem, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, problem.n_locations, problem.n_items)


def moved(p: np.ndarray, i: int, b: int) -> np.ndarray:
    q = p.copy()
    q[i] = b
    return q


def swapped(p: np.ndarray, i: int, j: int) -> np.ndarray:
    q = p.copy()
    q[i], q[j] = p[j], p[i]
    return q


@pytest.mark.parametrize("seed", range(5))
def test_reference_deltas_match_rescoring(seed: int) -> None:
    problem = random_problem(seed)
    p = random_assignment(problem, seed)
    before = assignment_cost(problem, p)
    for i, b in itertools.product(range(problem.n_items), range(problem.n_locations)):
        expected = assignment_cost(problem, moved(p, i, b)) - before
        assert ref.move_delta(problem, list(p), i, b) == pytest.approx(expected, abs=1e-9)
    for i, j in itertools.combinations(range(problem.n_items), 2):
        expected = assignment_cost(problem, swapped(p, i, j)) - before
        assert ref.swap_delta(problem, list(p), i, j) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("seed", "symmetric"), [(0, False), (1, False), (2, True), (3, True)])
def test_compiled_deltas_match_rescoring(seed: int, symmetric: bool) -> None:
    problem = random_problem(seed, symmetric=symmetric)
    p = random_assignment(problem, seed + 10)
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    G = state[kernels.S_G]
    assert np.allclose(G, ref.contribution_table(problem, list(p)))
    before = assignment_cost(problem, p)
    for i, b in itertools.product(range(problem.n_items), range(problem.n_locations)):
        expected = assignment_cost(problem, moved(p, i, b)) - before
        assert kernels.move_delta(prob, G, p, i, b) == pytest.approx(expected, abs=1e-9)
    for i, j in itertools.combinations(range(problem.n_items), 2):
        if p[i] != p[j]:
            expected = assignment_cost(problem, swapped(p, i, j)) - before
            assert kernels.swap_delta(prob, G, p, i, j) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("symmetric", [False, True])
def test_updates_keep_the_table_exact(symmetric: bool) -> None:
    """After a chain of moves and swaps the maintained table equals the one built from scratch."""
    problem = random_problem(7, n=8, m=5, symmetric=symmetric)
    p = random_assignment(problem, 3)
    prob = compile_problem(problem)
    assert prob[kernels.P_FLAGS][kernels.SYMMETRIC_D] == symmetric
    state = new_state(problem, prob, p)
    rng = np.random.default_rng(0)
    for step in range(40):
        current = state[kernels.S_P].copy()
        if step % 2:
            i, b = int(rng.integers(problem.n_items)), int(rng.integers(problem.n_locations))
            kernels.apply_move(prob, state, i, b)
            current[i] = b
        else:
            i, j = (int(x) for x in rng.choice(problem.n_items, 2, replace=False))
            if current[i] == current[j]:
                continue
            kernels.apply_swap(prob, state, i, j)
            current = swapped(current, i, j)
        assert state[kernels.S_P].tolist() == current.tolist()
        assert np.allclose(state[kernels.S_G], ref.contribution_table(problem, list(current)))
        assert state[kernels.S_LOAD].tolist() == np.bincount(current, weights=problem.sizes, minlength=5).tolist()


def test_qap_swap_delta_by_hand() -> None:
    """n = 3, p = identity, swapping items 0 and 1 of A = [[0,1,2],[1,0,3],[2,3,0]], B = [[0,4,5],[4,0,6],[5,6,0]]:
    cost(identity) = 2 * (1*4 + 2*5 + 3*6) = 64; after the swap p = (1, 0, 2): 2 * (1*4 + 2*6 + 3*5) = 62."""
    A = [[0, 1, 2], [1, 0, 3], [2, 3, 0]]
    B = [[0, 4, 5], [4, 0, 6], [5, 6, 0]]
    problem = AssignmentProblem(A, B)
    assert assignment_cost(problem, [0, 1, 2]) == 64
    assert ref.swap_delta(problem, [0, 1, 2], 0, 1) == -2
    prob = compile_problem(problem)
    state = new_state(problem, prob, np.arange(3))
    assert kernels.swap_delta(prob, state[kernels.S_G], state[kernels.S_P], 0, 1) == -2


def grouped_problem(seed: int) -> tuple[AssignmentProblem, np.ndarray]:
    """Eight items in two limited groups (items 0-4 and 3-7, overlapping) on four locations."""
    base = random_problem(seed, n=8, m=4)
    groups = np.zeros((2, 8), bool)
    groups[0, :5] = True
    groups[1, 3:] = True
    problem = AssignmentProblem(
        base.flows, base.distances, linear=base.linear, capacities=[8] * 4, groups=groups, group_max_locations=[3, 4]
    )
    return problem, np.array([0, 0, 1, 0, 1, 2, 2, 3])


@pytest.mark.parametrize("seed", range(3))
def test_block_deltas_match_rescoring(seed: int) -> None:
    problem, p = grouped_problem(seed)
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    before = assignment_cost(problem, p)
    for g, a, b in itertools.product(range(2), range(4), range(4)):
        block = [int(i) for i in np.flatnonzero(problem.groups[g]) if p[i] == a]
        if not block or a == b:
            continue
        after = p.copy()
        after[block] = b
        expected = assignment_cost(problem, after) - before
        assert ref.block_delta(problem, list(p), block, b) == pytest.approx(expected, abs=1e-9)
        weight = kernels.block_weight(prob, p, g, a)
        assert kernels.block_delta(prob, state[kernels.S_G], p, g, a, b, weight) == pytest.approx(expected, abs=1e-9)


def test_block_move_keeps_table_and_counts_exact() -> None:
    problem, p = grouped_problem(0)
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    kernels.apply_block(prob, state, 0, 0, 2)  # items 0, 1 and 3 (group 0 at location 0) go to location 2
    expected = np.array([2, 2, 1, 2, 1, 2, 2, 3])
    assert state[kernels.S_P].tolist() == expected.tolist()
    assert np.allclose(state[kernels.S_G], ref.contribution_table(problem, list(expected)))
    # group 0 (items 0-4) now at locations 1 (items 2, 4) and 2; group 1 (items 3-7) at 1, 2 and 3
    assert state[kernels.S_GCOUNT].tolist() == [[0, 2, 3, 0], [0, 1, 3, 1]]
    assert state[kernels.S_GDISTINCT].tolist() == [2, 3]


@pytest.mark.parametrize("seed", range(4))
def test_exchanges_of_whole_locations_match_rescoring(seed: int) -> None:
    """Every pair of locations (one of them empty, too): the priced exchange against rescoring, then applied."""
    problem = random_problem(seed, n=7, m=4, symmetric=seed % 2 == 0)
    p = random_assignment(problem, seed) % 3  # location 3 stays empty
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    m = problem.n_locations
    S, W, X, count = np.zeros((m, m)), np.zeros(m), np.zeros((m, m)), np.zeros(m, np.int64)
    exchange.exchange_tables(prob, state, S, W, X, count)
    assert count.tolist() == np.bincount(p, minlength=m).tolist()
    dd, Ds = np.diag(problem.distances), problem.distances + problem.distances.T
    before = assignment_cost(problem, p)
    for a, b in itertools.combinations(range(m), 2):
        after = np.where(p == a, b, np.where(p == b, a, p))
        priced = S[a, b] - S[a, a] + S[b, a] - S[b, b] + (W[a] + W[b] - X[a, b]) * (dd[a] + dd[b] - Ds[a, b])
        assert priced == pytest.approx(assignment_cost(problem, after) - before, abs=1e-9)
    tabu = np.zeros((7, m), np.int64)
    exchange.apply_exchange(prob, state, tabu, 0, 3, 5)
    expected = np.where(p == 0, 3, p)
    assert state[kernels.S_P].tolist() == expected.tolist()
    assert np.allclose(state[kernels.S_G], ref.contribution_table(problem, list(expected)))
    assert (tabu[p == 0, 0] == 5).all()
