"""`floorwise qap`: solve a QAPLIB instance with the layout optimiser, and compare with the best-known cost.

The cost printed is recomputed from the permutation found and the instance's matrices (`layouts.qaplib`), not
taken from the search's running total.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from booking.cli.app import app, console, register_user_error
from booking.cli.search_kernels import compiled_note, kernels_ready
from layouts.optimize import Progress as SearchProgress
from layouts.optimize import Solution
from layouts.optimize.engine import default_iterations
from layouts.optimize.verify import check_close
from layouts.qaplib import (
    BestKnown,
    InvalidQAP,
    QAPInstance,
    permutation_cost,
    read_best_known,
    read_qaplib,
    solve_qap,
)

register_user_error(InvalidQAP)

STOP_REASONS = {
    "iterations": "the iteration budget",
    "time": "the time limit",
    "callback": "request",
    "interrupt": "Ctrl-C",
    "target": "reaching the best-known cost",
    "no_move": "running out of moves",
}


@app.command("qap")
def qap(
    instance: Annotated[Path, typer.Argument(metavar="FILE.dat", help="A QAPLIB instance: n, then matrices A and B.")],
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", min=0.001, help="Stop after this many seconds.")
    ] = None,
    max_iterations: Annotated[
        int | None,
        typer.Option("--iterations", min=0, help="Stop after this many iterations per worker (default: 1000 n)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed: the same seed gives the same answer.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Independent searches in parallel processes.")] = 1,
    bks: Annotated[
        Path | None,
        typer.Option("--bks", help="A bks.csv of best-known costs (default: the bks.csv beside the file, if any)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Solve a quadratic assignment problem by robust tabu search; print the cost and the permutation."""
    problem = read_qaplib(instance)
    known = best_known_for(instance, bks)
    quiet = as_json or not console.is_terminal
    ready = kernels_ready(show=not quiet)  # the time limit is the search's: compiling the kernels comes first
    if quiet:
        solution = solve_qap(problem, time_limit=time_limit, max_iterations=max_iterations, seed=seed, workers=workers)
    else:
        solution = solve_with_progress(problem, time_limit, max_iterations, seed, workers)
    result = result_fields(instance, problem, solution, known)
    result["warm_up"] = round(ready.seconds + solution.warm_up, 3)
    result["kernels_compiled"] = ready.compiled
    if as_json:
        console.print_json(json.dumps(result))
    else:
        print_summary(result, compiled_note(ready))


def best_known_for(instance: Path, bks: Path | None) -> BestKnown | None:
    """The row of the bks.csv (given, or beside the instance) for the instance's file name, if there is one."""
    path = bks if bks is not None else instance.parent / "bks.csv"
    if bks is None and not path.is_file():
        return None
    return read_best_known(path).get(instance.stem)


def solve_with_progress(
    problem: QAPInstance, time_limit: float | None, max_iterations: int | None, seed: int | None, workers: int
) -> Solution:
    iterations = max_iterations if max_iterations is not None else default_iterations(problem.n)
    by_time = time_limit is not None
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("best {task.fields[best]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"{problem.name or 'qap'}", total=time_limit if by_time else iterations * workers, best="-")

        def show(progress: SearchProgress) -> None:
            done = progress.elapsed if by_time else progress.iterations
            bar.update(task, completed=done, best=f"{progress.best_cost:,.0f}")

        return solve_qap(
            problem, time_limit=time_limit, max_iterations=max_iterations, seed=seed, workers=workers, callback=show
        )


def result_fields(instance: Path, problem: QAPInstance, solution: Solution, known: BestKnown | None) -> dict[str, Any]:
    """What the command prints; the cost is recomputed from the permutation and the file's matrices, and a search
    whose own figure differs raises ResultMismatch (a bug, never a result to print)."""
    cost = permutation_cost(problem, solution.assignment)
    check_close("the cost of the permutation", solution.cost, cost, rel_tol=0.0, abs_tol=0.5)
    result: dict[str, Any] = {
        "instance": instance.stem,
        "n": problem.n,
        "cost": cost,
        "permutation": [int(x) for x in solution.assignment],
        "elapsed": round(solution.elapsed, 3),
        "iterations": solution.iterations,
        "stopped_by": solution.stopped_by,
        "seed": solution.seed,
        "workers": solution.workers,
    }
    if known is not None:
        result["best_known"] = known.best_known
        result["proven_optimal"] = known.proven_optimal
        result["gap_pct"] = round(100.0 * (cost - known.best_known) / known.best_known, 4) if known.best_known else None
    return result


def print_summary(result: dict[str, Any], note: str = "") -> None:
    line = f"[bold]{result['instance']}[/] (n = {result['n']}): cost [bold]{result['cost']:,}[/]"
    if "best_known" in result:
        kind = "optimum" if result["proven_optimal"] else "best known"
        gap = result["gap_pct"]
        line += f", {kind} {result['best_known']:,}" + (f", gap {gap:.2f} %" if gap is not None else "")
    console.print(line, highlight=False)
    console.print(
        f"{result['iterations']:,} iterations in {result['elapsed']:.1f} s, stopped by "
        f"{STOP_REASONS.get(result['stopped_by'], result['stopped_by'])}; seed {result['seed']}{note}",
        highlight=False,
    )
    console.print(
        "permutation (0-based): " + " ".join(str(x) for x in result["permutation"]), highlight=False, soft_wrap=True
    )
