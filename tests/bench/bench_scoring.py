"""Scoring speed on a large scenario: 300 units on 40 floors with 3,000 relations.

Targets: a layout scored in under 50 ms once the travel matrix is built; at least 100,000 move or swap
evaluations a second, shown beside full rescoring in the same run.

Run with ``pytest tests/bench/bench_scoring.py -m bench -s``, or ``python -m tests.bench.bench_scoring``.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
import pytest

from booking.runtime import single_threaded_blas
from layouts.delta import IncrementalScore
from layouts.scenario import Scenario, scenario_from_dict
from layouts.scoring import score_layout, scoring_model, share_matrix

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
    score_s = timed(lambda: score_layout(sc, layout, model=model), runs=20)
    lines = [
        f"scenario: {len(model.units)} units, {FLOORS} floors, {RELATIONS} relations "
        f"({int(np.count_nonzero(np.triu(model.weights)))} weighted pairs with the units' own trips)",
        f"travel matrix and weights built once: {build * 1000:.0f} ms",
        f"score_layout: median {statistics.median(score_s) * 1000:.1f} ms, best {min(score_s) * 1000:.1f} ms "
        f"of 20 (target 50 ms)",
    ]
    s = share_matrix(sc, model, layout)
    inc = IncrementalScore(model.weights, model.seconds, s)
    rng = np.random.default_rng(0)
    n, m = s.shape
    us, fs = rng.integers(0, n, 200_000), rng.integers(0, m, 200_000)
    vs = rng.integers(0, n, 200_000)

    def rate(work: Any, count: int) -> float:
        start = time.perf_counter()
        work(count)
        return count / (time.perf_counter() - start)

    def moves(k: int) -> None:
        for i in range(k):
            inc.move_delta(int(us[i]), int(fs[i]))

    def swaps(k: int) -> None:
        for i in range(k):
            inc.swap_delta(int(us[i]), int(vs[i]))

    def batched(k: int) -> None:
        for i in range(k // m):
            inc.move_deltas(int(us[i]))

    def rescore(k: int) -> None:
        for i in range(k):
            s2 = s.copy()
            s2[us[i]] = 0
            s2[us[i], fs[i]] = 1
            q = s2 @ model.seconds @ s2.T
            float(((model.weights * q).sum() + np.trace(model.weights * q)) / 2)

    lines += [
        "| evaluation | per second |",
        "| --- | --- |",
        f"| move one unit (delta) | {rate(moves, 100_000):,.0f} |",
        f"| swap two units (delta) | {rate(swaps, 100_000):,.0f} |",
        f"| all {m} moves of a unit at once (delta, vectorised) | {rate(batched, 200_000):,.0f} |",
        f"| full rescore (S T S', numpy) | {rate(rescore, 300):,.0f} |",
    ]
    return lines


@pytest.mark.bench
def test_scoring_speed() -> None:
    print("\n" + "\n".join(report()))


if __name__ == "__main__":
    print("\n".join(report()))
