"""Scoring speed on a large scenario: 300 units on 40 floors with 3,000 relations, each figure the product's own
code, named for what it runs and what it includes.

- `scoring_model` (the travel matrix and the weights), built once per scenario; `score_layout` with that model
  given (as the editor's server does with its cached model: target under 50 ms) and without it (building the model
  each time, as a first request does).
- The optimiser's delta path: the compiled tabu search (`layouts.optimize.tabu.tabu_search_chunk`) on this
  scenario's stacking problem, in iterations a second and in candidate moves examined a second (each iteration
  examines every swap of two units on different floors, every relocation of a unit to another floor and every
  exchange of two floors, pricing each feasible one with the formulas of `layouts.optimize.kernels` and
  `exchange`, then makes the best; target at least 100,000 a second).
- Full rescoring, for comparison: `score_layout` (the report's figures) and the optimiser's own objective
  (`assignment_cost`, numpy; `kernels.cost_of`, compiled), each a second.

Run with ``pytest tests/bench/bench_scoring.py -m bench -s``, or ``python -m tests.bench.bench_scoring``.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
import pytest

from booking.runtime import single_threaded_blas
from layouts.optimize import assignment_cost, tabu, warm_up
from layouts.optimize.kernels import cost_of
from layouts.optimize.search import SearchSettings, search_params
from layouts.optimize.search_state import compile_problem, new_state
from layouts.optimize.stacking import stacking_problem
from layouts.scenario import Scenario, scenario_from_dict
from layouts.scoring import score_layout, scoring_model

UNITS, FLOORS, RELATIONS = 300, 40, 3000


def big_scenario(seed: int = 1) -> Scenario:
    rng = np.random.default_rng(seed)
    floors = [{"name": f"{lv + 1}F", "level": lv, "seats": 120} for lv in range(FLOORS)]
    cores = [
        {"id": "low", "kind": "lift", "levels": list(range(0, 21))},
        {"id": "high", "kind": "lift", "levels": [0, *range(21, FLOORS)]},
        {"id": "stairs", "kind": "stair", "levels": list(range(FLOORS))},
    ]
    units: list[dict[str, Any]] = []
    for d in range(30):
        units.append({"id": f"d{d}"})
        units += [{"id": f"d{d}.s{s}", "parent": f"d{d}", "headcount": int(rng.integers(5, 25))} for s in range(10)]
    leaves = [u["id"] for u in units if "headcount" in u]
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < RELATIONS:
        a, b = sorted(rng.choice(leaves, 2, replace=False))
        pairs.add((str(a), str(b)))
    relations = [[a, b, int(rng.integers(1, 30))] for a, b in sorted(pairs)]
    layout: dict[str, dict[str, int]] = {}
    free = {f["name"]: 120 for f in floors}
    for unit in units:
        if "headcount" not in unit:
            continue
        seats = -(-unit["headcount"] * 4 // 5)
        floor = next(name for name in rng.permutation(list(free)) if free[name] >= seats)
        free[floor] -= seats
        layout[unit["id"]] = {floor: seats}
    data = {
        "building": {"floors": floors, "cores": cores},
        "units": units,
        "relations": relations,
        "layouts": {"now": layout},
    }
    return scenario_from_dict(data)


def timed(work: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        out.append(time.perf_counter() - start)
    return out


def report() -> list[str]:
    single_threaded_blas()  # as the command line and the app do
    sc = big_scenario()
    start = time.perf_counter()
    model = scoring_model(sc)
    build = time.perf_counter() - start
    layout = sc.layout("now")
    with_model = timed(lambda: score_layout(sc, layout, model=model), runs=20)
    without_model = timed(lambda: score_layout(sc, layout), runs=5)
    lines = [
        f"scenario: {len(model.units)} units, {FLOORS} floors, {RELATIONS} relations "
        f"({int(np.count_nonzero(np.triu(model.weights)))} weighted pairs with the units' own trips)",
        f"scoring_model (travel matrix and weights): {build * 1000:.0f} ms",
        f"score_layout, the model given: median {statistics.median(with_model) * 1000:.1f} ms, "
        f"best {min(with_model) * 1000:.1f} ms of 20 (target 50 ms)",
        f"score_layout, building the model too: median {statistics.median(without_model) * 1000:.1f} ms of 5",
    ]
    problem = stacking_problem(sc, model=model).problem
    warm_up()
    prob = compile_problem(problem)
    n, m = problem.n_items, problem.n_locations
    iterations = 2000
    state = new_state(problem, prob, problem.baseline)
    params = search_params(problem, SearchSettings())._replace(restart_after=0)
    randoms = np.random.default_rng(0).random(tabu.RANDOM_PER_ITERATION * iterations)
    start = time.perf_counter()
    tabu.tabu_search_chunk(prob, state, params, randoms, iterations)
    search_s = time.perf_counter() - start
    examined = n * (n - 1) // 2 + n * (m - 1) + m * (m - 1) // 2
    p = problem.baseline

    def rate(work: Any, count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            work()
        return count / (time.perf_counter() - start)

    lines += [
        f"stacking problem: {n} items on {m} floors; {examined:,} candidate moves an iteration "
        f"({n * (n - 1) // 2:,} swaps, {n * (m - 1):,} relocations, {m * (m - 1) // 2:,} floor exchanges)",
        "| evaluation | per second |",
        "| --- | --- |",
        f"| search iterations (tabu_search_chunk, {iterations:,} iterations) | {iterations / search_s:,.0f} |",
        f"| candidate moves examined by the search (priced when feasible) | {iterations * examined / search_s:,.0f} |",
        f"| full rescore: score_layout, the model given | {1 / statistics.median(with_model):,.0f} |",
        f"| full rescore: assignment_cost (the optimiser's objective, numpy) | "
        f"{rate(lambda: assignment_cost(problem, p), 200):,.0f} |",
        f"| full rescore: kernels.cost_of (compiled, what the search checks itself with) | "
        f"{rate(lambda: cost_of(prob.flows, prob.distances, prob.linear, p), 2000):,.0f} |",
    ]
    return lines


@pytest.mark.bench
def test_scoring_speed() -> None:
    print("\n" + "\n".join(report()))


if __name__ == "__main__":
    print("\n".join(report()))
