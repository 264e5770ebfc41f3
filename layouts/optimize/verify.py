"""The check that a search's answer is what an independent computation says it is.

The search keeps its cost by adding up deltas; the figures a user reads come from recomputing the answer from
scratch (the scorer, the QAP cost from the permutation). When the two disagree that is a bug, and it is raised as
`ResultMismatch`, never skipped (an ``assert`` would be, under ``python -O``).
"""

from __future__ import annotations

import math

from layouts.errors import LayoutsError


class ResultMismatch(LayoutsError, RuntimeError):
    """An optimiser's answer disagrees with its recomputation; the message says which figure and both values."""

    def __init__(self, what: str, searched: object, recomputed: object) -> None:
        self.what = what
        self.searched = searched
        self.recomputed = recomputed
        super().__init__(f"{what}: the search says {searched}, recomputing it gives {recomputed}")


def check_close(what: str, searched: float, recomputed: float, *, rel_tol: float = 1e-6, abs_tol: float = 1e-6) -> None:
    """Raise ResultMismatch unless the two figures agree within the tolerances."""
    if not math.isclose(searched, recomputed, rel_tol=rel_tol, abs_tol=abs_tol):
        raise ResultMismatch(what, searched, recomputed)
