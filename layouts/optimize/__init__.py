"""Search for good assignments of items (units) to locations (floors): robust tabu search over moves and swaps.

The objective, for item i at location p[i]:

    cost(p) = sum over i, j of F[i, j] * D[p[i], p[j]]  +  sum over i of L[i, p[i]]

under capacity, allowed-location, group (at most k locations, adjacent levels), conflict and move-budget
constraints (see `problem`). `assignment_cost` is the plain reference; `solve` searches; `solve_exact` proves
optimality (or a bound) on small problems with a MIP solver; `warm_up` gets the compiled kernels ready (solve calls
it before its clock starts). The quadratic assignment problem is the special case with sizes and capacities 1
(`layouts.qaplib`).
"""

from layouts.optimize.construction import blocking_reasons, greedy_start
from layouts.optimize.engine import Callback, Progress, Solution, solve
from layouts.optimize.exact import ExactResult, solve_exact
from layouts.optimize.problem import AssignmentProblem, assignment_cost, people_moved, violations
from layouts.optimize.warm import WarmUp, warm_up

__all__ = [
    "AssignmentProblem",
    "Callback",
    "ExactResult",
    "Progress",
    "Solution",
    "WarmUp",
    "assignment_cost",
    "blocking_reasons",
    "greedy_start",
    "people_moved",
    "solve",
    "solve_exact",
    "violations",
    "warm_up",
]
