"""Commands about layouts: score one, compare them all, and make scenarios from data a planner has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from booking.cli.app import app, console, register_user_error, write_output
from layouts.compare import Comparison, compare_layouts
from layouts.demo import DEMO_SCENARIO, demo_scenario_text
from layouts.errors import LayoutsError
from layouts.scenario import Scenario, read_scenario
from layouts.scoring import LayoutScore, score_layout

register_user_error(LayoutsError)

scenario_app = typer.Typer(
    help="Make scenario files: from a COBie spreadsheet, or a copy of the demo.", no_args_is_help=True
)
app.add_typer(scenario_app, name="scenario")

ScenarioArg = Annotated[
    str, typer.Argument(metavar="SCENARIO", help="A scenario YAML file, or 'demo' for the demo ward office.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def load_scenario(ref: str) -> Scenario:
    return read_scenario(DEMO_SCENARIO if ref == "demo" and not Path(ref).is_file() else Path(ref))


def label(scenario: Scenario, unit: str) -> str:
    return scenario.organisation[unit].label if unit in scenario.organisation else unit


def print_json(data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False))


@app.command()
def score(
    scenario: ScenarioArg,
    layout: Annotated[
        str | None, typer.Option("--layout", "-l", help="The layout to score (default: the first).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score one layout: travel and vertical travel per week, trips across floors, split units, seats, costly pairs."""
    sc = load_scenario(scenario)
    result = score_layout(sc, layout)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(f"[bold]{sc.name}[/]: layout [bold]{result.layout}[/]", highlight=False)
    console.print(kpi_table([result]))
    if result.split_units:
        split = "; ".join(
            f"{label(sc, u.unit)} ({', '.join(f'{f} {n}' for f, n in u.floors.items())})" for u in result.split_units
        )
        console.print(f"split over floors: {split}", highlight=False)
    console.print(seats_table(result))
    console.print(pairs_table(sc, result))
    for v in result.violations:
        console.print(f"[red]breaks:[/] {v}", highlight=False)


def kpi_table(scores: list[LayoutScore], comparison: Comparison | None = None) -> Table:
    table = Table(title="per week", title_justify="left")
    table.add_column("layout")
    for column in ("travel h", "vertical h", "vertical trips", "floors crossed", "split units"):
        table.add_column(column, justify="right")
    if comparison is not None:
        table.add_column("people moved", justify="right")
    moved = {c.score.layout: c for c in comparison.layouts} if comparison else {}
    for s in scores:
        c = moved.get(s.layout)
        change = dict(c.change) if c is not None else {}
        row = [
            s.layout,
            _with_change(s.travel_hours_per_week, change.get("travel_hours_per_week"), "{:.1f}"),
            _with_change(s.vertical_hours_per_week, change.get("vertical_hours_per_week"), "{:.1f}"),
            _with_change(s.vertical_trips_per_week, change.get("vertical_trips_per_week"), "{:,.0f}"),
            _with_change(s.floors_crossed_per_week, change.get("floors_crossed_per_week"), "{:,.0f}"),
            str(len(s.split_units)),
        ]
        if comparison is not None and c is not None:
            row.append(f"{c.people_moved:,.0f}")
        table.add_row(*row)
    return table


def _with_change(value: float, change: float | None, fmt: str) -> str:
    text = fmt.format(value)
    if change is None or abs(change) < 1e-9:
        return text
    colour = "green" if change < 0 else "red"
    return f"{text} [{colour}]({'+' if change > 0 else '−'}{fmt.format(abs(change))})[/]"


def seats_table(result: LayoutScore) -> Table:
    table = Table(title="seats by floor", title_justify="left")
    for column in ("floor", "needed", "available", "spare"):
        table.add_column(column, justify="left" if column == "floor" else "right")
    for f in reversed(result.seats):
        if f.needed == 0:
            continue
        spare = f"[red]{f.spare}[/]" if f.spare < 0 else str(f.spare)
        table.add_row(f.floor, str(f.needed), str(f.available), spare)
    return table


def pairs_table(sc: Scenario, result: LayoutScore) -> Table:
    table = Table(title="the pairs that cost most", title_justify="left")
    for column in ("units", "trips/week", "hours/week", "vertical h"):
        table.add_column(column, justify="left" if column == "units" else "right")
    for p in result.top_pairs:
        units = label(sc, p.a) if p.a == p.b else f"{label(sc, p.a)} – {label(sc, p.b)}"
        table.add_row(units, f"{p.trips_per_week:.1f}", f"{p.hours_per_week:.2f}", f"{p.vertical_hours_per_week:.2f}")
    return table


@app.command()
def compare(
    scenario: ScenarioArg,
    baseline: Annotated[str | None, typer.Option("--baseline", "-b", help="The layout to compare against.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML report.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the HTML report: en or ja.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """Every layout of a scenario side by side, with the change against a baseline and the people it moves."""
    if lang not in ("en", "ja"):
        raise typer.BadParameter("use en or ja", param_hint="--lang")
    sc = load_scenario(scenario)
    comparison = compare_layouts(sc, baseline=baseline)
    if html is not None:
        from layouts.report import comparison_to_html

        write_output(html, comparison_to_html(comparison, lang=lang))
    if as_json:
        print_json(comparison.to_dict())
        return
    console.print(
        f"[bold]{sc.name}[/]: {len(sc.layouts)} layouts against [bold]{comparison.baseline}[/]", highlight=False
    )
    console.print(kpi_table([c.score for c in comparison.layouts], comparison))
    console.print(seat_balance_table(comparison))
    for c in comparison.layouts:
        if c.score.layout == comparison.baseline:
            continue
        if c.pair_changes:
            table = Table(title=f"{c.score.layout}: the pairs whose cost changed most", title_justify="left")
            for column in ("units", comparison.baseline, c.score.layout, "change h/week"):
                table.add_column(column, justify="left" if column == "units" else "right")
            for p in c.pair_changes[:8]:
                units = label(sc, p.a) if p.a == p.b else f"{label(sc, p.a)} – {label(sc, p.b)}"
                table.add_row(
                    units, f"{p.baseline_hours:.2f}", f"{p.hours:.2f}", _with_change(p.change, None, "{:+.2f}")
                )
            console.print(table)
        for v in c.score.violations:
            console.print(f"[red]{c.score.layout} breaks:[/] {v}", highlight=False)
    for v in next(c for c in comparison.layouts if c.score.layout == comparison.baseline).score.violations:
        console.print(f"[yellow]{comparison.baseline} breaks:[/] {v}", highlight=False)


def seat_balance_table(comparison: Comparison) -> Table:
    table = Table(title="seats used / available by floor", title_justify="left")
    table.add_column("floor")
    for c in comparison.layouts:
        table.add_column(c.score.layout, justify="right")
    floors: dict[str, dict[str, tuple[int, int]]] = {}
    levels: dict[str, int] = {}
    for c in comparison.layouts:
        for f in c.score.seats:
            floors.setdefault(f.floor, {})[c.score.layout] = (f.needed, f.available)
            levels[f.floor] = f.level
    for floor in sorted(floors, key=lambda name: -levels[name]):
        cells = []
        for c in comparison.layouts:
            needed, available = floors[floor].get(c.score.layout, (0, 0))
            cell = f"{needed}/{available}" if needed else "·"
            cells.append(f"[red]{cell}[/]" if needed > available else cell)
        if any(cell != "·" for cell in cells):
            table.add_row(floor, *cells)
    return table


@scenario_app.command("demo")
def scenario_demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the scenario YAML.")],
) -> None:
    """Write a copy of the demo scenario (the ward office in the demo civic centre) to edit."""
    write_output(output, demo_scenario_text())


@scenario_app.command("from-cobie")
def scenario_from_cobie_command(
    source: Annotated[
        Path, typer.Argument(metavar="FILE.xlsx", help="A COBie spreadsheet with Floor, Space and Zone.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The scenario YAML to write.")],
    building: Annotated[
        Path | None,
        typer.Option(
            "--building", help="Where to write the building (default: beside the scenario, .building.geojson)."
        ),
    ] = None,
    m2_per_seat: Annotated[
        float, typer.Option("--m2-per-seat", min=0.5, help="Net area per seat, to turn zone areas into seats.")
    ] = 10.0,
) -> None:
    """Make a scenario from a COBie file: its building, one unit per department zone, today's layout from the zones."""
    from floorplan.geojson import write_geojson
    from layouts.from_cobie import scenario_from_cobie
    from layouts.scenario import scenario_from_dict

    building_path = building or output.with_name(f"{output.name.split('.')[0]}.building.geojson")
    rel = Path(os_relpath(building_path, output.parent))
    built, data, notes = scenario_from_cobie(source, building_file=rel.as_posix(), m2_per_seat=m2_per_seat)
    for note in notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    # Check the scenario as `floorwise score` will read it before anything is written.
    scenario_from_dict(data, base=output.parent, source=str(output), building=built)
    write_geojson(built, building_path)
    console.print(f"wrote [bold]{building_path}[/]", highlight=False)
    header = (
        f"# Scenario made by `floorwise scenario from-cobie {source.name}`: one unit per department zone, seats from\n"
        f"# net area at {m2_per_seat:g} m² per seat. Give units their real headcounts, fixed_share and desk_ratio,\n"
        "# add relations (trips per week or SLP ratings), then `floorwise compare` this file.\n"
    )
    write_output(output, header + yaml_dump(data))


def os_relpath(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), start.resolve())


def yaml_dump(data: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)


@app.command()
def optimize(
    scenario: ScenarioArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the scenario with the new layout.")],
    start: Annotated[
        str | None, typer.Option("--from", help="The layout to start from and count moves against (default: first).")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="Seconds to search.")] = 10.0,
    iterations: Annotated[
        int | None, typer.Option("--iterations", min=1, help="Iterations per worker; a run is repeatable with --seed.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the search (the same seed repeats a run).")
    ] = None,
    max_moves: Annotated[
        int | None, typer.Option("--max-moves", min=0, help="At most this many people move from the start layout.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Name of the new layout.")] = "optimised",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes searching at once.")] = 2,
    exact: Annotated[
        float | None,
        typer.Option(
            "--exact",
            min=1.0,
            metavar="SECONDS",
            help="Then try for this long to prove the layout optimal with the MIP solver (up to 40 units, 12 floors).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Search for a layout with less vertical travel that keeps every constraint, and add it to the scenario.

    Ctrl-C stops the search and keeps the best layout found so far.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from booking.cli.search_kernels import compiled_note, kernels_ready
    from layouts.optimize.engine import Progress as SearchProgress
    from layouts.optimize.stacking import optimize_scenario
    from layouts.scenario_file import write_scenario_with_layout

    source = DEMO_SCENARIO if scenario == "demo" and not Path(scenario).is_file() else Path(scenario)
    sc = read_scenario(source)
    if name in sc.layouts:
        raise typer.BadParameter(f"the scenario already has a layout called {name!r}", param_hint="--name")
    show = console.is_terminal and not as_json
    bar = Progress(
        TextColumn("searching"),
        BarColumn(),
        TextColumn("best {task.fields[best]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not show,
    )
    ready = kernels_ready(show=show)  # the time limit is the search's: compiling the kernels comes first
    with bar:
        task = bar.add_task("search", total=time_limit if iterations is None else None, best="…")

        def report(progress: SearchProgress) -> None:
            bar.update(task, completed=progress.elapsed, best=f"{progress.best_cost / 3600:.1f} h/week")

        result = optimize_scenario(
            sc,
            start=start,
            time_limit=None if iterations is not None else time_limit,
            max_iterations=iterations,
            seed=seed,
            max_moves=max_moves,
            name=name,
            workers=workers,
            callback=report,
            exact_seconds=exact,
        )
    solution = result.solution
    note = f"floorwise optimize: seed {solution.seed}, {solution.workers} workers, {solution.iterations} iterations"
    write_scenario_with_layout(source, result.layout, output, comment=note)
    comparison = compare_layouts(result.scenario, baseline=result.start_score.layout)
    if as_json:
        print_json(
            {
                "layout": result.layout.name,
                "start": result.start_score.layout,
                "output": str(output),
                "seed": solution.seed,
                "workers": solution.workers,
                "iterations": solution.iterations,
                "elapsed_s": round(solution.elapsed, 3),
                "warm_up_s": round(ready.seconds + solution.warm_up, 3),
                "kernels_compiled": ready.compiled,
                "workers_finished": solution.finished,
                "stopped_by": solution.stopped_by,
                "people_moved": result.people_moved,
                "exact": None if result.exact is None else exact_dict(result),
                "score": result.score.to_dict(),
                "start_score": result.start_score.to_dict(),
                "seats": {u: dict(s) for u, s in result.layout.seats.items()},
            }
        )
        return
    console.print(
        f"[bold]{sc.name}[/]: layout [bold]{name}[/] from [bold]{result.start_score.layout}[/] "
        f"({solution.iterations:,} iterations in {solution.elapsed:.1f} s, stopped by {solution.stopped_by}, "
        f"seed {solution.seed}{compiled_note(ready)})",
        highlight=False,
    )
    kept = [c for c in comparison.layouts if c.score.layout in (result.start_score.layout, name)]
    console.print(kpi_table([c.score for c in kept], comparison))
    if result.exact is not None:
        console.print(exact_sentence(result), highlight=False)
    console.print(f"wrote [bold]{output}[/]", highlight=False)


def exact_dict(result: Any) -> dict[str, Any]:
    e = result.exact
    return {
        "optimal": e.optimal,
        "bound_hours_per_week": e.bound / 3600.0,
        "heuristic_gap_pct": 100.0 * result.gap,
        "seconds": round(e.elapsed, 3),
        "status": e.status,
    }


def exact_sentence(result: Any) -> str:
    e = result.exact
    if e.optimal:
        found = "the search had found it" if result.gap < 1e-9 else "the solver improved on the search"
        return f"exact: proven optimal in {e.elapsed:.1f} s ({found})"
    return (
        f"exact: not proven in {e.elapsed:.1f} s; no layout can score below {e.bound / 3600:.2f} h/week, so the "
        f"search's layout is within {100 * result.gap:.1f} % of the optimum ({e.status})"
    )
