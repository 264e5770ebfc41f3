"""`floorwise plan from-bookings`: a scenario from live data, to score, compare and optimise as any other."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from booking.cli.app import app, console, write_output
from booking.cli.database import read_transaction
from booking.clock import SystemClock

plan_app = typer.Typer(help="Plans from live data: a scenario made from the bookings.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

DATE_FORMATS = ["%Y-%m-%d"]


@plan_app.command("from-bookings")
def from_bookings(
    since: Annotated[
        datetime, typer.Option("--since", formats=DATE_FORMATS, metavar="DATE", help="First day of the bookings read.")
    ],
    until: Annotated[
        datetime, typer.Option("--until", formats=DATE_FORMATS, metavar="DATE", help="Last day, included.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The scenario YAML to write (a stored plan goes beside it as NAME.building.geojson)."
        ),
    ],
    base: Annotated[
        str | None,
        typer.Option("--base", help="A scenario whose building, relations and constraints to keep ('demo': the demo)."),
    ] = None,
    building: Annotated[str | None, typer.Option("--building", help="Building id (default: the first).")] = None,
) -> None:
    """A scenario from the bookings of a period: each section with the seats its bookings show it needs,
    relations from co-attendance beyond chance (marked with a note) added to the base's, and the current layout
    from the units' home zones."""
    from booking.analytics.planning import scenario_from_bookings
    from booking.cli.layouts import load_scenario

    base_scenario = load_scenario(base) if base is not None else None
    now = SystemClock().now()
    with read_transaction() as session:
        derived = scenario_from_bookings(
            session, since=since.date(), until=until.date(), now=now, out=output, building_id=building,
            base=base_scenario,
        )  # fmt: skip
    table = Table(title=f"sections from the bookings of {since.date()} to {until.date()}", title_justify="left")
    for column in ("section", "people", "fixed", "peak", "p90", "seats", "current layout", "placed by"):
        table.add_column(column, justify="left" if column in ("section", "current layout", "placed by") else "right")
    for u in derived.units:
        current = ", ".join(f"{floor} {n}" for floor, n in u.current.items()) or "-"
        table.add_row(
            f"{u.name} ({u.unit_id})", str(u.headcount), str(u.fixed_desks), str(u.peak), str(u.p90), str(u.seats),
            current, {"home": "home zones", "bookings": "bookings", "base": "base layout"}.get(u.source, u.source),
        )  # fmt: skip
    console.print(table)
    for pair in derived.added:
        console.print(
            f"relation added: {pair.a_name} – {pair.b_name}, {pair.trips_per_week:g} trips/week "
            f"(co-attendance r {pair.r:.2f})",
            highlight=False,
        )
    for pair in derived.confirmed:
        console.print(f"related as the base says: {pair.a_name} – {pair.b_name} (r {pair.r:.2f})", highlight=False)
    for note in derived.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    if derived.plan is not None and derived.plan_path is not None:
        from floorplan.geojson import write_geojson

        write_geojson(derived.plan, derived.plan_path)  # the building the scenario names, as stored in booking
        console.print(f"wrote [bold]{derived.plan_path}[/]", highlight=False)
    write_output(output, derived.text)
