"""Process-wide settings the application makes once, at start-up."""

from __future__ import annotations

from threadpoolctl import threadpool_limits


def single_threaded_blas() -> None:
    """Run numpy's BLAS on one thread.

    floorwise multiplies small matrices (units x floors); on them a multi-threaded BLAS spends more time waking
    its threads than computing (measured: 3.0 ms against 0.4 ms for a 300 x 40 score on a busy 2-core machine),
    and the optimiser's worker processes would fight over the cores.
    """
    threadpool_limits(1, user_api="blas")
