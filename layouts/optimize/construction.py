"""A feasible starting assignment: quick necessary checks that name the blocking constraint, then a greedy build.

The greedy places the fixed items first, then the members of each group limited to k locations or to adjacent levels
together (largest group first), then the rest, the largest first; each goes to the feasible location that adds
least cost given the items already placed, preferring locations that leave its groups room for their members still
to come. With a move budget an item stays at its baseline location whenever it may. When that fails it tries again
in shuffled orders, and when all tries fail the error names the item that found no place and why each location
refused it (or the group that found no run of levels with room).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from layouts.errors import Infeasible
from layouts.optimize.blocking import LevelRun, blocking_reasons, group_label, level_runs
from layouts.optimize.problem import AssignmentProblem, IntArray, move_unit, violations

__all__ = ["blocking_reasons", "check_feasible_start", "greedy_start"]

GREEDY_TRIES = 30


def check_feasible_start(problem: AssignmentProblem, start: IntArray) -> IntArray:
    """The caller's starting assignment as int64, or ValueError listing what it breaks."""
    broken = violations(problem, start)
    if broken:
        raise ValueError("the starting assignment is not feasible: " + "; ".join(broken))
    return np.array(start, np.int64)


def greedy_start(problem: AssignmentProblem, rng: np.random.Generator | None = None) -> IntArray:
    """A feasible assignment built greedily, or Infeasible naming the constraint that blocks it.

    The first try is deterministic; later tries (and every try when ``rng`` is given) shuffle the order of the
    items that are not fixed, and of the groups, and may choose other runs of levels for groups on adjacent levels.
    """
    reasons = blocking_reasons(problem)
    if reasons:
        raise Infeasible("no feasible assignment: " + "; ".join(reasons))
    first_failure = ""
    for attempt in range(2 * GREEDY_TRIES):
        # The first tries place each item where it adds least cost; the later ones pack (best fit, the cost
        # breaking ties), for floors so full that placing by cost leaves no room for the last items.
        packing = attempt >= GREEDY_TRIES
        shuffle = None if attempt % GREEDY_TRIES == 0 and rng is None else (rng or np.random.default_rng(attempt))
        p, failure = _Greedy(problem, shuffle, packing=packing).run(_placing_order(problem, shuffle))
        if p is not None:
            return p
        first_failure = first_failure or failure
    repaired = _repaired_start(problem, rng or np.random.default_rng(0))
    if repaired is not None:
        return repaired
    raise Infeasible(f"no feasible assignment found: {first_failure}")


def _repaired_start(problem: AssignmentProblem, rng: np.random.Generator) -> IntArray | None:
    """When no greedy order fits every item: place them all, over capacity where they must (the least over first),
    then let the tabu search, crossing capacity at a penalty, find an assignment within it."""
    from layouts.optimize import search  # the search imports this module's siblings, not this module

    p, _ = _Greedy(problem, None, packing=True, overfill=True).run(_placing_order(problem, None))
    if p is None:
        return None
    return search.repair_capacity(problem, p, rng)


def constrained_groups(p: AssignmentProblem) -> IntArray:
    """The groups limited to k locations or to adjacent levels."""
    return np.flatnonzero((p.group_max_locations >= 0) | p.group_adjacent).astype(np.int64)


def _placing_order(p: AssignmentProblem, rng: np.random.Generator | None) -> IntArray:
    """Fixed items first; then the members of constrained groups, group by group, largest group first; then the
    rest; within each, the largest and the most connected first (shuffled, when ``rng`` is given)."""
    n = p.n_items
    n_allowed = p.allowed.sum(axis=1)
    limited = constrained_groups(p)
    group_seats = (p.groups[limited].astype(np.int64) @ p.sizes).astype(float)
    if rng is not None:
        group_seats = group_seats * (0.5 + rng.random(group_seats.size))
    block = np.zeros(n)  # the seats of the item's largest constrained group, to keep a group's members together
    block_id = -np.ones(n)
    for row in np.argsort(-group_seats, kind="stable")[::-1]:
        members = p.groups[limited[row]]
        block[members], block_id[members] = group_seats[row], row
    weight = np.abs(p.flows).sum(axis=0) + np.abs(p.flows).sum(axis=1)
    size = p.sizes.astype(float)
    if rng is not None:
        size, weight = size * (0.5 + rng.random(n)), weight * rng.random(n)
    return np.lexsort((-weight, -size, n_allowed, block_id, -block, n_allowed > 1)).astype(np.int64)


class _Greedy:
    """One greedy build: each item in turn goes where it adds least cost given the items already placed.

    A group on adjacent levels is given a run of consecutive levels with room for it when its first member that is
    not fixed comes up (the cheapest of the smallest such runs; with a move budget, the one its members' baselines
    are in), and its members then grow its set of levels one level at a time inside that run, filling the levels
    between fixed members first, so that the set stays one run.
    """

    def __init__(
        self,
        problem: AssignmentProblem,
        rng: np.random.Generator | None,
        *,
        packing: bool = False,
        overfill: bool = False,
    ) -> None:
        p = self.p = problem
        self.rng = rng
        self.packing = packing
        self.overfill = overfill  # capacities may be exceeded (then run() checks every other constraint)
        n, m = p.n_items, p.n_locations
        # H[i, l]: the cost of item i at l given the items placed so far.
        self.H = p.linear + np.diag(p.flows)[:, None] * np.diag(p.distances)[None, :]
        self.assignment = -np.ones(n, np.int64)
        self.load = np.zeros(m, np.int64)
        self.conf = np.zeros((n, n), bool)
        for a, b in p.conflicts:
            self.conf[a, b] = self.conf[b, a] = True
        self.rows = constrained_groups(p)
        self.used = np.zeros((len(self.rows), m), bool)
        self.unplaced = p.groups[self.rows].astype(np.int64) @ p.sizes if len(self.rows) else np.zeros(0, np.int64)
        self.window: list[NDArray[np.bool_] | None] = [None] * len(self.rows)
        self.moved = 0

    def run(self, order: IntArray) -> tuple[IntArray | None, str]:
        """Place the items in this order; None and why when one finds no place."""
        for i in order:
            failure = self._place(int(i))
            if failure:
                return None, failure
        p = self.p
        if self.overfill:
            p = dataclasses.replace(p, capacities=np.maximum(p.capacities, self.load))
        broken = violations(p, self.assignment)
        return (None, "; ".join(broken)) if broken else (self.assignment, "")

    def _place(self, i: int) -> str:
        p, budget = self.p, self.p.move_budget
        for row, g in enumerate(self.rows):
            if p.groups[g, i] and p.group_adjacent[g] and self.window[row] is None and p.allowed[i].sum() > 1:
                failure = self._choose_window(row, int(g))
                if failure:
                    return failure
        why = self._blocked_locations(i)
        ok = np.array([not reason for reason in why])
        base = int(p.baseline[i])
        if budget >= 0 and base >= 0 and ok[base]:
            choice = base
        elif budget >= 0 and base >= 0 and self.moved + p.move_sizes[i] > budget:
            return (
                f"{p.item_name(i)} cannot stay at {p.location_name(base)} ({why[base]}) and the "
                f"budget of {budget} {move_unit(p)} that may move is used up"
            )
        else:
            roomy = ok & self._leaves_room_for_groups(i)
            costs = self.H[i]
            if self.packing:  # best fit: the least room left, then the least cost (over capacity: the least over)
                left = (p.capacities - self.load - p.sizes[i]).astype(np.float64)
                if self.overfill:
                    left = np.where(left < 0, -left * p.sizes.sum(), left)
                spread = float(np.ptp(costs)) + 1.0
                costs = left * spread + (costs - costs.min())
            choice = _cheapest(costs, roomy if roomy.any() else ok)
        if choice < 0:
            detail = "; ".join(f"{p.location_name(loc)}: {why[loc]}" for loc in range(p.n_locations) if why[loc])
            return f"{p.item_name(i)} ({p.sizes[i]} seats) could not be placed ({detail})"
        self.assignment[i] = choice
        self.load[choice] += p.sizes[i]
        if budget >= 0 and base >= 0 and choice != base:
            self.moved += int(p.move_sizes[i])
        for row, g in enumerate(self.rows):
            if p.groups[g, i]:
                self.used[row, choice] = True
                self.unplaced[row] -= p.sizes[i]
        F, D = p.flows, p.distances
        self.H += F[:, i][:, None] * D[:, choice][None, :] + F[i, :][:, None] * D[choice, :][None, :]
        return ""

    def _choose_window(self, row: int, g: int) -> str:
        """Choose the run of levels group g will use, or say why there is none."""
        p = self.p
        used = frozenset(int(loc) for loc in np.flatnonzero(self.used[row]))
        runs = level_runs(p, g, p.capacities - self.load, must_hold=used)
        need = int(self.unplaced[row])
        fitting = [run for run in runs if run.room >= need]
        if not fitting:
            held = ", ".join(p.location_name(loc) for loc in sorted(used))
            holding = f" that holds {held}" if held else ""
            return (
                f"{group_label(p, g)}) must be on adjacent levels but no run of consecutive levels{holding} "
                f"has room left for its {need} seats still to place"
            )
        waiting = [int(i) for i in np.flatnonzero(p.groups[g]) if self.assignment[i] < 0]

        def rank(run: LevelRun) -> tuple[float, float, float]:
            inside = list(run.locations)
            moves = 0.0
            if p.move_budget >= 0:
                moves = float(sum(p.move_sizes[i] for i in waiting if 0 <= p.baseline[i] not in inside))
            cost = float(self.H[np.ix_(waiting, inside)].min(axis=1).sum()) if waiting else 0.0
            return moves, len(inside), cost

        fitting.sort(key=rank)
        pick = 0 if self.rng is None else min(len(fitting) - 1, int(self.rng.geometric(0.5)) - 1)
        mask = np.zeros(p.n_locations, bool)
        mask[list(fitting[pick].locations)] = True
        self.window[row] = mask
        return ""

    def _leaves_room_for_groups(self, i: int) -> NDArray[np.bool_]:
        """For each location: whether, with item i there, each of i's limited groups could still fit its unplaced
        members in the locations it may use (those it uses plus the ones its limit still allows; a look-ahead, not
        a guarantee)."""
        p = self.p
        free = p.capacities - self.load
        fits = np.ones(p.n_locations, bool)
        for row, g in enumerate(self.rows):
            limit = int(p.group_max_locations[g])
            if not p.groups[g, i] or limit < 0:
                continue
            for loc in range(p.n_locations):
                places = self.used[row].copy()
                places[loc] = True
                spare = limit - int(places.sum())
                room = int(free[places].sum())
                if spare > 0:
                    room += int(np.sort(free[~places])[::-1][:spare].sum())
                fits[loc] &= room >= self.unplaced[row]
        return fits

    def _blocked_locations(self, i: int) -> list[str]:
        """For each location, why item i may not go there now ('' when it may)."""
        p, assignment = self.p, self.assignment
        partners = np.flatnonzero(self.conf[i])
        why: list[str] = []
        for loc in range(p.n_locations):
            if not p.allowed[i, loc]:
                why.append("not allowed")
            elif self.load[loc] + p.sizes[i] > p.capacities[loc] and not self.overfill:
                why.append(f"{self.load[loc]} of {p.capacities[loc]} seats taken")
            elif any(assignment[q] == loc for q in partners):
                q = next(q for q in partners if assignment[q] == loc)
                why.append(f"{p.item_name(int(q))} is there and must be kept apart")
            else:
                why.append(self._group_refusal(i, loc))
        if any(not reason for reason in why):
            self._fill_gaps_first(i, why)
        return why

    def _group_refusal(self, i: int, loc: int) -> str:
        p = self.p
        for row, g in enumerate(self.rows):
            if not p.groups[g, i]:
                continue
            limit = int(p.group_max_locations[g])
            if 0 <= limit <= self.used[row].sum() and not self.used[row, loc]:
                return f"{p.group_name(int(g))} already uses its {limit} locations"
            window = self.window[row]
            if window is None:
                continue  # fixed members come first, before the group's run of levels is chosen
            if not window[loc]:
                return f"{p.group_name(int(g))} keeps to the levels {self._span(window)}"
            levels = p.location_levels[self.used[row]]
            level = p.location_levels[loc]
            if levels.size and not levels.min() - 1 <= level <= levels.max() + 1:
                return f"{p.group_name(int(g))} would leave a level out between its locations"
        return ""

    def _fill_gaps_first(self, i: int, why: list[str]) -> None:
        """A group on adjacent levels with a level left out between its locations (between fixed members) takes
        that level first, when item i fits there."""
        p = self.p
        for row, g in enumerate(self.rows):
            if not (p.groups[g, i] and p.group_adjacent[g] and self.used[row].any()):
                continue
            levels = p.location_levels[self.used[row]]
            inner = (p.location_levels > levels.min()) & (p.location_levels < levels.max()) & ~self.used[row]
            gaps = [loc for loc in np.flatnonzero(inner) if not why[loc]]
            if gaps:
                for loc in range(p.n_locations):
                    if not why[loc] and loc not in gaps:
                        why[loc] = f"{p.group_name(int(g))} must first fill the level left out between its locations"

    def _span(self, window: NDArray[np.bool_]) -> str:
        locations = sorted(np.flatnonzero(window), key=lambda loc: int(self.p.location_levels[loc]))
        first, last = self.p.location_name(int(locations[0])), self.p.location_name(int(locations[-1]))
        return first if len(locations) == 1 else f"{first}-{last}"


def _cheapest(costs: np.ndarray, ok: np.ndarray) -> int:
    if not ok.any():
        return -1
    return int(np.flatnonzero(ok)[np.argmin(costs[ok])])
