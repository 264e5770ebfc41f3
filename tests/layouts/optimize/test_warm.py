"""warm_up(): the kernels it compiles are the ones real searches call, so no search compiles inside its time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layouts.optimize import WarmUp, warm_up
from layouts.optimize.numba_cache import CACHE_ENV, default_cache_folder

# Run in a fresh interpreter: in this one, other tests may have compiled any signature already.
SEARCHES = """
import json, sys
import numpy as np
from layouts.demo import DEMO_SCENARIO
from layouts.optimize import AssignmentProblem, solve, warm_up
from layouts.optimize.search import repair_capacity
from layouts.optimize.stacking import stacking_problem
from layouts.optimize.warm import ENTRY_POINTS
from layouts.qaplib import qap_problem, read_qaplib
from layouts.scenario import read_scenario

warm_up()
warmed = [[str(s) for s in kernel.signatures] for kernel in ENTRY_POINTS]
qap = qap_problem(read_qaplib(sys.argv[1]))
demo = stacking_problem(read_scenario(DEMO_SCENARIO)).problem
# Groups limited to 2 adjacent floors, a conflict, a fixed item, a move budget, asymmetric distances.
constrained = AssignmentProblem(
    np.arange(36.0).reshape(6, 6),
    [[1, 4, 9], [5, 2, 4], [8, 6, 3]],
    sizes=[2, 1, 3, 1, 2, 2],
    capacities=[5, 5, 5],
    allowed=np.array([[True, False, False]] + [[True] * 3] * 5),
    groups=np.array([[0, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], bool),
    group_max_locations=[2, -1],
    group_adjacent=[True, True],
    conflicts=[[1, 4]],
    baseline=[0, 1, 1, 2, 2, 0],
    move_budget=4,
)
one_floor = AssignmentProblem([[0, 3], [3, 1]], [[7]], sizes=[1, 1], capacities=[2])
for problem in (qap, demo, constrained, one_floor):
    solve(problem, max_iterations=300, seed=1)
solve(qap, time_limit=0.2, seed=2)
overfull = np.array([0, 0, 0, 0, 0, 0])
repaired = repair_capacity(constrained, overfull, np.random.default_rng(0))
after = [[str(s) for s in kernel.signatures] for kernel in ENTRY_POINTS]
print(json.dumps({"warmed": warmed, "after": after, "repaired": repaired is not None}))
"""


def test_real_searches_call_the_kernels_with_the_warmed_signatures_only(shared_data: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SEARCHES, str(shared_data / "qaplib" / "nug12.dat")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    # One signature for each of contributions, cost_of and tabu_search_chunk, and no search added another.
    assert [len(s) for s in seen["warmed"]] == [1, 1, 1]
    assert seen["after"] == seen["warmed"]
    assert seen["repaired"]


def test_a_second_warm_up_in_a_process_costs_nothing() -> None:
    warm_up()
    assert warm_up() == WarmUp(seconds=0.0, compiled=0)


def probe_cache(environ: dict[str, str], *, numba_first: bool = False) -> list[str]:
    """NUMBA_CACHE_DIR, numba's setting and a kernel's cache folder, as a fresh process that loads the kernels sees
    them (after importing numba itself first, when ``numba_first``)."""
    code = "import numba; " if numba_first else ""
    code += (
        "import os; from layouts.optimize import kernels; import numba;"
        "print(os.environ['NUMBA_CACHE_DIR']); print(numba.config.CACHE_DIR); print(kernels.cost_of.stats.cache_path)"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def without_cache_setting(tmp_path: Path) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if key != CACHE_ENV}
    environ["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    return environ


def test_a_cache_folder_the_user_sets_is_kept(tmp_path: Path) -> None:
    chosen = str(tmp_path / "kernels")
    variable, setting, used = probe_cache({**os.environ, CACHE_ENV: chosen})
    assert variable == setting == chosen
    assert used.startswith(chosen + os.sep)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is where the user cache is on Linux")
@pytest.mark.parametrize("numba_first", [False, True])
def test_otherwise_the_kernels_go_to_the_users_cache(tmp_path: Path, numba_first: bool) -> None:
    folder = str(tmp_path / "xdg" / "floorwise" / "numba")
    variable, setting, used = probe_cache(without_cache_setting(tmp_path), numba_first=numba_first)
    assert variable == setting == folder
    assert used.startswith(folder + os.sep)
    assert default_cache_folder().parts[-2:] == ("floorwise", "numba")


LATE_WORKER = """
import sys, time
from layouts.optimize import solve
from layouts.qaplib import qap_problem, read_qaplib

solution = solve(qap_problem(read_qaplib(sys.argv[1])), time_limit=0.01, workers=2, seed=1)
print(solution.finished, solution.elapsed, solution.stopped_by)
time.sleep(2)  # the worker left out finishes starting meanwhile, after the caller has its answer
"""


def test_a_worker_not_ready_in_time_is_left_out_quietly(shared_data: Path) -> None:
    """The search ends LATE_GRACE after its limit without the worker (here still starting: a new interpreter that
    loads the kernels takes longer), and that worker, starting after all, finds what it needs and stops."""
    proc = subprocess.run(
        [sys.executable, "-c", LATE_WORKER, str(shared_data / "qaplib" / "nug12.dat")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    finished, elapsed, stopped_by = proc.stdout.split()
    assert finished in ("1", "2") and stopped_by == "time"
    assert float(elapsed) <= 0.01 + 1.0
