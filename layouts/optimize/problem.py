"""The assignment problem the optimiser solves: items (units, or chunks of a split unit) placed at locations (floors).

For an assignment ``p`` (item ``i`` at location ``p[i]``) the cost is

    cost(p) = sum over i, j of F[i, j] * D[p[i], p[j]]  +  sum over i of L[i, p[i]]

with F the flows between items (trips per week times seat shares; F[i, i] is an item's own traffic), D the travel
time between locations (D[l, l] the walk within one location; D need not be symmetric) and L a linear cost of an
item at a location. The constraints, all arrays:

- capacity: the sizes (seats) of the items at a location add up to at most its capacity;
- ``allowed[i, l]``: item i may sit at location l (fixed units, closed floors);
- groups (departments): the items of group g use at most ``group_max_locations[g]`` distinct locations (-1: any),
  and, when ``group_adjacent[g]``, locations whose levels (``location_levels``) form one run of consecutive
  integers (5F, 6F, 7F; not 5F and 7F alone, nor 5F and 7F when there is no 6F at all);
- conflicts: the two items of each pair are never at the same location;
- moves: the move sizes (``move_sizes``, default the sizes: people where the sizes are seats) of the items whose
  location differs from ``baseline`` add up to at most ``move_budget`` (-1: no limit; an item whose baseline is -1
  is new and never counts as moved).

The quadratic assignment problem is the special case of n items, n locations, sizes and capacities 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from layouts.compare import share_moved

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False, init=False)
class AssignmentProblem:
    """Items to place at locations, with the cost to minimise and the constraints to keep (see the module's text).

    Every array is normalised on construction (float64 / int64 / bool, read-only) and checked: a fault raises
    ValueError naming the argument and what is wrong. Omitted arguments mean no constraint: sizes and capacities
    default to 1 (so that only swaps keep an assignment feasible, as in the QAP), ``allowed`` to everywhere.
    """

    flows: FloatArray  # F, n x n
    distances: FloatArray  # D, m x m
    linear: FloatArray  # L, n x m
    sizes: IntArray  # n
    capacities: IntArray  # m
    allowed: BoolArray  # n x m
    groups: BoolArray  # k x n: groups[g, i] is True when item i belongs to group g
    group_max_locations: IntArray  # k, -1 for no limit
    group_adjacent: BoolArray  # k: the group's locations must be on consecutive levels
    location_levels: IntArray  # m, distinct: the level of each location (adjacency is by level)
    conflicts: IntArray  # c x 2, item pairs never at one location
    baseline: IntArray  # n, the current location of each item, -1 for none
    move_sizes: IntArray  # n, what an item counts towards the move budget when it moves
    move_budget: int  # the most that may move away from the baseline (by move size), -1 for no limit
    item_names: tuple[str, ...]
    location_names: tuple[str, ...]
    group_names: tuple[str, ...]

    def __init__(
        self,
        flows: ArrayLike,
        distances: ArrayLike,
        *,
        linear: ArrayLike | None = None,
        sizes: ArrayLike | None = None,
        capacities: ArrayLike | None = None,
        allowed: ArrayLike | None = None,
        groups: ArrayLike | None = None,
        group_max_locations: ArrayLike | None = None,
        group_adjacent: ArrayLike | None = None,
        location_levels: ArrayLike | None = None,
        conflicts: ArrayLike | None = None,
        baseline: ArrayLike | None = None,
        move_sizes: ArrayLike | None = None,
        move_budget: int = -1,
        item_names: Sequence[str] = (),
        location_names: Sequence[str] = (),
        group_names: Sequence[str] = (),
    ) -> None:
        f = _float_matrix(flows, "flows")
        d = _float_matrix(distances, "distances")
        n, m = f.shape[0], d.shape[0]
        _require(f.shape == (n, n), f"flows must be a square matrix, got shape {f.shape}")
        _require(d.shape == (m, m), f"distances must be a square matrix, got shape {d.shape}")
        lin = np.zeros((n, m)) if linear is None else _float_matrix(linear, "linear")
        _require(lin.shape == (n, m), f"linear must have shape (items, locations) = {(n, m)}, got {lin.shape}")
        size = np.ones(n, np.int64) if sizes is None else _int_vector(sizes, "sizes", n)
        cap = np.ones(m, np.int64) if capacities is None else _int_vector(capacities, "capacities", m)
        _require(bool((size >= 0).all()), "sizes must not be negative")
        _require(bool((cap >= 0).all()), "capacities must not be negative")
        ok = np.ones((n, m), bool) if allowed is None else np.asarray(allowed)
        _require(ok.shape == (n, m), f"allowed must have shape (items, locations) = {(n, m)}, got {ok.shape}")
        _require(ok.dtype == np.bool_, f"allowed must be a boolean mask, got dtype {ok.dtype}")
        grp, gmax = _groups(groups, group_max_locations, n)
        adjacent = _group_adjacent(group_adjacent, grp.shape[0])
        levels = (
            np.arange(m, dtype=np.int64)
            if location_levels is None
            else _int_vector(location_levels, "location_levels", m)
        )
        _require(np.unique(levels).size == m, "location_levels must be distinct, one level per location")
        pairs = _conflicts(conflicts, n)
        base = -np.ones(n, np.int64) if baseline is None else _int_vector(baseline, "baseline", n)
        bad = np.flatnonzero((base < -1) | (base >= m))
        _require(
            bad.size == 0, f"baseline locations must be in 0..{m - 1} or -1, item {bad[0] if bad.size else 0} is not"
        )
        moves = size if move_sizes is None else _int_vector(move_sizes, "move_sizes", n)
        _require(bool((moves >= 0).all()), "move_sizes must not be negative")
        _require(isinstance(move_budget, int | np.integer), "move_budget must be an integer")
        _require(move_budget >= -1, f"move_budget must be -1 (no limit) or at least 0, got {move_budget}")
        _require(len(item_names) in (0, n), f"item_names must name all {n} items, got {len(item_names)}")
        _require(
            len(location_names) in (0, m), f"location_names must name all {m} locations, got {len(location_names)}"
        )
        k = grp.shape[0]
        _require(len(group_names) in (0, k), f"group_names must name all {k} groups, got {len(group_names)}")
        values: dict[str, Any] = {
            "flows": f,
            "distances": d,
            "linear": lin,
            "sizes": size,
            "capacities": cap,
            "allowed": np.array(ok, bool),
            "groups": grp,
            "group_max_locations": gmax,
            "group_adjacent": adjacent,
            "location_levels": levels,
            "conflicts": pairs,
            "baseline": base,
            "move_sizes": moves,
            "move_budget": int(move_budget),
            "item_names": tuple(str(s) for s in item_names),
            "location_names": tuple(str(s) for s in location_names),
            "group_names": tuple(str(s) for s in group_names),
        }
        for name, value in values.items():
            if isinstance(value, np.ndarray):
                value = np.array(value)  # our own copy, so that the caller's array may change freely
                value.flags.writeable = False
            object.__setattr__(self, name, value)

    @property
    def n_items(self) -> int:
        return int(self.flows.shape[0])

    @property
    def n_locations(self) -> int:
        return int(self.distances.shape[0])

    @property
    def is_permutation(self) -> bool:
        """True for a QAP: as many items as locations, all of size 1, every location holding one."""
        return self.n_items == self.n_locations and bool((self.sizes == 1).all()) and bool((self.capacities == 1).all())

    def item_name(self, i: int) -> str:
        return self.item_names[i] if self.item_names else f"item {i}"

    def location_name(self, location: int) -> str:
        return self.location_names[location] if self.location_names else f"location {location}"

    def group_name(self, g: int) -> str:
        return self.group_names[g] if self.group_names else f"group {g}"


def assignment_cost(problem: AssignmentProblem, assignment: ArrayLike) -> float:
    """cost(p) = sum over i, j of F[i, j] * D[p[i], p[j]] + sum over i of L[i, p[i]], in plain numpy."""
    p = np.asarray(assignment, dtype=np.int64)
    items = np.arange(problem.n_items)
    quadratic = float((problem.flows * problem.distances[np.ix_(p, p)]).sum())
    return quadratic + float(problem.linear[items, p].sum())


def violations(problem: AssignmentProblem, assignment: ArrayLike, *, capacity: bool = True) -> list[str]:
    """Every constraint the assignment breaks, one sentence each (an empty list: the assignment is feasible);
    ``capacity=False`` leaves the locations' capacities out."""
    p = np.asarray(assignment)
    n, m = problem.n_items, problem.n_locations
    if p.shape != (n,):
        return [f"the assignment must give a location to each of the {n} items, got shape {p.shape}"]
    if not np.issubdtype(p.dtype, np.integer):
        return [f"the assignment must hold location numbers (integers), got dtype {p.dtype}"]
    out_of_range = [int(i) for i in np.flatnonzero((p < 0) | (p >= m))]
    if out_of_range:
        return [f"{problem.item_name(i)} is at location {int(p[i])}, not one of 0..{m - 1}" for i in out_of_range]
    found: list[str] = []
    for i in np.flatnonzero(~problem.allowed[np.arange(n), p]):
        found.append(f"{problem.item_name(int(i))} may not be at {problem.location_name(int(p[i]))}")
    load = np.bincount(p, weights=problem.sizes, minlength=m).astype(np.int64)
    for loc in np.flatnonzero(load > problem.capacities) if capacity else ():
        names = names_list(problem, np.flatnonzero(p == loc))
        where = problem.location_name(int(loc))
        found.append(f"{names} ({load[loc]} seats) exceed the {problem.capacities[loc]} seats of {where}")
    for g, limit in enumerate(problem.group_max_locations):
        members = np.flatnonzero(problem.groups[g])
        used = np.unique(p[members])
        where = ", ".join(problem.location_name(int(loc)) for loc in used)
        group = f"{problem.group_name(g)} ({names_list(problem, members)})"
        if limit >= 0 and used.size > limit:
            found.append(f"{group} is at {used.size} locations ({where}), more than {limit}")
        gaps = level_gaps(problem, used)
        if problem.group_adjacent[g] and gaps:
            found.append(f"{group} must be on adjacent levels but is at {where} ({gaps})")
    for a, b in problem.conflicts:
        if p[a] == p[b]:
            found.append(
                f"{problem.item_name(int(a))} and {problem.item_name(int(b))} must be kept apart "
                f"but are both at {problem.location_name(int(p[a]))}"
            )
    if problem.move_budget >= 0:
        moved = people_moved(problem, p)
        if moved > problem.move_budget:
            found.append(
                f"{moved} {move_unit(problem)} move away from the baseline, more than the budget of "
                f"{problem.move_budget}"
            )
    return found


def people_moved(problem: AssignmentProblem, assignment: ArrayLike) -> int:
    """The move sizes of the items whose location differs from their baseline, added up (new items never count).

    This is `layouts.compare.share_moved`, the rule of the report's people moved, for items that each sit whole at
    one location: an item's share moved is 1 when it leaves its baseline location, else 0.
    """
    p = np.asarray(assignment)
    total = 0.0
    for i in np.flatnonzero(problem.baseline >= 0):
        before, after = {str(problem.baseline[i]): 1.0}, {str(p[i]): 1.0}
        total += int(problem.move_sizes[i]) * share_moved(before, after)
    return round(total)


def move_unit(problem: AssignmentProblem) -> str:
    """What the move budget counts, for messages: seats when the move sizes are the sizes, else people."""
    return "seats" if np.array_equal(problem.move_sizes, problem.sizes) else "people"


def level_gaps(problem: AssignmentProblem, locations: Sequence[int] | NDArray[Any]) -> str:
    """Why these locations are not on one run of consecutive levels ('' when they are): the levels between them
    that they leave out, by location name, or 'level 5 is no location' for a level no location has."""
    levels = np.sort(problem.location_levels[np.asarray(locations, dtype=np.int64)])
    if levels.size == 0 or levels[-1] - levels[0] + 1 == levels.size:
        return ""
    at_level = {int(v): loc for loc, v in enumerate(problem.location_levels)}
    unused, absent = [], []
    for v in range(int(levels[0]) + 1, int(levels[-1])):
        if v in levels:
            continue
        if v in at_level:
            unused.append(problem.location_name(at_level[v]))
        else:
            absent.append(str(v))
    parts = []
    if unused:
        parts.append(f"{', '.join(unused)} between them {'holds' if len(unused) == 1 else 'hold'} none of it")
    if absent:
        s = "s" if len(absent) > 1 else ""
        verb = "are" if len(absent) > 1 else "is"
        parts.append(f"level{s} {', '.join(absent)} between them {verb} no location")
    return "; ".join(parts)


def names_list(problem: AssignmentProblem, items: Sequence[int] | NDArray[Any], *, at_most: int = 6) -> str:
    """'A, B and 3 more': the names of a few items, for messages."""
    names = [problem.item_name(int(i)) for i in items]
    if len(names) > at_most:
        return ", ".join(names[:at_most]) + f" and {len(names) - at_most} more"
    return ", ".join(names)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _float_matrix(value: ArrayLike, name: str) -> FloatArray:
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a matrix of numbers: {exc}") from None
    _require(a.ndim == 2, f"{name} must be a matrix (2 dimensions), got {a.ndim}")
    _require(bool(np.isfinite(a).all()), f"{name} must hold finite numbers only")
    return a


def _int_vector(value: ArrayLike, name: str, length: int) -> IntArray:
    a = np.asarray(value)
    _require(
        a.shape == (length,),
        f"{name} must have one entry per {'location' if name in ('capacities', 'location_levels') else 'item'} "
        f"({length}), got shape {a.shape}",
    )
    if a.dtype.kind == "f":
        _require(bool(np.isfinite(a).all() and (a == np.round(a)).all()), f"{name} must be whole numbers")
    else:
        _require(a.dtype.kind in "iub", f"{name} must be whole numbers, got dtype {a.dtype}")
    return a.astype(np.int64)


def _groups(groups: ArrayLike | None, limits: ArrayLike | None, n: int) -> tuple[BoolArray, IntArray]:
    if groups is None:
        _require(limits is None or np.asarray(limits).size == 0, "group_max_locations given without groups")
        return np.zeros((0, n), bool), np.zeros(0, np.int64)
    g = np.asarray(groups)
    if g.ndim == 1 and g.size == 0:
        g = g.reshape(0, n)
    _require(g.ndim == 2 and g.shape[1] == n, f"groups must have shape (groups, items) = (k, {n}), got {g.shape}")
    _require(g.dtype == np.bool_, f"groups must be a boolean membership matrix, got dtype {g.dtype}")
    k = g.shape[0]
    if limits is None:
        raise ValueError("groups given without group_max_locations")
    lim = _int_vector(limits, "group_max_locations", k) if k else np.zeros(0, np.int64)
    bad = np.flatnonzero((lim < -1) | (lim == 0))
    _require(
        bad.size == 0,
        f"group_max_locations must be -1 (no limit) or at least 1, group {bad[0] if bad.size else 0} is not",
    )
    return np.array(g, bool), lim


def _group_adjacent(value: ArrayLike | None, k: int) -> BoolArray:
    a = np.asarray([] if value is None else value)
    if a.size == 0:  # none given (also what dataclasses.replace passes on from a problem without groups)
        return np.zeros(k, bool)
    _require(a.shape == (k,), f"group_adjacent must have one entry per group ({k}), got shape {a.shape}")
    _require(a.dtype == np.bool_, f"group_adjacent must be booleans, got dtype {a.dtype}")
    return np.array(a, bool)


def _conflicts(conflicts: ArrayLike | None, n: int) -> IntArray:
    if conflicts is None:
        return np.zeros((0, 2), np.int64)
    c = np.asarray(conflicts)
    if c.size == 0:
        return np.zeros((0, 2), np.int64)
    _require(c.ndim == 2 and c.shape[1] == 2, f"conflicts must be pairs of items, shape (c, 2), got {c.shape}")
    _require(c.dtype.kind in "iu", f"conflicts must hold item numbers (integers), got dtype {c.dtype}")
    bad = np.flatnonzero(((c < 0) | (c >= n)).any(axis=1) | (c[:, 0] == c[:, 1]))
    _require(bad.size == 0, f"conflict pair {bad[0] if bad.size else 0} must name two different items in 0..{n - 1}")
    return c.astype(np.int64)
