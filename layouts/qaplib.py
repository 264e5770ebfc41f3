"""QAPLIB instances of the quadratic assignment problem, read and solved with the layouts optimiser.

A .dat file holds n, then the n x n matrix A, then the n x n matrix B, as whitespace-separated integers. The cost
of a permutation p (0-based: item i at location p[i]) is

    qap_cost(A, B, p) = sum over i, j of A[i][j] * B[p[i]][p[j]]

which is the optimiser's objective with flows F = A, distances D = B, sizes and capacities 1 and nothing else.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from layouts.errors import LayoutsError
from layouts.optimize import AssignmentProblem, Callback, Solution, solve


class InvalidQAP(LayoutsError, ValueError):
    """A file is not a QAPLIB instance; the message names the file and says what is wrong."""


@dataclass(frozen=True)
class QAPInstance:
    """An instance: n, the flow matrix A and the distance matrix B (both n x n integers)."""

    n: int
    A: NDArray[np.int64]
    B: NDArray[np.int64]
    name: str = ""


@dataclass(frozen=True)
class BestKnown:
    """A row of a bks.csv: the best-known cost of an instance and whether it is proven optimal."""

    instance: str
    n: int
    best_known: int
    proven_optimal: bool


def read_qaplib(path: str | Path) -> QAPInstance:
    """Read a QAPLIB .dat file; InvalidQAP names the file and what is wrong (n missing, a non-integer, the count)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidQAP(f"{path}: not a text file") from None
    words = text.split()
    if not words:
        raise InvalidQAP(f"{path}: the file is empty; it should start with n, the size of the instance")
    numbers = []
    for position, word in enumerate(words):
        try:
            numbers.append(int(word))
        except ValueError:
            what = "n, the size of the instance," if position == 0 else f"number {position + 1}"
            raise InvalidQAP(f"{path}: {what} is {word!r}, not an integer") from None
    n = numbers[0]
    if n < 1:
        raise InvalidQAP(f"{path}: n, the size of the instance, is {n}; it must be at least 1")
    expected = 1 + 2 * n * n
    if len(numbers) != expected:
        raise InvalidQAP(
            f"{path}: n = {n} calls for 2 x {n} x {n} = {2 * n * n} matrix entries after n, "
            f"but the file has {len(numbers) - 1}"
        )
    values = np.array(numbers[1:], dtype=np.int64)
    return QAPInstance(n=n, A=values[: n * n].reshape(n, n), B=values[n * n :].reshape(n, n), name=path.stem)


def read_best_known(path: str | Path) -> dict[str, BestKnown]:
    """Read a bks.csv (instance, n, best_known, proven_optimal), keyed by instance name."""
    path = Path(path)
    rows: dict[str, BestKnown] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                rows[row["instance"]] = BestKnown(
                    instance=row["instance"],
                    n=int(row["n"]),
                    best_known=int(row["best_known"]),
                    proven_optimal=row.get("proven_optimal", "").strip().lower() in ("yes", "true", "1"),
                )
            except (KeyError, TypeError, ValueError):
                raise InvalidQAP(
                    f"{path}, line {line}: expected columns instance, n, best_known, proven_optimal with whole numbers"
                ) from None
    return rows


def qap_cost(A: ArrayLike, B: ArrayLike, p: ArrayLike) -> int:
    """sum over i, j of A[i][j] * B[p[i]][p[j]], p a 0-based permutation."""
    a, b, perm = np.asarray(A), np.asarray(B), np.asarray(p)
    return int((a * b[np.ix_(perm, perm)]).sum())


def permutation_cost(instance: QAPInstance, permutation: ArrayLike) -> int:
    """qap_cost of ``permutation`` on the instance's own matrices, after checking that it is a permutation of
    0..n-1 (ValueError says what is wrong): the cost a caller reports, recomputed, not taken from the search."""
    p = np.asarray(permutation)
    if p.shape != (instance.n,) or not np.issubdtype(p.dtype, np.integer):
        raise ValueError(f"a permutation of {instance.n} whole numbers is needed, got shape {p.shape} ({p.dtype})")
    if sorted(p.tolist()) != list(range(instance.n)):
        raise ValueError(f"not a permutation of 0..{instance.n - 1}: {p.tolist()}")
    return qap_cost(instance.A, instance.B, p)


def qap_problem(instance: QAPInstance) -> AssignmentProblem:
    """The instance as an assignment problem: flows A, distances B, one item per location."""
    return AssignmentProblem(instance.A, instance.B)


def solve_qap(
    instance: QAPInstance,
    *,
    time_limit: float | None = None,
    seed: int | None = None,
    max_iterations: int | None = None,
    workers: int = 1,
    callback: Callback | None = None,
    target: int | None = None,
) -> Solution:
    """Solve a QAP instance by robust tabu search (see layouts.optimize.solve for the options)."""
    return solve(
        qap_problem(instance),
        seed=seed,
        time_limit=time_limit,
        max_iterations=max_iterations,
        workers=workers,
        callback=callback,
        target=target,
    )
