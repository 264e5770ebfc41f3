"""solve_exact(): the assignment problem solved to proven optimality (or a proven bound) by a MIP solver.

The model is `mip` (x binary, the quadratic cost linearised in the RLT-1 form). It is solved with HiGHS (`highspy`):
on small stacking problems (tests/bench/bench_stacking.py) it proved optimality faster than OR-Tools CP-SAT, which
needs the travel times scaled to integers and has no continuous columns for the linearised products. The model grows
with pairs of related items times pairs of locations, so it is meant for small problems only (a department's units
on a handful of floors); larger ones raise ValueError and are for `solve`, whose answer `ExactResult.gap_of` can
then measure against a bound found here with a time limit.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import ArrayLike

from layouts.optimize.mip import MipModel, build_model, pair_columns
from layouts.optimize.problem import AssignmentProblem, IntArray, assignment_cost, violations

#: The largest problems the exact mode takes.
MAX_ITEMS = 40
MAX_LOCATIONS = 12
MAX_COLUMNS = 150_000
#: HiGHS's primal solution status of a feasible point.
FEASIBLE_POINT = 2


@dataclass(frozen=True)
class ExactResult:
    """What the MIP solver found: the best assignment (None when it found none) and how good it is proven to be."""

    assignment: IntArray | None
    cost: float | None  # assignment_cost of the assignment
    bound: float  # no feasible assignment costs less than this (inf when the problem is proven infeasible)
    optimal: bool  # the assignment is proven optimal
    infeasible: bool  # proven: no assignment meets the constraints
    elapsed: float  # seconds
    status: str  # the solver's status, in words

    @property
    def gap(self) -> float | None:
        """(cost - bound) / |cost|, the share by which the assignment may be above the optimum (None: no cost)."""
        return None if self.cost is None else self.gap_of(self.cost)

    @property
    def proven(self) -> bool:
        """Whether the answer is final: optimality or infeasibility proven."""
        return self.optimal or self.infeasible

    def gap_of(self, cost: float) -> float:
        """The relative gap of any feasible assignment's cost (a heuristic's) to the bound: (cost - bound) / |cost|,
        0 when the cost is at the bound or below it (within the solver's tolerance)."""
        if math.isinf(self.bound):
            return math.inf if self.bound < 0 else 0.0
        return max(0.0, cost - self.bound) / max(abs(cost), 1e-9)


def solve_exact(
    problem: AssignmentProblem,
    *,
    time_limit: float | None = None,
    start: ArrayLike | None = None,
    threads: int = 1,
    max_columns: int = MAX_COLUMNS,
) -> ExactResult:
    """Minimise ``assignment_cost(problem, p)`` over the feasible assignments with a MIP solver (HiGHS).

    ``time_limit`` (seconds) ends the search early: the result then holds the best assignment found and the best
    bound, without proof of optimality. ``start`` is a feasible assignment to begin from (a heuristic's, which
    prunes the search at once). Raises ValueError for a problem too large for the exact mode (more than
    MAX_ITEMS items, MAX_LOCATIONS locations or ``max_columns`` columns) or an infeasible ``start``.
    """
    _check_size(problem, max_columns)
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit}")
    began = time.perf_counter()
    model = build_model(problem)
    highs = _quiet_highs()
    highs.setOptionValue("threads", int(threads))
    highs.setOptionValue("mip_rel_gap", 1e-9)
    highs.setOptionValue("mip_abs_gap", 1e-7)
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.n_columns, model.n_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = model.cost, model.lower, model.upper
    lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
    starts, index, values = model.column_wise()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, index, values
    lp.integrality_ = [highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in model.integer]
    highs.passModel(lp)
    if start is not None:
        first = np.asarray(start, np.int64)
        broken = violations(problem, first)
        if broken:
            raise ValueError("the starting assignment is not feasible: " + "; ".join(broken))
        columns, x = model.x_values(first)
        highs.setSolution(int(columns.size), columns.astype(np.int32), x)
    highs.run()
    return _result(problem, highs, model, time.perf_counter() - began)


def _quiet_highs() -> highspy.Highs:
    """A silent HiGHS instance: the first one of a process prints a banner on standard output, which goes to
    /dev/null here so that command-line output stays clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


def _check_size(problem: AssignmentProblem, max_columns: int) -> None:
    n, m = problem.n_items, problem.n_locations
    hint = "; use solve() (the heuristic search) instead, or ExactResult.gap_of against a bound of a smaller model"
    if n > MAX_ITEMS or m > MAX_LOCATIONS:
        raise ValueError(
            f"the problem is too large for the exact mode ({n} items on {m} locations; at most {MAX_ITEMS} items "
            f"and {MAX_LOCATIONS} locations){hint}"
        )
    columns = int(problem.allowed.sum()) + pair_columns(problem)
    if columns > max_columns:
        raise ValueError(
            f"the problem is too large for the exact mode: its model would have {columns} columns, more than "
            f"{max_columns}{hint}"
        )


def _result(problem: AssignmentProblem, highs: highspy.Highs, model: MipModel, elapsed: float) -> ExactResult:
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return ExactResult(
            None, None, math.inf, False, True, elapsed, "infeasible: no assignment meets the constraints"
        )
    info = highs.getInfo()
    assignment: IntArray | None = None
    cost: float | None = None
    if info.primal_solution_status == FEASIBLE_POINT:
        assignment = model.assignment(np.asarray(highs.getSolution().col_value, np.float64))
        cost = assignment_cost(problem, assignment)
    optimal = status == highspy.HighsModelStatus.kOptimal and cost is not None
    bound = float(info.mip_dual_bound)
    if cost is not None and (optimal or bound > cost):
        bound = cost  # the solver's bound is within its tolerance of the cost; the cost is exact
    if not math.isfinite(bound):
        bound = -math.inf
    return ExactResult(assignment, cost, bound, optimal, False, elapsed, highs.modelStatusToString(status).lower())
