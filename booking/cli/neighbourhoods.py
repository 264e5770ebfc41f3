"""`floorwise neighbourhoods apply`: make a scenario's layout the units' home zones in booking."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from booking.cli.app import app, console
from booking.cli.database import actor_name, command_transaction, read_transaction
from booking.cli.layouts import ScenarioArg, load_scenario
from booking.clock import SystemClock

neighbourhoods_app = typer.Typer(
    help="Team neighbourhoods: the zones kept for units in booking, from a layout.", no_args_is_help=True
)
app.add_typer(neighbourhoods_app, name="neighbourhoods")


@neighbourhoods_app.command("apply")
def apply(
    scenario: ScenarioArg,
    layout: Annotated[str, typer.Option("--layout", "-l", help="The layout to make the units' home zones.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")] = False,
    building: Annotated[str | None, typer.Option("--building", help="Building id (default: the first).")] = None,
) -> None:
    """Show what changes (home desks per unit and floor), then, once confirmed, replace the zones of the units
    that move, in one transaction, every change in the audit log. Units that do not move keep their zones."""
    from booking.analytics.neighbourhoods import apply_neighbourhoods, describe, plan_neighbourhoods

    sc = load_scenario(scenario)
    now = SystemClock().now()
    with read_transaction() as session:
        plan = plan_neighbourhoods(session, sc, layout=layout, now=now, building_id=building)
    table = Table(title=f"home desks of {sc.name}, layout {layout}", title_justify="left")
    for column in ("unit", "floor", "now", "then", "change"):
        table.add_column(column, justify="right" if column in ("now", "then") else "left")
    for row in describe(plan):
        table.add_row(row[0], row[1], str(row[2]), str(row[3]), row[4])
    console.print(table)
    for note in plan.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
    changed = plan.changed
    if not changed:
        console.print("nothing to change: every unit's home desks match the layout", highlight=False)
        return
    removed = sum(len(u.old_zones) for u in changed)
    made = sum(len(u.new_zones) for u in changed)
    if not yes:
        typer.confirm(f"Replace {removed} zones with {made} for {len(changed)} units?", abort=True)
    with command_transaction() as session:
        apply_neighbourhoods(session, plan, actor=actor_name(), now=now)
    console.print(f"applied: {removed} zones removed, {made} made for {len(changed)} units", highlight=False)
