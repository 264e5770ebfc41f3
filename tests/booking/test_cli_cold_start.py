"""The first run after an install: the kernels compile before the time limit starts, and later runs load them.

A fresh NUMBA_CACHE_DIR stands for a fresh install (nothing compiled yet). Compiling takes tens of seconds; the
search must still get its whole time limit, and report that time apart from the compiling.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.booking.cli import floorwise

LIMIT = 2.0
#: What a search may run past its limit: the chunk under way, the wait for late workers (engine.LATE_GRACE).
MARGIN = 1.0


@pytest.fixture(scope="module")
def fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("numba-cache")


def run_json(cache: Path, *args: str | Path) -> dict[str, Any]:
    r = floorwise(*args, "--json", env={"NUMBA_CACHE_DIR": str(cache)})
    assert r.code == 0, r.err
    data: dict[str, Any] = json.loads(r.out)
    return data


def optimize_demo(cache: Path, out: Path, workers: int) -> dict[str, Any]:
    args = ("optimize", "demo", "-o", out, "--time-limit", str(LIMIT), "--seed", "1", "--workers", str(workers))
    return run_json(cache, *args)


def test_a_first_run_compiles_before_its_time_limit_and_the_next_loads_the_cache(
    fresh_cache: Path, tmp_path: Path
) -> None:
    cold = optimize_demo(fresh_cache, tmp_path / "cold.yaml", workers=1)
    assert cold["kernels_compiled"] == 3  # contributions, cost_of, tabu_search_chunk
    assert any(fresh_cache.rglob("tabu.tabu_search_chunk-*.nbi"))  # kept in the folder given
    assert cold["stopped_by"] == "time"
    assert LIMIT <= cold["elapsed_s"] <= LIMIT + MARGIN
    warm = optimize_demo(fresh_cache, tmp_path / "warm.yaml", workers=1)
    assert warm["kernels_compiled"] == 0
    assert warm["warm_up_s"] < cold["warm_up_s"]
    assert warm["stopped_by"] == "time"
    assert LIMIT <= warm["elapsed_s"] <= LIMIT + MARGIN
    # The first run's search had its whole time: about as many iterations as the second's (the machine is shared,
    # so only a generous ratio; compiling inside the search left it a few dozen, against thousands).
    assert cold["iterations"] >= 0.25 * warm["iterations"]
    assert cold["score"]["travel_hours_per_week"] < cold["start_score"]["travel_hours_per_week"]


def test_with_workers_the_time_limit_holds_too(fresh_cache: Path, tmp_path: Path) -> None:
    data = optimize_demo(fresh_cache, tmp_path / "two.yaml", workers=2)
    assert data["workers"] == 2 and data["workers_finished"] in (1, 2)  # a worker ready too late is not waited for
    assert data["stopped_by"] == "time"
    assert LIMIT <= data["elapsed_s"] <= LIMIT + MARGIN


def test_qap_reports_its_warm_up_apart(fresh_cache: Path, shared_data: Path) -> None:
    data = run_json(fresh_cache, "qap", shared_data / "qaplib" / "nug12.dat", "--time-limit", "1", "--seed", "1")
    assert data["stopped_by"] == "time"
    assert 1 <= data["elapsed"] <= 1 + MARGIN
    assert data["warm_up"] > 0  # a new process loads the kernels at least
