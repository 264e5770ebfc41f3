"""QAPLIB benchmark: the layout optimiser beside scipy.optimize.quadratic_assignment, on every instance of bks.csv.

Run by hand, on one core per search (it takes about 25 x the time per instance):

    python tests/bench/bench_qap.py [--seconds 10] [--seed 0] [--only nug12,chr12a]
    pytest tests/bench/bench_qap.py -m bench -s

It prints a markdown table (instance, n, best-known, ours, gap %, scipy, gap %), the mean gaps of the structured
and the random families, and whether the targets hold: structured mean gap <= 0.3 % with every proven optimum of
n <= 30 found, random mean gap <= 1.0 %, and no instance where scipy (faq, best of 10 randomised starts) does
better.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from layouts.qaplib import BestKnown, qap_cost, read_best_known, read_qaplib, solve_qap

DATA = Path(__file__).resolve().parents[1] / "data" / "qaplib"
STRUCTURED = ("nug", "had", "chr", "esc", "els", "kra", "tho", "ste", "sko", "wil")
SCIPY_STARTS = 10


@dataclass(frozen=True)
class Row:
    name: str
    n: int
    best_known: int
    proven: bool
    ours: int
    ours_seconds: float
    scipy: int | None
    scipy_seconds: float

    @property
    def gap(self) -> float:
        return 100.0 * (self.ours - self.best_known) / self.best_known

    @property
    def scipy_gap(self) -> float | None:
        return None if self.scipy is None else 100.0 * (self.scipy - self.best_known) / self.best_known

    @property
    def family(self) -> str:
        return "structured" if self.name.startswith(STRUCTURED) else "random"


def scipy_best(A: np.ndarray, B: np.ndarray, seed: int) -> int | None:
    """Best cost of SCIPY_STARTS runs of scipy's FAQ from randomised starts (None when scipy is missing)."""
    try:
        from scipy.optimize import quadratic_assignment
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    best: int | None = None
    for _ in range(SCIPY_STARTS):
        result = quadratic_assignment(A, B, method="faq", options={"P0": "randomized", "rng": rng})
        cost = qap_cost(A, B, result.col_ind)
        best = cost if best is None else min(best, cost)
    return best


def run(seconds: float, seed: int, only: set[str] | None = None, data: Path = DATA) -> list[Row]:
    known = read_best_known(data / "bks.csv")
    rows: list[Row] = []
    for name, entry in known.items():
        if only and name not in only:
            continue
        rows.append(bench_one(data / f"{name}.dat", entry, seconds, seed))
        r = rows[-1]
        print(
            f"  {name}: ours {r.ours} ({r.gap:.3f} %, {r.ours_seconds:.1f} s), "
            f"scipy {r.scipy} ({r.scipy_seconds:.1f} s), load {os.getloadavg()[0]:.2f}",
            file=sys.stderr,
            flush=True,
        )
    return rows


def bench_one(path: Path, entry: BestKnown, seconds: float, seed: int) -> Row:
    instance = read_qaplib(path)
    began = time.perf_counter()
    solution = solve_qap(instance, time_limit=seconds, seed=seed, workers=1)
    ours_seconds = time.perf_counter() - began
    ours = qap_cost(instance.A, instance.B, solution.assignment)
    assert ours == round(solution.cost), f"{path.name}: reported cost {solution.cost} but the permutation costs {ours}"
    began = time.perf_counter()
    theirs = scipy_best(instance.A, instance.B, seed)
    return Row(
        name=entry.instance,
        n=instance.n,
        best_known=entry.best_known,
        proven=entry.proven_optimal,
        ours=ours,
        ours_seconds=ours_seconds,
        scipy=theirs,
        scipy_seconds=time.perf_counter() - began,
    )


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def report(rows: list[Row], seconds: float) -> str:
    lines = [
        f"Each search: one core, {seconds:g} s; scipy: faq, best of {SCIPY_STARTS} randomised starts.",
        "",
        "| instance | n | best-known | ours | gap % | scipy | gap % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        mark = "*" if r.proven else ""
        scipy = "-" if r.scipy is None else f"{r.scipy}"
        scipy_gap = "-" if r.scipy_gap is None else f"{r.scipy_gap:.2f}"
        lines.append(f"| {r.name} | {r.n} | {r.best_known}{mark} | {r.ours} | {r.gap:.2f} | {scipy} | {scipy_gap} |")
    for family in ("structured", "random"):
        chosen = [r for r in rows if r.family == family]
        if chosen:
            ours = mean([r.gap for r in chosen])
            theirs = mean([g for r in chosen if (g := r.scipy_gap) is not None])
            lines.append(f"| mean, {family} ({len(chosen)}) | | | | {ours:.2f} | | {theirs:.2f} |")
    lines += ["", "(* proven optimal)", "", *targets(rows)]
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    structured = [r for r in rows if r.family == "structured"]
    random = [r for r in rows if r.family == "random"]
    missed = [r.name for r in rows if r.proven and r.n <= 30 and r.ours > r.best_known]
    worse = [r.name for r in rows if r.scipy is not None and r.ours > r.scipy]
    tied = [r.name for r in rows if r.scipy is not None and r.ours == r.scipy]
    checks = [
        (
            f"structured mean gap {mean([r.gap for r in structured]):.3f} % <= 0.3 %",
            mean([r.gap for r in structured]) <= 0.3,
        ),
        (f"proven optima with n <= 30 found (missed: {', '.join(missed) or 'none'})", not missed),
        (f"random mean gap {mean([r.gap for r in random]):.3f} % <= 1.0 %", mean([r.gap for r in random]) <= 1.0),
        (
            f"never worse than scipy (worse on: {', '.join(worse) or 'none'}; equal on: {', '.join(tied) or 'none'})",
            not worse,
        ),
    ]
    return [f"- [{'x' if ok else ' '}] {text}" for text, ok in checks]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="time per instance for our search")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated instance names")
    args = parser.parse_args(argv)
    only = {s for s in args.only.split(",") if s} or None
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = run(args.seconds, args.seed, only)
    print(report(rows, args.seconds))
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")


@pytest.mark.bench
def test_qaplib_benchmark(shared_data: Path) -> None:
    """The whole benchmark (run by hand: pytest tests/bench/bench_qap.py -m bench -s)."""
    rows = run(10.0, 0, data=shared_data / "qaplib")
    print(report(rows, 10.0))
    assert all(r.ours >= r.best_known for r in rows)  # a cost below a proven or published optimum means a wrong cost


if __name__ == "__main__":
    main()
