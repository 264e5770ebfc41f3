"""The search's delta formulas (kernels.py, exchange.py: the only ones the package has) against rescoring the whole
assignment with assignment_cost, on small instances whose costs can be worked out by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from layouts.optimize import AssignmentProblem, assignment_cost, exchange, kernels, tabu
from layouts.optimize.search import SearchSettings, search_params
from layouts.optimize.search_state import CompiledProblem, SearchState, compile_problem, new_state, tally_of


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


def table_by_definition(problem: AssignmentProblem, p: np.ndarray) -> np.ndarray:
    """G[i, l] = L[i, l] + F[i, i] D[l, l] + sum over j != i of (F[i, j] D[l, p[j]] + F[j, i] D[p[j], l])."""
    F, D, L = problem.flows, problem.distances, problem.linear
    G = np.array(L)
    for i, loc in itertools.product(range(problem.n_items), range(problem.n_locations)):
        G[i, loc] += F[i, i] * D[loc, loc]
        G[i, loc] += sum(F[i, j] * D[loc, p[j]] + F[j, i] * D[p[j], loc] for j in range(problem.n_items) if j != i)
    return G


def priced_swap(prob: CompiledProblem, state: SearchState, i: int, j: int) -> float:
    """kernels.swap_delta with its arguments gathered as the search gathers them."""
    G, p = state.G, state.p
    a, b = p[i], p[j]
    Ds, dd = prob.distances_both, prob.distances_diag
    return float(kernels.swap_delta(G[i, b], G[i, a], G[j, a], G[j, b], prob.flows_both[i, j], Ds[a, b], dd[a], dd[b]))


def test_qap_swap_delta_by_hand() -> None:
    """n = 3, p = identity, swapping items 0 and 1 of A = [[0,1,2],[1,0,3],[2,3,0]], B = [[0,4,5],[4,0,6],[5,6,0]]:
    cost(identity) = 2 * (1*4 + 2*5 + 3*6) = 64; after the swap p = (1, 0, 2): 2 * (1*4 + 2*6 + 3*5) = 62."""
    problem = AssignmentProblem([[0, 1, 2], [1, 0, 3], [2, 3, 0]], [[0, 4, 5], [4, 0, 6], [5, 6, 0]])
    assert assignment_cost(problem, [0, 1, 2]) == 64
    assert assignment_cost(problem, [1, 0, 2]) == 62
    prob = compile_problem(problem)
    state = new_state(problem, prob, np.arange(3))
    assert tally_of(state)["cost"] == 64
    assert priced_swap(prob, state, 0, 1) == -2


def test_move_delta_by_hand() -> None:
    """Two items, two locations, item 1 moves from location 1 to 0: F = [[1, 2], [0, 3]], D = [[10, 4], [6, 20]],
    L = 0. Before: 1*10 + 2*4 + 0*6 + 3*20 = 78; after (both at 0): 1*10 + 2*10 + 0 + 3*10 = 60; delta -18."""
    problem = AssignmentProblem([[1, 2], [0, 3]], [[10, 4], [6, 20]], capacities=[2, 2])
    prob = compile_problem(problem)
    state = new_state(problem, prob, np.array([0, 1]))
    assert assignment_cost(problem, [0, 1]) == 78 and assignment_cost(problem, [0, 0]) == 60
    assert kernels.move_delta(state.G, state.p, 1, 0) == -18


@pytest.mark.parametrize(("seed", "symmetric"), [(0, False), (1, False), (2, True), (3, True)])
def test_move_and_swap_deltas_match_rescoring(seed: int, symmetric: bool) -> None:
    problem = random_problem(seed, symmetric=symmetric)
    p = random_assignment(problem, seed + 10)
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    assert np.allclose(state.G, table_by_definition(problem, p))
    before = assignment_cost(problem, p)
    assert tally_of(state)["cost"] == pytest.approx(before, abs=1e-9)
    for i, b in itertools.product(range(problem.n_items), range(problem.n_locations)):
        expected = assignment_cost(problem, moved(p, i, b)) - before
        assert kernels.move_delta(state.G, p, i, b) == pytest.approx(expected, abs=1e-9)
    for i, j in itertools.combinations(range(problem.n_items), 2):
        if p[i] != p[j]:
            expected = assignment_cost(problem, swapped(p, i, j)) - before
            assert priced_swap(prob, state, i, j) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("symmetric", [False, True])
def test_updates_keep_the_table_exact(symmetric: bool) -> None:
    """After a chain of random moves and swaps the maintained table equals its definition, and each priced delta
    equals the change of the rescored cost."""
    problem = random_problem(7, n=8, m=5, symmetric=symmetric)
    p = random_assignment(problem, 3)
    prob = compile_problem(problem)
    assert prob.symmetric == symmetric
    state = new_state(problem, prob, p)
    rng = np.random.default_rng(0)
    for step in range(40):
        current = state.p.copy()
        if step % 2:
            i, b = int(rng.integers(problem.n_items)), int(rng.integers(problem.n_locations))
            delta = kernels.move_delta(state.G, state.p, i, b)
            kernels.apply_move(prob, state, i, b)
            after = moved(current, i, b)
        else:
            i, j = (int(x) for x in rng.choice(problem.n_items, 2, replace=False))
            if current[i] == current[j]:
                continue
            delta = priced_swap(prob, state, i, j)
            kernels.apply_swap(prob, state, i, j)
            after = swapped(current, i, j)
        assert delta == pytest.approx(assignment_cost(problem, after) - assignment_cost(problem, current), abs=1e-9)
        assert state.p.tolist() == after.tolist()
        assert np.allclose(state.G, table_by_definition(problem, after))
        assert state.load.tolist() == np.bincount(after, weights=problem.sizes, minlength=5).tolist()


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
        members = prob.members_idx[prob.members_ptr[g] : prob.members_ptr[g + 1]]
        weight = kernels.block_weight(prob.flows, members, p, a)
        priced = kernels.block_delta(state.G, prob.distances_both, prob.distances_diag, members, p, a, b, weight)
        assert priced == pytest.approx(expected, abs=1e-9)


def test_block_move_keeps_table_and_counts_exact() -> None:
    problem, p = grouped_problem(0)
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    kernels.apply_block(prob, state, 0, 0, 2)  # items 0, 1 and 3 (group 0 at location 0) go to location 2
    expected = np.array([2, 2, 1, 2, 1, 2, 2, 3])
    assert state.p.tolist() == expected.tolist()
    assert np.allclose(state.G, table_by_definition(problem, expected))
    # group 0 (items 0-4) now at locations 1 (items 2, 4) and 2; group 1 (items 3-7) at 1, 2 and 3
    assert state.group_count.tolist() == [[0, 2, 3, 0], [0, 1, 3, 1]]
    assert state.group_distinct.tolist() == [2, 3]


@pytest.mark.parametrize("seed", range(4))
def test_exchanges_of_whole_locations_match_rescoring(seed: int) -> None:
    """Every pair of locations (one of them empty, too): the priced exchange against rescoring, then applied."""
    problem = random_problem(seed, n=7, m=4, symmetric=seed % 2 == 0)
    p = random_assignment(problem, seed) % 3  # location 3 stays empty
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    m = problem.n_locations
    tables = exchange.new_exchange_tables(m)
    exchange.exchange_tables(prob, state, tables)
    assert tables.items_at.tolist() == np.bincount(p, minlength=m).tolist()
    before = assignment_cost(problem, p)
    for a, b in itertools.combinations(range(m), 2):
        after = np.where(p == a, b, np.where(p == b, a, p))
        S, W, X = tables.S, tables.W, tables.X
        priced = exchange.exchange_delta(S, W, X, prob.distances_both, prob.distances_diag, a, b)
        assert priced == pytest.approx(assignment_cost(problem, after) - before, abs=1e-9)
    exchange.apply_exchange(prob, state, 0, 3, 5)
    expected = np.where(p == 0, 3, p)
    assert state.p.tolist() == expected.tolist()
    assert np.allclose(state.G, table_by_definition(problem, expected))
    assert (state.tabu[p == 0, 0] == 5).all()


@pytest.mark.parametrize("seed", range(3))
def test_the_search_running_cost_is_the_rescored_cost(seed: int) -> None:
    """The cost the search keeps by adding up the deltas of the moves it makes (swaps, relocations, blocks and
    exchanges, never rebuilt from scratch here) stays the cost of its assignment, rescored."""
    problem, p = grouped_problem(seed)
    problem = AssignmentProblem(
        problem.flows,
        problem.distances,
        linear=problem.linear,
        sizes=[1, 2, 1, 2, 1, 2, 1, 2],
        capacities=[5, 5, 5, 5],
        groups=problem.groups,
        group_max_locations=problem.group_max_locations,
    )
    prob = compile_problem(problem)
    state = new_state(problem, prob, p)
    params = search_params(problem, SearchSettings())._replace(recompute_every=0, restart_after=0)
    randoms = np.random.default_rng(seed).random(2 * 300)
    tally = tally_of(state)
    for _ in range(30):
        tabu.tabu_search_chunk(prob, state, params, randoms, 10)
        assert tally["cost"] == pytest.approx(assignment_cost(problem, state.p), rel=1e-12, abs=1e-9)
    assert tally["iteration"] == 300
    assert tally["best_cost"] == pytest.approx(assignment_cost(problem, state.best_p), rel=1e-12, abs=1e-9)
