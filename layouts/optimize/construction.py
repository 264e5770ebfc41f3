"""A feasible starting assignment: quick necessary checks that name the blocking constraint, then a greedy build.

The greedy places the fixed items first, then the members of each group limited to k locations together (largest
group first), then the rest, the largest first; each goes to the feasible location that adds least cost given the
items already placed, preferring locations that leave its groups room for their members still to come. With a move
budget an item stays at its baseline location whenever it may. When that fails it tries again in shuffled orders,
and when all tries fail the error names the item that found no place and why each location refused it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from layouts.errors import Infeasible
from layouts.optimize.problem import AssignmentProblem, IntArray, names_list, violations

GREEDY_TRIES = 30


def check_feasible_start(problem: AssignmentProblem, start: IntArray) -> IntArray:
    """The caller's starting assignment as int64, or ValueError listing what it breaks."""
    broken = violations(problem, start)
    if broken:
        raise ValueError("the starting assignment is not feasible: " + "; ".join(broken))
    return np.array(start, np.int64)


def blocking_reasons(problem: AssignmentProblem) -> list[str]:
    """Constraints that no assignment can meet, found by necessary conditions (an empty list proves nothing)."""
    if problem.n_items and not problem.n_locations:
        return [f"there are {problem.n_items} items but no locations"]
    reasons = _unplaceable_items(problem)
    if reasons:
        return reasons
    return (
        _crowded_location_sets(problem)
        + _group_reasons(problem)
        + _conflict_reasons(problem)
        + _budget_reasons(problem)
    )


def _unplaceable_items(p: AssignmentProblem) -> list[str]:
    reasons: list[str] = []
    for item in range(p.n_items):
        where = np.flatnonzero(p.allowed[item])
        if where.size == 0:
            reasons.append(f"{p.item_name(item)} is allowed at no location")
        elif not (p.capacities[where] >= p.sizes[item]).any():
            rooms = ", ".join(f"{p.location_name(int(loc))} ({p.capacities[loc]} seats)" for loc in where)
            reasons.append(f"{p.item_name(item)} ({p.sizes[item]} seats) fits none of its allowed locations: {rooms}")
    return reasons


def _crowded_location_sets(p: AssignmentProblem) -> list[str]:
    """The items that may only go to locations within a set S must fit in S (S: each item's allowed set)."""
    reasons: list[str] = []
    allowed = p.allowed
    for key in dict.fromkeys(allowed[item].tobytes() for item in range(p.n_items)):
        inside_set = np.frombuffer(key, dtype=np.bool_)
        inside = [item for item in range(p.n_items) if not (allowed[item] & ~inside_set).any()]
        need, room = int(p.sizes[inside].sum()), int(p.capacities[inside_set].sum())
        if need > room:
            names = ", ".join(p.location_name(int(loc)) for loc in np.flatnonzero(inside_set))
            one = int(inside_set.sum()) == 1
            verb, its = ("fixed to", "its") if one else ("limited to", "their")
            reasons.append(f"{names_list(p, inside)} ({need} seats) {verb} {names} exceed {its} {room} seats")
    return reasons


def _group_reasons(p: AssignmentProblem) -> list[str]:
    reasons: list[str] = []
    for g, limit in enumerate(p.group_max_locations):
        if limit < 0:
            continue
        members = np.flatnonzero(p.groups[g])
        group = f"{p.group_name(g)} ({names_list(p, members)}"
        fixed = sorted({int(np.flatnonzero(p.allowed[i])[0]) for i in members if p.allowed[i].sum() == 1})
        if len(fixed) > limit:
            where = ", ".join(p.location_name(loc) for loc in fixed)
            reasons.append(f"{group}) is fixed to {len(fixed)} locations ({where}), more than its limit of {limit}")
            continue
        usable = p.allowed[members].any(axis=0)
        room = int(np.sort(p.capacities[usable])[::-1][:limit].sum())
        need = int(p.sizes[members].sum())
        if need > room:
            plural = "s" if limit > 1 else ""
            reasons.append(
                f"{group}, {need} seats) does not fit in {limit} location{plural}: "
                f"the largest it may use hold {room} seats"
            )
    return reasons


def _conflict_reasons(p: AssignmentProblem) -> list[str]:
    reasons: list[str] = []
    for a, b in p.conflicts:
        only = np.flatnonzero(p.allowed[a])
        if only.size == 1 and (p.allowed[a] == p.allowed[b]).all():
            reasons.append(
                f"{p.item_name(int(a))} and {p.item_name(int(b))} must be kept apart but are both "
                f"fixed to {p.location_name(int(only[0]))}"
            )
    return reasons


def _budget_reasons(p: AssignmentProblem) -> list[str]:
    if p.move_budget < 0:
        return []
    base, sizes = p.baseline, p.sizes
    has_base = base >= 0
    must_leave = [int(i) for i in np.flatnonzero(has_base) if not p.allowed[i, base[i]]]
    seats = int(sizes[must_leave].sum())
    if seats > p.move_budget:
        return [
            f"{names_list(p, must_leave)} ({seats} seats) may not stay where they are, more than the "
            f"budget of {p.move_budget} seats that may move"
        ]
    stay = has_base.copy()
    stay[must_leave] = False
    load = np.bincount(base[stay], weights=sizes[stay], minlength=p.n_locations)
    excess = np.maximum(load - p.capacities, 0)
    least = seats + int(excess.sum())
    if least <= p.move_budget:
        return []
    crowded = ", ".join(p.location_name(int(loc)) for loc in np.flatnonzero(excess))
    also = ", and from locations not allowed" if seats else ""
    return [
        f"at least {least} seats must move ({crowded} over capacity{also}), more than the budget of {p.move_budget}"
    ]


def greedy_start(problem: AssignmentProblem, rng: np.random.Generator | None = None) -> IntArray:
    """A feasible assignment built greedily, or Infeasible naming the constraint that blocks it.

    The first try is deterministic; later tries (and every try when ``rng`` is given) shuffle the order of the
    items that are not fixed, and of the groups.
    """
    reasons = blocking_reasons(problem)
    if reasons:
        raise Infeasible("no feasible assignment: " + "; ".join(reasons))
    first_failure = ""
    for attempt in range(GREEDY_TRIES):
        shuffle = None if attempt == 0 and rng is None else (rng or np.random.default_rng(attempt))
        p, failure = _greedy(problem, _placing_order(problem, shuffle))
        if p is not None:
            return p
        first_failure = first_failure or failure
    raise Infeasible(f"no feasible assignment found: {first_failure}")


def _placing_order(p: AssignmentProblem, rng: np.random.Generator | None) -> IntArray:
    """Fixed items first; then the members of limited groups, group by group, largest group first; then the rest;
    within each, the largest and the most connected first (shuffled, when ``rng`` is given)."""
    n = p.n_items
    n_allowed = p.allowed.sum(axis=1)
    limited = np.flatnonzero(p.group_max_locations >= 0)
    group_seats = (p.groups[limited].astype(np.int64) @ p.sizes).astype(float)
    if rng is not None:
        group_seats = group_seats * (0.5 + rng.random(group_seats.size))
    block = np.zeros(n)  # the seats of the item's largest limited group, to keep a group's members together
    block_id = -np.ones(n)
    for row in np.argsort(-group_seats, kind="stable")[::-1]:
        members = p.groups[limited[row]]
        block[members], block_id[members] = group_seats[row], row
    weight = np.abs(p.flows).sum(axis=0) + np.abs(p.flows).sum(axis=1)
    size = p.sizes.astype(float)
    if rng is not None:
        size, weight = size * (0.5 + rng.random(n)), weight * rng.random(n)
    return np.lexsort((-weight, -size, n_allowed, block_id, -block, n_allowed > 1)).astype(np.int64)


def _greedy(problem: AssignmentProblem, order: IntArray) -> tuple[IntArray | None, str]:
    """Place the items in this order, each where it adds least cost; None and why when one finds no place."""
    p = problem
    n, m = p.n_items, p.n_locations
    F, D = p.flows, p.distances
    # H[i, l]: the cost of item i at l given the items placed so far.
    H = p.linear + np.diag(F)[:, None] * np.diag(D)[None, :]
    assignment = -np.ones(n, np.int64)
    load = np.zeros(m, np.int64)
    conf = np.zeros((n, n), bool)
    for a, b in p.conflicts:
        conf[a, b] = conf[b, a] = True
    limited = np.flatnonzero(p.group_max_locations >= 0)
    used = np.zeros((len(limited), m), bool)
    unplaced = p.groups[limited].astype(np.int64) @ p.sizes if limited.size else np.zeros(0, np.int64)
    moved = 0
    budget = p.move_budget
    for i in order:
        why = _blocked_locations(p, int(i), assignment, load, conf, limited, used)
        ok = np.array([not reason for reason in why])
        base = int(p.baseline[i])
        if budget >= 0 and base >= 0 and ok[base]:
            choice = base
        elif budget >= 0 and base >= 0 and moved + p.sizes[i] > budget:
            return (
                None,
                f"{p.item_name(int(i))} cannot stay at {p.location_name(base)} ({why[base]}) and the "
                f"budget of {budget} seats that may move is used up",
            )
        else:
            roomy = ok & _leaves_room_for_groups(p, int(i), load, limited, used, unplaced)
            choice = _cheapest(H[i], roomy if roomy.any() else ok)
        if choice < 0:
            detail = "; ".join(f"{p.location_name(loc)}: {why[loc]}" for loc in range(m) if why[loc])
            return None, f"{p.item_name(int(i))} ({p.sizes[i]} seats) could not be placed ({detail})"
        assignment[i] = choice
        load[choice] += p.sizes[i]
        if budget >= 0 and base >= 0 and choice != base:
            moved += int(p.sizes[i])
        for row, g in enumerate(limited):
            if p.groups[g, i]:
                used[row, choice] = True
                unplaced[row] -= p.sizes[i]
        H += F[:, i][:, None] * D[:, choice][None, :] + F[i, :][:, None] * D[choice, :][None, :]
    return assignment, ""


def _leaves_room_for_groups(
    p: AssignmentProblem,
    i: int,
    load: IntArray,
    limited: IntArray,
    used: NDArray[np.bool_],
    unplaced: IntArray,
) -> NDArray[np.bool_]:
    """For each location: whether, with item i there, each of i's groups could still fit its unplaced members in
    the locations it may use (those it uses plus the ones its limit still allows; a look-ahead, not a guarantee)."""
    free = p.capacities - load
    fits = np.ones(p.n_locations, bool)
    for row, g in enumerate(limited):
        if not p.groups[g, i]:
            continue
        limit = int(p.group_max_locations[g])
        for loc in range(p.n_locations):
            places = used[row].copy()
            places[loc] = True
            spare = limit - int(places.sum())
            room = int(free[places].sum())
            if spare > 0:
                room += int(np.sort(free[~places])[::-1][:spare].sum())
            fits[loc] &= room >= unplaced[row]
    return fits


def _cheapest(costs: np.ndarray, ok: np.ndarray) -> int:
    if not ok.any():
        return -1
    return int(np.flatnonzero(ok)[np.argmin(costs[ok])])


def _blocked_locations(
    p: AssignmentProblem,
    i: int,
    assignment: IntArray,
    load: IntArray,
    conf: np.ndarray,
    limited: IntArray,
    used: np.ndarray,
) -> list[str]:
    """For each location, why item i may not go there now ('' when it may)."""
    why: list[str] = []
    partners = np.flatnonzero(conf[i])
    for loc in range(p.n_locations):
        if not p.allowed[i, loc]:
            why.append("not allowed")
        elif load[loc] + p.sizes[i] > p.capacities[loc]:
            why.append(f"{load[loc]} of {p.capacities[loc]} seats taken")
        elif any(assignment[q] == loc for q in partners):
            q = next(q for q in partners if assignment[q] == loc)
            why.append(f"{p.item_name(int(q))} is there and must be kept apart")
        else:
            reason = ""
            for row, g in enumerate(limited):
                if p.groups[g, i] and not used[row, loc] and used[row].sum() >= p.group_max_locations[g]:
                    reason = f"{p.group_name(int(g))} already uses its {p.group_max_locations[g]} locations"
                    break
            why.append(reason)
    return why
