"""Stacking benchmark: the heuristic search (`solve`) against the exact optimum (`solve_exact`) on random stacking
problems of the size a department's reorganisation has.

Run by hand (a few minutes; the exact mode takes most of it):

    python tests/bench/bench_stacking.py [--instances 40] [--seconds 5] [--exact-seconds 60] [--seed 0]
    pytest tests/bench/bench_stacking.py -m bench -s

Each instance (seeded): 8-25 units of 5-60 seats on 3-8 floors of a floor-guide building (floors 4 m apart, a lift
serving every floor and a stair) whose seats are 100-110 % of the seats needed, D the floor-to-floor travel times of
`floorplan.circulation.travel_matrix` in seconds, F from random relations (SLP ratings A/E/I/O as trips per week,
half on each side of the diagonal as the score counts each pair once) and each unit's own traffic (5 trips per
person per week) on the diagonal. The floors are filled from a random layout, so every instance is feasible; every
fourth has a department on at most 2 floors, every fourth a unit fixed to its floor, every fourth a department on
adjacent floors. For each, two runs that know nothing of each other:

- the heuristic, one worker, for its whole time budget (``seconds``; it is not told any target, so it cannot stop
  at the optimum, and its time is not a time to the optimum);
- the exact mode (`solve_exact`, HiGHS) cold: no starting assignment from the heuristic, ``exact_seconds`` at most.

The best known cost of an instance is the lower of the two. The report counts the instances where the heuristic
reaches the best known, and, apart, those the exact mode proves optimal on its own; where the exact mode proves
nothing, the heuristic's cost is compared with the exact mode's bound, and a best known that only the heuristic
found is never counted as proven.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

import numpy as np
import pytest

from floorplan.circulation import travel_matrix
from floorplan.floorguide import building_from_floor_guide
from layouts.optimize import AssignmentProblem, solve, violations
from layouts.optimize.exact import ExactResult, solve_exact

RATINGS = np.array([40.0, 20.0, 10.0, 5.0])  # A, E, I, O trips per week
INTERNAL_TRIPS_PER_PERSON = 5.0
RELATED_SHARE = 0.3  # the share of pairs of units with a relation


@dataclass(frozen=True)
class Instance:
    name: str
    problem: AssignmentProblem
    kind: str  # plain, max-floors, fixed or adjacent


def floor_travel_times(n_floors: int) -> np.ndarray:
    """D: seconds between the floors of a floor-guide building with a lift to every floor and a stair."""
    levels = list(range(n_floors))
    guide = {
        "floors": [{"name": f"{level + 1}F", "level": level, "seats": 100} for level in levels],
        "cores": [{"id": "lift", "kind": "lift", "levels": levels}, {"id": "stair", "kind": "stair", "levels": levels}],
    }
    matrix = travel_matrix(building_from_floor_guide(guide))
    assert [place.level for place in matrix.places] == levels
    return np.array(matrix.seconds)


def make_instance(seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(8, 26)), int(rng.integers(3, 9))
    sizes = rng.integers(5, 61, n)
    # A random layout to fill the floors from: each floor holds one unit at least.
    today = np.concatenate([rng.permutation(m), rng.integers(0, m, n - m)]) if n >= m else rng.integers(0, m, n)
    rng.shuffle(today)
    load = np.bincount(today, weights=sizes, minlength=m).astype(np.int64)
    spare = round(float(sizes.sum()) * rng.uniform(0.0, 0.10))
    capacities = load + rng.multinomial(spare, np.full(m, 1.0 / m))
    weights = np.zeros((n, n))
    related = np.triu(rng.random((n, n)) < RELATED_SHARE, 1)
    weights[related] = RATINGS[rng.integers(0, 4, int(related.sum()))]
    flows = (weights + weights.T) / 2 + np.diag(INTERNAL_TRIPS_PER_PERSON * sizes)
    kwargs: dict[str, object] = {}
    kind = ("plain", "max-floors", "fixed", "adjacent")[seed % 4]
    if kind in ("max-floors", "adjacent"):
        # A department: the units on two (or, on adjacent floors, up to three) neighbouring floors of the layout.
        low = int(rng.integers(0, max(1, m - 1)))
        span = 2 if kind == "max-floors" else int(rng.integers(2, 4))
        floors = np.arange(low, min(m, low + span))
        members = np.isin(today, floors) & (rng.random(n) < 0.8)
        kwargs.update(groups=members[None, :], group_max_locations=[2 if kind == "max-floors" else -1])
        kwargs.update(group_adjacent=[kind == "adjacent"], group_names=["dept"])
    elif kind == "fixed":
        allowed = np.ones((n, m), bool)
        unit = int(rng.integers(n))
        allowed[unit] = np.arange(m) == today[unit]
        kwargs["allowed"] = allowed
    problem = AssignmentProblem(
        flows,
        floor_travel_times(m),
        sizes=sizes,
        capacities=capacities,
        location_names=[f"{level + 1}F" for level in range(m)],
        **kwargs,  # type: ignore[arg-type]
    )
    assert violations(problem, today) == []
    return Instance(f"s{seed:02d}", problem, kind)


@dataclass(frozen=True)
class Row:
    instance: Instance
    exact: ExactResult  # cold: started from no assignment
    heuristic_cost: float
    heuristic_seconds: float
    heuristic_stopped_by: str

    @property
    def best_known(self) -> float:
        """The lower of the exact mode's best and the heuristic's."""
        return self.heuristic_cost if self.exact.cost is None else min(self.exact.cost, self.heuristic_cost)

    @property
    def reached(self) -> bool:
        """The heuristic reached the best known cost."""
        return self.heuristic_cost <= self.best_known + 1e-6 * max(1.0, abs(self.best_known))

    @property
    def exact_reached(self) -> bool:
        """The exact mode, on its own, found the best known cost."""
        best = self.exact.cost
        return best is not None and best <= self.best_known + 1e-6 * max(1.0, abs(self.best_known))


def bench_one(instance: Instance, seconds: float, exact_seconds: float, seed: int) -> Row:
    exact = solve_exact(instance.problem, time_limit=exact_seconds)  # cold: nothing from the heuristic
    solution = solve(instance.problem, seed=seed, workers=1, time_limit=seconds)  # no target: the whole budget
    return Row(instance, exact, solution.cost, solution.elapsed, solution.stopped_by)


def run(instances: int, seconds: float, exact_seconds: float, seed: int) -> list[Row]:
    solve(make_instance(0).problem, seed=0, max_iterations=10)  # compile the kernels outside the measurement
    rows: list[Row] = []
    for number in range(instances):
        instance = make_instance(seed + number)
        rows.append(bench_one(instance, seconds, exact_seconds, seed))
        r = rows[-1]
        print(
            f"  {instance.name} ({instance.kind}): exact {r.exact.cost} [{r.exact.status}, {r.exact.elapsed:.1f} s], "
            f"heuristic {r.heuristic_cost} ({r.heuristic_seconds:.2f} s, {r.heuristic_stopped_by}), "
            f"load {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
            flush=True,
        )
    return rows


def report(rows: list[Row], seconds: float, exact_seconds: float) -> str:
    lines = [
        f"Heuristic: solve, one worker, {seconds:g} s, no target. "
        f"Exact: solve_exact (HiGHS), cold, {exact_seconds:g} s at most.",
        "",
        "| instance | kind | units | floors | best known | exact (cold) | proven | exact s | heuristic | "
        "heuristic - best known % |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in rows:
        p, e = r.instance.problem, r.exact
        exact = "-" if e.cost is None else f"{e.cost:.1f}"
        above = 100.0 * (r.heuristic_cost - r.best_known) / max(abs(r.best_known), 1e-9)
        lines.append(
            f"| {r.instance.name} | {r.instance.kind} | {p.n_items} | {p.n_locations} | {r.best_known:.1f} | {exact} | "
            f"{'yes' if e.optimal else 'no'} | {e.elapsed:.1f} | {r.heuristic_cost:.1f} | {above:.3f} |"
        )
    proven = [r for r in rows if r.exact.optimal]
    unproven = [r for r in rows if not r.exact.optimal]
    lines += [
        "",
        f"- heuristic reached the best known: {sum(r.reached for r in rows)} of {len(rows)}",
        f"- exact mode proved optimal on its own (cold, {exact_seconds:g} s): {len(proven)} of {len(rows)}; "
        f"the heuristic reached {sum(r.reached for r in proven)} of these proven optima",
        f"- best known found only by the heuristic (not proven): "
        f"{', '.join(r.instance.name for r in rows if not r.exact_reached) or 'none'}",
        f"- heuristic missed the best known: {', '.join(r.instance.name for r in rows if not r.reached) or 'none'}",
    ]
    if proven:
        times = sorted(r.exact.elapsed for r in proven)
        lines.append(f"- exact mode's time to a proof: median {np.median(times):.1f} s, max {times[-1]:.1f} s")
    for r in unproven:
        bound = r.exact.bound
        lines.append(
            f"  - {r.instance.name} not proven: exact best {r.exact.cost}, bound {bound:.1f}, heuristic "
            f"{r.heuristic_cost:.1f} ({100.0 * r.exact.gap_of(r.heuristic_cost):.3f} % above the bound)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=5.0, help="time limit of each heuristic run")
    parser.add_argument("--exact-seconds", type=float, default=60.0, help="time limit of each exact run")
    parser.add_argument("--seed", type=int, default=0, help="the first instance's seed (and the heuristic's)")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = run(args.instances, args.seconds, args.exact_seconds, args.seed)
    print(report(rows, args.seconds, args.exact_seconds))
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


@pytest.mark.bench
def test_stacking_benchmark() -> None:
    """The whole benchmark (run by hand: pytest tests/bench/bench_stacking.py -m bench -s)."""
    rows = run(40, 5.0, 60.0, 0)
    print(report(rows, 5.0, 60.0))
    for r in rows:
        assert r.exact.bound <= r.heuristic_cost + 1e-6 * max(1.0, abs(r.heuristic_cost))


if __name__ == "__main__":
    main()
