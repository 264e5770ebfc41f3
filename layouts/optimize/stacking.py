"""Stacking: a scenario's units on floors as an assignment problem for the engine, and the answer as a layout.

The translation (the score of `layouts.scoring` at floor level):

- **Locations** are the floors a unit may use: floors with seats, inside ``available_floors`` when the scenario
  gives them, not closed. D is the floor-to-floor travel time: the place-to-place times of the scorer averaged
  over each floor's seats (a floor's seats are spread over its spaces by their seats, as a floor-level layout is
  scored), so D[f, f] is the walk within a floor.
- **Items** are the leaf units, each needing its `seats_needed`. A unit larger than every floor it may use, or one
  the scenario lets split (``constraints.split``, naming it or a parent), is cut into pieces: twice as many as the
  floors it needs at least, of near-equal seats. A unit that must split may use no more floors than it needs.
- **Flows**: with W the trips matrix (a unit's own trips on the diagonal) and s_i the share of its unit's seats an
  item holds, F[i, j] = W[u, v] / 2 * s_i * s_j between items of different units u, v (the score counts each
  pair once, the engine each ordered pair) and F[i, j] = W[u, u] * s_i * s_j within a unit, so that the engine's
  cost is the score in trip-seconds for any layout whose units sit on floors.
- **Constraints**: ``fixed`` and the locations give the allowed mask; ``max_floors`` and ``adjacent`` are limited
  groups; ``apart`` pairs (and X ratings) are conflicts between all their items.
- **People moved** against the starting layout: each item has a baseline floor (a whole unit: the floor that held
  most of it; pieces: filled into the unit's floors, largest first) and counts its people when it leaves it. A
  unit that must come together (or leave a floor it may no longer use) moves some people wherever it goes; those
  are taken off the budget first. The count is never below the people-moved figure of `layouts.compare` (the
  budget is never exceeded), and the reported figure is always that of `layouts.compare`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from floorplan.model import Floor
from layouts.checks import floors_of_units
from layouts.compare import people_moved
from layouts.errors import Infeasible
from layouts.layout import Layout
from layouts.optimize.construction import greedy_start
from layouts.optimize.engine import Callback, Solution, solve
from layouts.optimize.exact import MAX_ITEMS, MAX_LOCATIONS, ExactResult, solve_exact
from layouts.optimize.problem import AssignmentProblem, IntArray, violations
from layouts.optimize.verify import ResultMismatch, check_close
from layouts.scenario import Scenario
from layouts.scoring import LayoutScore, ScoringModel, score_layout, scoring_model

#: Travel time given to a pair of floors that no core links, so that the search keeps related units off them.
UNREACHABLE_S = 1.0e6
#: Trip-seconds a week charged for each person moved, so that among layouts of equal travel the search keeps the
#: one that moves fewest people (far below any difference of travel a planner would weigh).
MOVE_TIE_BREAK_S = 1.0e-4


@dataclass(frozen=True, slots=True)
class StackingItem:
    """What the engine places: a whole unit, or a piece of one that may (or must) split."""

    unit: str
    seats: int
    people: int
    piece: int = 0  # 0 for a whole unit, else 1, 2, ...


@dataclass(frozen=True)
class Stacking:
    """A scenario's stacking problem, with what is needed to read an assignment back as a layout."""

    scenario: Scenario
    problem: AssignmentProblem
    items: tuple[StackingItem, ...]
    floors: tuple[Floor, ...]
    baseline: NDArray[np.int64]  # each item's floor (index into floors) in the starting layout, -1 for none
    unavoidable_moves: float  # people who move wherever the units go
    start: Layout

    def layout(self, assignment: Sequence[int] | NDArray[np.int64], *, name: str) -> Layout:
        """The layout an assignment stands for: each unit's seats per floor name."""
        seats: dict[str, dict[str, int]] = {}
        for item, loc in zip(self.items, np.asarray(assignment).tolist(), strict=True):
            floor = self.floors[int(loc)].name
            unit = seats.setdefault(item.unit, {})
            unit[floor] = unit.get(floor, 0) + item.seats
        ordered = {u: dict(sorted(s.items(), key=lambda kv: self.scenario.building.floor(kv[0]).level))
                   for u, s in seats.items()}  # fmt: skip
        return Layout(name, ordered)


def _floor_travel(scenario: Scenario, model: ScoringModel, floors: Sequence[Floor]) -> NDArray[np.float64]:
    """D[f, g]: the mean travel time between the seats of floor f and those of floor g."""
    spread = scenario.place_index.spread
    a = np.zeros((len(floors), len(model.place_ids)))
    for row, floor in enumerate(floors):
        for place, share in spread[floor.id].items():
            a[row, model.place_index[place]] = share
    seconds = np.where(model.unreachable, UNREACHABLE_S, model.seconds)
    return np.asarray(a @ seconds @ a.T)


def _pieces(seats: int, people: int, count: int) -> list[tuple[int, int]]:
    """``seats`` cut into ``count`` near-equal pieces, each with the people it stands for, rounded up (so that a
    piece's people never count for less than its share of the unit when it moves)."""
    base, extra = divmod(seats, count)
    sizes = [base + (1 if k < extra else 0) for k in range(count)]
    return [(s, math.ceil(people * s / seats - 1e-9) if seats else people) for s in sizes]


def stacking_problem(
    scenario: Scenario,
    *,
    start: Layout | str | None = None,
    max_moves: int | None = None,
    model: ScoringModel | None = None,
) -> Stacking:
    """The scenario's units on its floors as an `AssignmentProblem` (see the module's text)."""
    start_layout = start if isinstance(start, Layout) else scenario.layout(start)
    model = model or scoring_model(scenario)
    org = scenario.organisation
    c = scenario.constraints
    available = set(c.available_floors) if c.available_floors else None
    floors = tuple(
        f
        for f in scenario.building.floors
        if f.seat_capacity > 0 and f.id not in c.closed_floors and (available is None or f.id in available)
    )
    if not floors:
        raise Infeasible("no floor can take units: every floor with seats is closed or outside available_floors")
    loc_of = {f.id: k for k, f in enumerate(floors)}
    capacity = np.array([f.seat_capacity for f in floors], np.int64)
    start_floors = floors_of_units(scenario, start_layout)

    def chain(unit: str) -> list[str]:
        return [unit, *org.ancestors(unit)]

    def allowed_floors(unit: str) -> set[int]:
        ok = set(range(len(floors)))
        for name in chain(unit):
            if name in c.fixed:
                ok &= {loc_of[f] for f in c.fixed[name] if f in loc_of}
        return ok

    items: list[StackingItem] = []
    baselines: list[int] = []
    unit_items: dict[str, list[int]] = {}
    together: dict[str, int] = {}  # unit -> the most floors its items may use
    unavoidable = 0.0
    for unit in sorted(org.leaves()):
        seats, people = org.seats_needed(unit), org[unit].headcount
        ok = allowed_floors(unit)
        room = max((int(capacity[k]) for k in ok), default=0)
        if room == 0:
            raise Infeasible(f"unit {unit} may use no floor with seats (check constraints.fixed and closed floors)")
        need = math.ceil(seats / room)
        held = start_floors.get(unit, {})
        total = sum(held.values())
        shares = {loc_of[f]: n / total for f, n in held.items() if f in loc_of and loc_of[f] in ok} if total else {}
        unavoidable += people * (1.0 - sum(shares.values()))  # seats on floors the unit may no longer use
        if need > 1 or any(name in c.split for name in chain(unit)):
            parts = _pieces(seats, people, max(2, 2 * need))
            bases = _fill(shares, [s / seats for s, _ in parts], floors)
            kept = sum(_kept_shares(shares, parts, bases, seats))
            unavoidable += people * max(0.0, sum(shares.values()) - kept)
            if need > 1 and not any(name in c.split for name in chain(unit)):
                together[unit] = need
        elif len(shares) > 1:
            # Split today but not to be split: one part per floor it is on, kept together, so that each part
            # counts its own people when it moves (the unit moves as a whole, its moved people exactly counted).
            floors_today = sorted(shares, key=lambda k: (-shares[k], floors[k].level))
            parts = _apportion(seats, people, [shares[k] for k in floors_today])
            bases = floors_today[: len(parts)]
            together[unit] = 1
        else:
            parts = [(seats, people)]
            bases = [next(iter(shares))] if shares else [-1]
        unit_items[unit] = []
        for k, ((s, h), base) in enumerate(zip(parts, bases, strict=True)):
            unit_items[unit].append(len(items))
            items.append(StackingItem(unit, s, h, k + 1 if len(parts) > 1 else 0))
            baselines.append(base)

    n, m = len(items), len(floors)
    unit_index = model.unit_index
    w = model.weights
    flows = np.zeros((n, n))
    for i, a in enumerate(items):
        ua, sa = unit_index[a.unit], a.seats / org.seats_needed(a.unit)
        for j, b in enumerate(items):
            ub, sb = unit_index[b.unit], b.seats / org.seats_needed(b.unit)
            flows[i, j] = (w[ua, ub] if ua == ub else w[ua, ub] / 2.0) * sa * sb

    allowed = np.zeros((n, m), bool)
    for i, item in enumerate(items):
        allowed[i, sorted(allowed_floors(item.unit))] = True

    groups: list[NDArray[np.bool_]] = []
    limits: list[int] = []
    adjacent: list[bool] = []
    names: list[str] = []
    for unit in sorted(set(c.max_floors) | set(c.adjacent) | set(together)):
        members = np.zeros(n, bool)
        for leaf in org.leaves(unit):
            members[unit_items[leaf]] = True
        groups.append(members)
        limit = min(c.max_floors.get(unit, m), together.get(unit, m))
        limits.append(limit if limit < m else -1)
        adjacent.append(unit in c.adjacent)
        names.append(unit)
    conflicts = [(i, j) for pair in c.apart for a, b in [sorted(pair)] for i in unit_items[a] for j in unit_items[b]]

    baseline = np.array(baselines, np.int64)
    budget = -1
    if max_moves is not None:
        budget = math.floor(max_moves - unavoidable + 1e-9)
        if budget < 0:
            raise Infeasible(
                f"at most {max_moves} people may move, but {unavoidable:.0f} must move from the starting layout "
                f"{start_layout.name!r} wherever the units go (units on floors they may no longer use, or parts of "
                "units that must split)"
            )
    kwargs: dict[str, object] = {}
    if groups:
        kwargs.update(groups=np.array(groups), group_max_locations=np.array(limits), group_names=names)
        if any(adjacent):
            kwargs.update(group_adjacent=np.array(adjacent), location_levels=[f.level for f in floors])
    problem = AssignmentProblem(
        flows,
        _floor_travel(scenario, model, floors),
        linear=_move_tie_break(baseline, [it.people for it in items], m),
        sizes=[it.seats for it in items],
        capacities=capacity,
        allowed=allowed,
        conflicts=np.array(conflicts, np.int64).reshape(-1, 2),
        baseline=baseline,
        move_budget=budget,
        move_sizes=[it.people for it in items],
        item_names=[it.unit if it.piece == 0 else f"{it.unit} (part {it.piece})" for it in items],
        location_names=[f.name for f in floors],
        **kwargs,  # type: ignore[arg-type]
    )
    return Stacking(scenario, problem, tuple(items), floors, baseline, unavoidable, start_layout)


def _move_tie_break(baseline: NDArray[np.int64], people: Sequence[int], m: int) -> NDArray[np.float64]:
    """L[i, l]: MOVE_TIE_BREAK_S for each person of item i if it sits anywhere but its baseline floor."""
    linear = np.zeros((len(people), m))
    for i, (base, n) in enumerate(zip(baseline.tolist(), people, strict=True)):
        if base >= 0:
            linear[i] = MOVE_TIE_BREAK_S * n
            linear[i, base] = 0.0
    return linear


def _apportion(seats: int, people: int, shares: Sequence[float]) -> list[tuple[int, int]]:
    """``seats`` shared out by ``shares`` (largest remainders, parts of no seats dropped), each part with its people
    rounded up."""
    total = sum(shares)
    exact = [seats * s / total for s in shares]
    whole = [math.floor(x) for x in exact]
    for k in sorted(range(len(exact)), key=lambda k: (-(exact[k] - whole[k]), k))[: seats - sum(whole)]:
        whole[k] += 1
    return [(s, math.ceil(people * s / seats - 1e-9)) for s in whole if s > 0]


def _fill(shares: Mapping[int, float], parts: Sequence[float], floors: Sequence[Floor]) -> list[int]:
    """Baselines of a splitting unit's pieces (shares of its seats): filled, largest first, into the floors it is
    on today, the floor holding most first; a piece that fits nowhere has none (-1)."""
    left = dict(shares)
    out = [-1] * len(parts)
    for i in sorted(range(len(parts)), key=lambda i: (-parts[i], i)):
        options = [k for k, room in left.items() if room > 1e-12]
        if not options:
            continue
        k = max(options, key=lambda k: (left[k], -floors[k].level))
        out[i] = k
        left[k] -= min(left[k], parts[i])
    return out


def _kept_shares(
    shares: Mapping[int, float], parts: Sequence[tuple[int, int]], bases: Sequence[int], seats: int
) -> list[float]:
    """For each piece, the share of the unit's seats its baseline floor held for it (what stays when it stays)."""
    left = dict(shares)
    out = [0.0] * len(parts)
    for i in sorted(range(len(parts)), key=lambda i: (-parts[i][0], i)):
        k = bases[i]
        if k < 0:
            continue
        out[i] = min(left[k], parts[i][0] / seats)
        left[k] -= out[i]
    return out


@dataclass(frozen=True)
class StackingResult:
    """An optimised layout, checked by the scorer, beside the layout it started from."""

    scenario: Scenario  # the scenario with the new layout added
    layout: Layout
    score: LayoutScore
    start_score: LayoutScore
    people_moved: float
    solution: Solution
    stacking: Stacking
    exact: ExactResult | None = None  # the MIP solver's proof or bound, when asked for

    @property
    def gap(self) -> float | None:
        """How far the heuristic's layout may be above the optimum, as a share of its score (None: no exact run)."""
        return None if self.exact is None else self.exact.gap_of(self.solution.cost)


def optimize_scenario(
    scenario: Scenario,
    *,
    start: str | None = None,
    time_limit: float | None = None,
    max_iterations: int | None = None,
    seed: int | None = None,
    max_moves: int | None = None,
    name: str = "optimised",
    workers: int = 1,
    callback: Callback | None = None,
    exact_seconds: float | None = None,
) -> StackingResult:
    """Search for a layout with less travel that keeps every constraint of ``scenario``; see `stacking_problem`.

    With ``exact_seconds``, the MIP solver then starts from the search's layout and tries, for at most that long,
    to prove it optimal or to find a better one (kept if found); the result holds its bound and the search's gap to
    it. The exact mode takes small scenarios only (`layouts.optimize.exact.MAX_ITEMS` units or pieces,
    `MAX_LOCATIONS` floors) and raises ValueError for larger ones.

    The result's figures come from `layouts.scoring` and `layouts.compare`, not from the search's bookkeeping; a
    disagreement between the two is a bug and raises ResultMismatch (layouts.optimize.verify).
    """
    if name in scenario.layouts:
        raise ValueError(f"the scenario already has a layout called {name!r}")
    model = scoring_model(scenario)
    stacking = stacking_problem(scenario, start=start, max_moves=max_moves, model=model)
    problem = stacking.problem
    first = stacking.baseline if (stacking.baseline >= 0).all() and not violations(problem, stacking.baseline) else None
    if first is None:
        try:
            first = feasible_start(problem)
        except Infeasible:
            reason = None if max_moves is None else _budget_too_small(stacking, max_moves)
            if reason is not None:
                raise reason from None
            raise
    solution = solve(
        problem,
        seed=seed,
        time_limit=time_limit,
        max_iterations=max_iterations,
        workers=workers,
        start=first,
        callback=callback,
    )
    best, cost = solution.assignment, solution.cost
    exact = None
    if exact_seconds is not None:
        exact = solve_exact(problem, time_limit=exact_seconds, start=solution.assignment)
        if exact.assignment is not None and exact.cost is not None and exact.cost < solution.cost - 1e-6:
            best, cost = exact.assignment, exact.cost
    layout = stacking.layout(best, name=name)
    new = with_layout(scenario, layout)
    score = score_layout(new, layout, model=model)
    cost -= float(problem.linear[np.arange(problem.n_items), best].sum())  # the tie-break is not travel
    check_close("travel in trip-seconds a week", cost, score.travel_hours_per_week * 3600.0)
    if score.violations:
        raise ResultMismatch("the constraints broken", "none", "; ".join(str(v) for v in score.violations))
    moved = sum(people_moved(new, layout, stacking.start).values())
    if max_moves is not None and moved > max_moves + 1e-6:
        raise ResultMismatch("people who move", f"at most {max_moves}", moved)
    return StackingResult(
        scenario=new,
        layout=layout,
        score=score,
        start_score=score_layout(scenario, stacking.start, model=model),
        people_moved=moved,
        solution=solution,
        stacking=stacking,
        exact=exact,
    )


def feasible_start(problem: AssignmentProblem, *, time_limit: float = 20.0) -> IntArray:
    """A feasible assignment to start the search from: the greedy construction, else (when the greedy fails, as it
    may under a tight move budget) the MIP solver asked for the assignment that moves fewest people.

    Raises Infeasible with the greedy's reason when the solver proves that no assignment exists, or cannot tell.
    """
    try:
        return greedy_start(problem)
    except Infeasible as failure:
        if problem.n_items > MAX_ITEMS or problem.n_locations > MAX_LOCATIONS:
            raise
        found = solve_exact(fewest_moves(problem), time_limit=time_limit)
        if found.assignment is None:
            raise failure from None
        return found.assignment


def fewest_moves(problem: AssignmentProblem, *, budget: bool = True) -> AssignmentProblem:
    """The same constraints, with the people moved away from the baseline as the only cost (and, with ``budget``
    False, no move budget): what the MIP solver answers to find a start, or the least that must move."""
    away = np.ones((problem.n_items, problem.n_locations))
    has_base = problem.baseline >= 0
    away[has_base, problem.baseline[has_base]] = 0.0
    return AssignmentProblem(
        np.zeros_like(problem.flows),
        problem.distances,
        linear=away * problem.move_sizes[:, None],
        sizes=problem.sizes,
        capacities=problem.capacities,
        allowed=problem.allowed,
        groups=problem.groups,
        group_max_locations=problem.group_max_locations,
        group_adjacent=problem.group_adjacent,
        location_levels=problem.location_levels,
        conflicts=problem.conflicts,
        baseline=problem.baseline,
        move_sizes=problem.move_sizes,
        move_budget=problem.move_budget if budget else -1,
        item_names=problem.item_names,
        location_names=problem.location_names,
        group_names=problem.group_names,
    )


def _budget_too_small(stacking: Stacking, max_moves: int) -> Infeasible | None:
    """Infeasible saying how many people must move at least, when the constraints can be met with more moves."""
    problem = stacking.problem
    if problem.n_items > MAX_ITEMS or problem.n_locations > MAX_LOCATIONS:
        return None
    least = solve_exact(fewest_moves(problem, budget=False), time_limit=20.0)
    if least.cost is None:
        return None
    must = least.cost + stacking.unavoidable_moves
    return Infeasible(
        f"at most {max_moves} people may move from the layout {stacking.start.name!r}, but every layout that keeps "
        f"the scenario's constraints moves at least {math.ceil(must - 1e-9)}"
    )


def with_layout(scenario: Scenario, layout: Layout) -> Scenario:
    """``scenario`` with ``layout`` added (its place index kept: a layout of floor names needs nothing new)."""
    return replace(scenario, layouts={**scenario.layouts, layout.name: layout})
