"""The assignment problem as a mixed-integer linear programme (for `exact`), independent of the solver.

Columns:

- x[i, l] binary, item i at location l (only where allowed);
- z[i, j, l, k] in [0, 1] for each pair i < j with F[i, j] or F[j, i] non-zero and each l, k the two items may use:
  the product x[i, l] * x[j, k], linearised in the RLT-1 (Adams-Johnson) form

      sum over k of z[i, j, l, k] = x[i, l]        sum over l of z[i, j, l, k] = x[j, k]

  which forces z to the product whenever x is integral and gives a much tighter relaxation than
  z >= x[i, l] + x[j, k] - 1; the pair costs F[i, j] * D[l, k] + F[j, i] * D[k, l] on z[i, j, l, k], and item i
  costs L[i, l] + F[i, i] * D[l, l] on x[i, l];
- y[g, l] in [0, 1], group g uses location l: y >= x[i, l] for each member and y <= sum of its members' x[i, l],
  so y is the indicator whenever x is integral; sum over l of y[g, l] <= the group's limit;
- r[g, l] in [0, 1] for a group on adjacent levels: r[g, l] >= y[g, l] - y[g, l'] with l' the location one level
  below l (none: 0), and sum over l of r[g, l] <= 1, so the group's locations start one run of levels only.

Rows besides: one location per item; capacity; conflicts (x[a, l] + x[b, l] <= 1, implied by the RLT rows when the
pair has z columns, which then leave out z[a, b, l, l]); the move budget, sum over items with a baseline of
move_size * (1 - x[i, baseline]) <= budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from layouts.optimize.problem import AssignmentProblem, BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class MipModel:
    """min cost @ v + offset subject to row_lower <= A v <= row_upper, lower <= v <= upper, v integral where
    ``integer``; A given by its entries (row, column, value)."""

    cost: FloatArray
    lower: FloatArray
    upper: FloatArray
    integer: BoolArray
    rows: IntArray
    columns: IntArray
    values: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    x_index: IntArray  # n x m: the column of x[i, l], -1 where item i may not be at l
    offset: float = 0.0

    @property
    def n_columns(self) -> int:
        return int(self.cost.size)

    @property
    def n_rows(self) -> int:
        return int(self.row_lower.size)

    def column_wise(self) -> tuple[IntArray, IntArray, FloatArray]:
        """A in compressed columns: column starts (n_columns + 1), row indices and values."""
        order = np.lexsort((self.rows, self.columns))
        starts = np.zeros(self.n_columns + 1, np.int64)
        np.cumsum(np.bincount(self.columns, minlength=self.n_columns), out=starts[1:])
        return starts, self.rows[order], self.values[order]

    def assignment(self, values: FloatArray) -> IntArray:
        """The assignment in a solution vector: each item at the location whose x is largest."""
        x = np.where(self.x_index >= 0, values[np.maximum(self.x_index, 0)], -1.0)
        return np.asarray(x.argmax(axis=1), np.int64)

    def x_values(self, assignment: IntArray) -> tuple[IntArray, FloatArray]:
        """The x columns and their values for an assignment (a partial solution: the solver fills in the rest)."""
        columns = self.x_index[self.x_index >= 0]
        chosen = self.x_index[np.arange(self.x_index.shape[0]), assignment]
        values = np.isin(columns, chosen).astype(np.float64)
        return columns, values


def pair_columns(problem: AssignmentProblem) -> int:
    """How many z columns the model of the problem has (its size is dominated by them)."""
    allowed = problem.allowed.sum(axis=1).astype(np.int64)
    related = (problem.flows != 0) | (problem.flows.T != 0)
    i, j = np.nonzero(np.triu(related, 1))
    total = int((allowed[i] * allowed[j]).sum())
    for a, b in problem.conflicts:
        if related[a, b]:
            total -= int((problem.allowed[a] & problem.allowed[b]).sum())
    return total


def build_model(problem: AssignmentProblem) -> MipModel:
    """The MIP of the problem (see the module's text)."""
    return _Columns(problem).build()


@dataclass
class _Columns:
    problem: AssignmentProblem
    cost: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    integer: list[BoolArray] = field(default_factory=list)
    entries: list[tuple[IntArray, IntArray, FloatArray]] = field(default_factory=list)
    row_lower: list[FloatArray] = field(default_factory=list)
    row_upper: list[FloatArray] = field(default_factory=list)
    n_columns: int = 0
    n_rows: int = 0

    def add_columns(self, cost: FloatArray, *, integer: bool = False, upper: float = 1.0) -> IntArray:
        index = np.arange(self.n_columns, self.n_columns + cost.size, dtype=np.int64)
        self.cost.append(np.asarray(cost, np.float64))
        self.upper.append(np.full(cost.size, upper))
        self.integer.append(np.full(cost.size, integer))
        self.n_columns += cost.size
        return index

    def add_rows(
        self, rows: IntArray, columns: IntArray, values: FloatArray, lower: ArrayLike, upper: ArrayLike
    ) -> None:
        """Rows numbered 0.. in ``rows`` (relative to the rows added so far), each entry a (row, column, value)."""
        self.entries.append((rows + self.n_rows, columns, values))
        self.row_lower.append(np.asarray(lower, np.float64))
        self.row_upper.append(np.asarray(upper, np.float64))
        self.n_rows += np.asarray(lower).size

    def build(self) -> MipModel:
        p = self.problem
        n, m = p.n_items, p.n_locations
        F, D = p.flows, p.distances
        items, locations = np.nonzero(p.allowed)
        own = p.linear[items, locations] + F[items, items] * D[locations, locations]
        x_columns = self.add_columns(own, integer=True)
        x_index = -np.ones((n, m), np.int64)
        x_index[items, locations] = x_columns
        # One location per item.
        self.add_rows(items, x_columns, np.ones(items.size), np.ones(n), np.ones(n))
        self._capacity(items, locations, x_columns)
        self._pairs(x_index)
        self._groups(x_index)
        self._budget(x_index)
        inf = np.inf
        lower = np.zeros(self.n_columns)
        return MipModel(
            cost=np.concatenate(self.cost),
            lower=lower,
            upper=np.concatenate(self.upper),
            integer=np.concatenate(self.integer),
            rows=np.concatenate([e[0] for e in self.entries]).astype(np.int64),
            columns=np.concatenate([e[1] for e in self.entries]).astype(np.int64),
            values=np.concatenate([e[2] for e in self.entries]).astype(np.float64),
            row_lower=np.concatenate(self.row_lower) if self.row_lower else np.zeros(0),
            row_upper=np.concatenate(self.row_upper) if self.row_upper else np.full(0, inf),
            x_index=x_index,
        )

    def _capacity(self, items: IntArray, locations: IntArray, x_columns: IntArray) -> None:
        p = self.problem
        demand = np.bincount(locations, weights=p.sizes[items], minlength=p.n_locations)
        binding = np.flatnonzero(demand > p.capacities)  # a location every allowed item fits in needs no row
        row_of = -np.ones(p.n_locations, np.int64)
        row_of[binding] = np.arange(binding.size)
        keep = row_of[locations] >= 0
        self.add_rows(
            row_of[locations[keep]],
            x_columns[keep],
            p.sizes[items[keep]].astype(np.float64),
            np.full(binding.size, -np.inf),
            p.capacities[binding].astype(np.float64),
        )

    def _pairs(self, x_index: IntArray) -> None:
        p = self.problem
        F, D = p.flows, p.distances
        conflict = np.zeros((p.n_items, p.n_items), bool)
        for a, b in p.conflicts:
            conflict[a, b] = conflict[b, a] = True
        related = (F != 0) | (F.T != 0)
        pair_index: list[
            tuple[int, int, IntArray, IntArray]
        ] = []  # i, j, and the locations l and columns of z[i, j, l, l]
        for i, j in zip(*np.nonzero(np.triu(related, 1)), strict=True):
            li, lj = np.flatnonzero(p.allowed[i]), np.flatnonzero(p.allowed[j])
            ll, kk = np.repeat(li, lj.size), np.tile(lj, li.size)
            if conflict[i, j]:
                ll, kk = ll[ll != kk], kk[ll != kk]
            z = self.add_columns(F[i, j] * D[ll, kk] + F[j, i] * D[kk, ll])
            same = ll == kk
            pair_index.append((int(i), int(j), ll[same], z[same]))
            # sum_k z[l, k] - x[i, l] = 0 for each l of i; sum_l z[l, k] - x[j, k] = 0 for each k of j.
            row_l = np.searchsorted(li, ll)
            row_k = li.size + np.searchsorted(lj, kk)
            x_cols = np.concatenate([x_index[i, li], x_index[j, lj]])
            n_rows = li.size + lj.size
            self.add_rows(
                np.concatenate([row_l, row_k, np.arange(n_rows)]),
                np.concatenate([z, z, x_cols]),
                np.concatenate([np.ones(2 * z.size), -np.ones(n_rows)]),
                np.zeros(n_rows),
                np.zeros(n_rows),
            )
        self._shared_capacity(x_index, pair_index)
        for a, b in p.conflicts:
            if related[a, b]:
                continue
            both = np.flatnonzero(p.allowed[a] & p.allowed[b])
            rows = np.arange(both.size)
            self.add_rows(
                np.concatenate([rows, rows]),
                np.concatenate([x_index[a, both], x_index[b, both]]),
                np.ones(2 * both.size),
                np.full(both.size, -np.inf),
                np.ones(both.size),
            )

    def _shared_capacity(self, x_index: IntArray, pair_index: list[tuple[int, int, IntArray, IntArray]]) -> None:
        """Capacity times x[j, l]: the related items that share location l with item j fit in what j leaves,
        sum over i of size_i * z[i, j, l, l] <= (C_l - size_j) * x[j, l]. Without these rows the relaxation may put
        every pair of related items together at every location at once, fractionally, and the bound is weak."""
        p = self.problem
        m = p.n_locations
        binding = p.capacities < p.sizes.sum()
        rows: list[IntArray] = []
        columns: list[IntArray] = []
        values: list[FloatArray] = []
        for i, j, locations, z in pair_index:
            keep = binding[locations]
            for item, other in ((j, i), (i, j)):  # the row of (item, l) holds z[i, j, l, l] priced at other's size
                rows.append(item * m + locations[keep])
                columns.append(z[keep])
                values.append(np.full(int(keep.sum()), float(p.sizes[other])))
        if not rows:
            return
        row = np.concatenate(rows)
        used = np.unique(row)
        row_item, row_loc = used // m, used % m
        room = (p.capacities[row_loc] - p.sizes[row_item]).astype(np.float64)
        x_cols = x_index[row_item, row_loc]
        ok = x_cols >= 0
        renumber = np.searchsorted(used, row)
        self.add_rows(
            np.concatenate([renumber, np.flatnonzero(ok)]),
            np.concatenate([*columns, x_cols[ok]]),
            np.concatenate([*values, -room[ok]]),
            np.full(used.size, -np.inf),
            np.zeros(used.size),
        )

    def _groups(self, x_index: IntArray) -> None:
        p = self.problem
        for g in np.flatnonzero((p.group_max_locations >= 0) | p.group_adjacent):
            members = np.flatnonzero(p.groups[g])
            usable = np.flatnonzero(p.allowed[members].any(axis=0))
            y = self.add_columns(np.zeros(usable.size))
            y_of = -np.ones(p.n_locations, np.int64)
            y_of[usable] = y
            # x[i, l] - y[g, l] <= 0 for each member and location; y[g, l] - sum_i x[i, l] <= 0.
            mi, ml = np.nonzero(p.allowed[members])
            x_cols = x_index[members[mi], ml]
            k = mi.size
            self.add_rows(
                np.concatenate([np.arange(k), np.arange(k)]),
                np.concatenate([x_cols, y_of[ml]]),
                np.concatenate([np.ones(k), -np.ones(k)]),
                np.full(k, -np.inf),
                np.zeros(k),
            )
            row_of = np.searchsorted(usable, ml)
            self.add_rows(
                np.concatenate([np.arange(usable.size), row_of]),
                np.concatenate([y, x_cols]),
                np.concatenate([np.ones(usable.size), -np.ones(k)]),
                np.full(usable.size, -np.inf),
                np.zeros(usable.size),
            )
            limit = int(p.group_max_locations[g])
            if 0 <= limit < usable.size:
                self.add_rows(np.zeros(usable.size, np.int64), y, np.ones(usable.size), [-np.inf], [float(limit)])
            if p.group_adjacent[g]:
                self._one_run(y_of, usable)

    def _one_run(self, y_of: IntArray, usable: IntArray) -> None:
        """r[l] >= y[l] - y[below l]; sum r <= 1."""
        p = self.problem
        r = self.add_columns(np.zeros(usable.size))
        at_level = {int(p.location_levels[loc]): int(loc) for loc in usable}
        rows, columns, values = [], [], []
        for row, loc in enumerate(usable):
            rows += [row, row]
            columns += [int(y_of[loc]), int(r[row])]
            values += [1.0, -1.0]
            below = at_level.get(int(p.location_levels[loc]) - 1)
            if below is not None:
                rows.append(row)
                columns.append(int(y_of[below]))
                values.append(-1.0)
        count = usable.size
        self.add_rows(
            np.array(rows, np.int64),
            np.array(columns, np.int64),
            np.array(values),
            np.full(count, -np.inf),
            np.zeros(count),
        )
        self.add_rows(np.zeros(count, np.int64), r, np.ones(count), [-np.inf], [1.0])

    def _budget(self, x_index: IntArray) -> None:
        p = self.problem
        if p.move_budget < 0:
            return
        counted = np.flatnonzero((p.baseline >= 0) & (p.move_sizes > 0))
        total = float(p.move_sizes[counted].sum())
        stay = counted[x_index[counted, p.baseline[counted]] >= 0]
        # sum over counted of size * (1 - x[i, base]) <= budget, i.e. -sum size * x[i, base] <= budget - total.
        self.add_rows(
            np.zeros(stay.size, np.int64),
            x_index[stay, p.baseline[stay]],
            -p.move_sizes[stay].astype(np.float64),
            [-np.inf],
            [p.move_budget - total],
        )
