"""Getting the optimiser's compiled kernels ready before a timed search, with a word on the terminal meanwhile."""

from __future__ import annotations

from contextlib import nullcontext

from booking.cli.app import console
from layouts.optimize import WarmUp, warm_up


def kernels_ready(*, show: bool) -> WarmUp:
    """Compile the kernels (first run after an install) or load them from the cache; the time limit starts after.

    ``show``: say so on the terminal while it lasts (a first run compiles for a minute or so).
    """
    message = "preparing the search (compiled once, on the first run: a minute or so)"
    with console.status(message) if show else nullcontext():
        return warm_up()


def compiled_note(ready: WarmUp) -> str:
    """A clause for a summary line when this run compiled the kernels (the first run after an install)."""
    if not ready.compiled:
        return ""
    return f"; the search was compiled first, in {ready.seconds:.0f} s, outside its time"
