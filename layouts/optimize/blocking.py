"""Necessary conditions of feasibility, each broken one told as a sentence that names the blocking constraint.

`blocking_reasons` finds constraints that no assignment can meet (an empty list proves nothing); `level_runs`
lists the runs of consecutive levels a group on adjacent levels may use, for these checks and the greedy start.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from layouts.optimize.problem import AssignmentProblem, IntArray, move_unit, names_list


@dataclass(frozen=True)
class LevelRun:
    """Locations on consecutive levels (lowest first) and the room left in them."""

    locations: tuple[int, ...]
    room: int


def level_runs(
    problem: AssignmentProblem, g: int, free: IntArray, *, must_hold: frozenset[int] = frozenset()
) -> list[LevelRun]:
    """Every run of locations on consecutive levels that group g may use: each location allowed to one of its
    members at least, the run holding the locations ``must_hold`` and no more locations than the group's limit.
    ``free`` is the room of each location."""
    members = problem.groups[g]
    usable = problem.allowed[members].any(axis=0)
    limit = int(problem.group_max_locations[g])
    limit = problem.n_locations if limit < 0 else limit
    levels = problem.location_levels
    order = [int(loc) for loc in np.argsort(levels, kind="stable")]
    runs: list[LevelRun] = []
    for first in range(len(order)):
        for last in range(first, min(len(order), first + limit)):
            loc = order[last]
            if not usable[loc] or (last > first and levels[loc] != levels[order[last - 1]] + 1):
                break
            chosen = tuple(order[first : last + 1])
            if must_hold <= set(chosen):
                runs.append(LevelRun(chosen, int(free[list(chosen)].sum())))
    return runs


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


def group_label(p: AssignmentProblem, g: int) -> str:
    """'kumin (A, B, C': a group and its members, for messages (the caller closes the parenthesis)."""
    return f"{p.group_name(g)} ({names_list(p, np.flatnonzero(p.groups[g]))}"


def pinned_locations(p: AssignmentProblem, g: int) -> list[int]:
    """The locations of group g's members that may be at one location only, in order."""
    members = np.flatnonzero(p.groups[g])
    return sorted({int(np.flatnonzero(p.allowed[i])[0]) for i in members if p.allowed[i].sum() == 1})


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
        members = np.flatnonzero(p.groups[g])
        group = group_label(p, g)
        fixed = pinned_locations(p, g)
        if limit >= 0 and len(fixed) > limit:
            where = ", ".join(p.location_name(loc) for loc in fixed)
            reasons.append(f"{group}) is fixed to {len(fixed)} locations ({where}), more than its limit of {limit}")
            continue
        need = int(p.sizes[members].sum())
        if p.group_adjacent[g]:
            reasons += _adjacency_reasons(p, g, fixed, need)
            continue
        if limit < 0:
            continue
        usable = p.allowed[members].any(axis=0)
        room = int(np.sort(p.capacities[usable])[::-1][:limit].sum())
        if need > room:
            plural = "s" if limit > 1 else ""
            reasons.append(
                f"{group}, {need} seats) does not fit in {limit} location{plural}: "
                f"the largest it may use hold {room} seats"
            )
    return reasons


def _adjacency_reasons(p: AssignmentProblem, g: int, fixed: list[int], need: int) -> list[str]:
    """A group on adjacent levels needs a run of consecutive levels, within its limit, that holds its fixed members'
    locations and has room for all its seats."""
    group = group_label(p, g)
    limit = int(p.group_max_locations[g])
    within = f"at most {limit} " if limit >= 0 else ""
    runs = level_runs(p, g, p.capacities, must_hold=frozenset(fixed))
    if not runs:
        if not fixed:
            return [f"{group}) must be on adjacent levels but may use no location"]
        where = ", ".join(p.location_name(loc) for loc in fixed)
        return [
            f"{group}) must be on adjacent levels but no run of {within}consecutive levels it may use holds {where}"
        ]
    best = max(runs, key=lambda run: run.room)
    if best.room >= need:
        return []
    span = _span_name(p, best.locations)
    return [
        f"{group}, {need} seats) must be on adjacent levels but no run of {within}consecutive levels it may use "
        f"has room for it: the largest holds {best.room} seats ({span})"
    ]


def _span_name(p: AssignmentProblem, locations: tuple[int, ...]) -> str:
    first, last = p.location_name(locations[0]), p.location_name(locations[-1])
    return first if len(locations) == 1 else f"{first}-{last}"


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
    base, sizes, moves = p.baseline, p.sizes, p.move_sizes
    unit = move_unit(p)
    has_base = base >= 0
    must_leave = [int(i) for i in np.flatnonzero(has_base) if not p.allowed[i, base[i]]]
    leaving = int(moves[must_leave].sum())
    if leaving > p.move_budget:
        return [
            f"{names_list(p, must_leave)} ({leaving} {unit}) may not stay where they are, more than the "
            f"budget of {p.move_budget} {unit} that may move"
        ]
    stay = has_base.copy()
    stay[must_leave] = False
    load = np.bincount(base[stay], weights=sizes[stay], minlength=p.n_locations)
    excess = np.maximum(load - p.capacities, 0)
    least = leaving + sum(_least_to_relieve(p, stay, int(loc), int(excess[loc])) for loc in np.flatnonzero(excess))
    if least <= p.move_budget:
        return []
    crowded = ", ".join(p.location_name(int(loc)) for loc in np.flatnonzero(excess))
    also = ", and from locations not allowed" if leaving else ""
    return [
        f"at least {least} {unit} must move ({crowded} over capacity{also}), more than the budget of {p.move_budget}"
    ]


def _least_to_relieve(p: AssignmentProblem, stay: NDArray[np.bool_], loc: int, excess: int) -> int:
    """A lower bound on the move sizes that must leave ``loc`` to free ``excess`` seats: the excess priced at the
    least move size per seat of the items there (exact when the move sizes are the sizes)."""
    here = np.flatnonzero(stay & (p.baseline == loc) & (p.sizes > 0))
    if here.size == 0:
        return 0
    ratio = float((p.move_sizes[here] / p.sizes[here]).min())
    return int(np.ceil(excess * ratio - 1e-9))
