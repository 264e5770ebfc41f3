"""The compiled search's data: the problem as the kernels read it, the state a chunk of iterations resumes from,
and the search's parameters, each a NamedTuple of arrays and numbers (numba compiles attribute access to a field
as it did indexing a tuple by a constant, and caches functions that take them).

The problem never changes during a search. The state is changed in place by the kernels: its arrays, and its
scalars, kept in ``tally``, one record of TALLY (numba writes a record's fields through to the array).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from layouts.optimize.problem import AssignmentProblem, BoolArray, FloatArray, IntArray, people_moved


class CompiledProblem(NamedTuple):
    """An AssignmentProblem in the layout the kernels read (search_state.compile_problem); arrays writable copies."""

    flows: FloatArray  # F, n x n
    flows_both: FloatArray  # F + F.T
    distances: FloatArray  # D, m x m
    distances_t: FloatArray  # D.T, C-contiguous: the column D[:, l] as a row
    distances_both: FloatArray  # D + D.T
    distances_diag: FloatArray  # the diagonal of D: the walk within a location
    linear: FloatArray  # L, n x m
    sizes: IntArray  # n, the seats of each item
    capacities: IntArray  # m
    allowed: BoolArray  # n x m
    conflict: BoolArray  # n x n, symmetric: the two items may not share a location
    conflict_ptr: IntArray  # n + 1, CSR of the conflict partners of each item
    conflict_idx: IntArray
    item_groups_ptr: IntArray  # n + 1, CSR of the constrained groups of each item
    item_groups_idx: IntArray
    member: BoolArray  # k x n, the constrained groups' members
    group_max: IntArray  # k, the most locations a group may use (m when only adjacency binds it)
    baseline: IntArray  # n, -1 for an item with none
    members_ptr: IntArray  # k + 1, CSR of the members of each constrained group
    members_idx: IntArray
    move_sizes: IntArray  # n, what an item's move counts towards the budget
    group_adjacent: IntArray  # k, 1 when the group must sit on consecutive levels
    levels: IntArray  # m, each location's level, the lowest 0
    use_mask: bool  # some item may not go everywhere
    use_conflicts: bool
    use_groups: bool
    use_budget: bool
    budget: int  # the move budget (when use_budget)
    symmetric: bool  # D == D.T: the table update takes one weight per row
    use_relocations: bool  # relocations can keep capacity (or may go over it)
    use_sizes: bool  # items of different sizes
    use_exchanges: bool  # exchanges of whole locations (not in a QAP, where they are the swaps)


#: The scalars of a search state, one record.
TALLY = np.dtype(
    [
        ("iteration", np.int64),  # iterations made so far
        ("moved", np.int64),  # move sizes away from the baseline, added up (problem.people_moved)
        ("best_iteration", np.int64),  # when the best was found
        ("random_pos", np.int64),  # the next unused number of the random buffer
        ("last_improvement", np.int64),  # the iteration of the last new best (restarts count from it)
        ("overflow", np.int64),  # seats over capacity, added up over the locations
        ("cost", np.float64),  # the current assignment's cost
        ("best_cost", np.float64),
        ("penalty", np.float64),  # per seat over capacity (0: not set yet, the kernel starts it at the base)
        ("soft_capacity", np.bool_),  # the search may go over capacity at the penalty
    ],
    align=True,
)


class SearchState(NamedTuple):
    """Where a search is: the assignment and everything kept up to date with it; changed in place."""

    p: IntArray  # n, item i is at location p[i]
    G: FloatArray  # n x m, the contribution table (kernels.py)
    load: IntArray  # m, the seats taken at each location
    conflict_count: IntArray  # n x m, the item's conflict partners at each location
    group_count: IntArray  # k x m, the group's members at each location
    group_distinct: IntArray  # k, the locations each group uses
    tabu: IntArray  # n x m, the iteration until which item i may not return to location l
    best_p: IntArray  # n, the best assignment within capacity found
    tally: NDArray[np.void]  # one TALLY record


class SearchParams(NamedTuple):
    """The numbers that steer a search (search_params)."""

    tenure_scale: float  # a tabu tenure is u**3 * tenure_scale, u uniform in [0, 1)
    aspiration: int  # a move back to a place left this many iterations ago is forced
    recompute_every: int  # rebuild G and the cost from scratch this often (0: never, when sums are exact)
    tolerance: float  # a new best must be below the best by more than this
    restart_after: int  # iterations without a new best before the chunk returns STAGNATED (0: never)
    penalty_base: float  # the starting penalty per seat over capacity; it stays within base / range .. base * range
    penalty_up: float  # the factor it grows by each iteration spent over capacity
    penalty_down: float  # the factor it shrinks by each iteration within capacity
    penalty_range: float


def compile_problem(problem: AssignmentProblem) -> CompiledProblem:
    """The problem's arrays in the layout the kernels read."""
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
    levels = problem.location_levels - problem.location_levels.min(initial=0)
    gptr, gidx = _csr(np.ascontiguousarray(member.T))
    mptr, midx = _csr(member)
    sizes, caps = problem.sizes, problem.capacities
    positive = sizes[sizes > 0]
    free = int(caps.sum() - sizes.sum())
    use_sizes = bool((sizes != sizes[0]).any()) if n else False
    fits = positive.size < n or (positive.size > 0 and free >= int(positive.min()))
    return CompiledProblem(
        flows=np.array(F),
        flows_both=np.array(F + F.T),
        distances=np.array(D),
        distances_t=DT,
        distances_both=np.array(D + D.T),
        distances_diag=np.array(np.diag(D)),
        linear=np.array(problem.linear),
        sizes=np.array(sizes),
        capacities=np.array(caps),
        allowed=np.array(problem.allowed),
        conflict=conf,
        conflict_ptr=cptr,
        conflict_idx=cidx,
        item_groups_ptr=gptr,
        item_groups_idx=gidx,
        member=member,
        group_max=gmax,
        baseline=np.array(problem.baseline),
        members_ptr=mptr,
        members_idx=midx,
        move_sizes=np.array(problem.move_sizes),
        group_adjacent=problem.group_adjacent[constrained].astype(np.int64),
        levels=np.array(levels, np.int64),
        use_mask=not bool(problem.allowed.all()),
        use_conflicts=len(problem.conflicts) > 0,
        use_groups=member.shape[0] > 0,
        use_budget=problem.move_budget >= 0 and bool((problem.baseline >= 0).any()),
        budget=int(problem.move_budget),
        symmetric=bool((D == DT).all()),
        # Over capacity at a penalty (items of different sizes), relocations may be made even when none fits.
        use_relocations=bool(fits) or use_sizes,
        use_sizes=use_sizes,
        # Exchanges of whole locations (floors trading their units); in a QAP they are the swaps.
        use_exchanges=not problem.is_permutation and problem.n_locations > 1,
    )


def new_state(problem: AssignmentProblem, prob: CompiledProblem, start: IntArray) -> SearchState:
    """The search state for a starting assignment: tables, counts, tabu list, best so far.

    Items of different sizes on nearly full locations: few swaps and relocations keep every capacity, so the
    search starts allowed over capacity at a penalty (only assignments within capacity count as found).
    """
    from layouts.optimize.kernels import contributions, cost_of  # compiled: imported when a search starts

    n, m = problem.n_items, problem.n_locations
    p = np.array(start, np.int64)
    G = contributions(prob.flows, prob.distances, prob.linear, p)
    load = np.bincount(p, weights=problem.sizes, minlength=m).astype(np.int64)
    cc = np.zeros((n, m), np.int64)
    for i in range(n):
        np.add.at(cc[i], p[prob.conflict[i]], 1)
    gcount = np.zeros((prob.member.shape[0], m), np.int64)
    for g in range(prob.member.shape[0]):
        np.add.at(gcount[g], p[prob.member[g]], 1)
    gdistinct = (gcount > 0).sum(axis=1).astype(np.int64)
    # Staggered so that the long-term aspiration does not force every move at once (as in Taillard's code).
    tabu = -(np.arange(n, dtype=np.int64)[:, None] * m + np.arange(m, dtype=np.int64)[None, :] + 1)
    cost = cost_of(prob.flows, prob.distances, prob.linear, p)
    tally = np.zeros(1, TALLY)
    tally["cost"] = tally["best_cost"] = cost
    tally["moved"] = people_moved(problem, p)
    tally["overflow"] = int(np.maximum(load - problem.capacities, 0).sum())
    tally["soft_capacity"] = prob.use_sizes
    return SearchState(p, G, load, cc, gcount, gdistinct, tabu, p.copy(), tally)


def tally_of(state: SearchState) -> Any:
    """The state's scalars, read and written by name: ``tally_of(state)["iteration"]``."""
    return state.tally[0]


def _csr(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> tuple[IntArray, IntArray]:
    """Row pointers and column indices of the True entries of a boolean matrix."""
    counts = mask.sum(axis=1)
    ptr = np.zeros(mask.shape[0] + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    idx = np.nonzero(mask)[1].astype(np.int64)
    return ptr, idx
