"""warm_up(): get the compiled kernels ready before a search's clock starts.

numba compiles a kernel on its first call, once for each combination of argument types, and keeps the machine code
in its on-disk cache (numba_cache.py). Compiling every kernel of the search takes tens of seconds; loading them
from the cache, under a second. Either way that time is spent here, before the search's time limit starts, rather
than inside the first iterations of a timed search.

The kernels are called here exactly as the search calls them: through search.run_trajectory on a tiny problem
built by AssignmentProblem, whose arrays are normalised (float64, int64, bool) and copied into the same layouts by
search_state.compile_problem whatever the problem; so the real search finds each signature compiled already (the tests
check that no call of a real search adds one).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from layouts.optimize import kernels, search, tabu
from layouts.optimize.problem import AssignmentProblem

#: The kernels called from Python; the others are compiled into these.
ENTRY_POINTS: tuple[Any, ...] = (kernels.contributions, kernels.cost_of, tabu.tabu_search_chunk)


@dataclass(frozen=True)
class WarmUp:
    """What getting the kernels ready took in this process."""

    seconds: float  # 0 when they were ready already
    compiled: int  # kernels compiled because the cache did not have them (0: all loaded from it, or ready)


_lock = threading.Lock()
_ready = False


def warm_up() -> WarmUp:
    """Compile, or load from numba's cache, every kernel the search calls; at once when done before in-process."""
    global _ready
    with _lock:
        if _ready:
            return WarmUp(0.0, 0)
        began = time.perf_counter()
        before = _cache_misses()
        problem = AssignmentProblem(np.ones((2, 2)), np.ones((2, 2)), sizes=[1, 2], capacities=[3, 3])
        start = np.array([0, 1], np.int64)
        search.run_trajectory(problem, start, np.random.default_rng(0), search.SearchSettings(max_iterations=2))
        _ready = True
        return WarmUp(time.perf_counter() - began, _cache_misses() - before)


def _cache_misses() -> int:
    """The signatures of the entry points compiled in this process because the cache did not hold them."""
    return sum(sum(kernel.stats.cache_misses.values()) for kernel in ENTRY_POINTS)
