"""Commands about the building: import, validate, render, travel, and the demo building."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from booking.cli.app import app, console, write_output
from booking.settings import Settings
from floorplan.circulation import Circulation, Route, place_of
from floorplan.geojson import write_geojson
from floorplan.importing import FORMATS, Imported, read_building
from floorplan.model import Building

BuildingArg = Annotated[
    Path,
    typer.Argument(
        metavar="BUILDING",
        help="A building file: native .geojson, COBie .xlsx, IMDF folder or .zip, or floor-guide .yaml.",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", "-f", help=f"The file's format, if its name does not tell: {', '.join(FORMATS)}."),
]


def unpacked_limit() -> int:
    """FLOORWISE_MAX_UNPACKED_BYTES: what an archive (IMDF .zip, COBie .xlsx) may unpack to, here as on the site."""
    return Settings().max_unpacked_bytes


def load(path: Path, fmt: str | None = None, *, show_notes: bool = False) -> Building:
    imported = read_building(path, format=fmt, max_unpacked_bytes=unpacked_limit())
    if show_notes:
        print_notes(imported)
    return imported.building


def print_notes(imported: Imported) -> None:
    for note in imported.notes:
        console.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)


def summary_table(building: Building) -> Table:
    table = Table(title=f"{building.name or building.id}", title_justify="left")
    for column in ("floor", "level", "elevation m", "spaces", "desks", "seats", "use"):
        table.add_column(column, justify="right" if column not in ("floor", "use") else "left")
    for f in reversed(building.floors):
        table.add_row(
            f.name,
            str(f.level),
            f"{f.elevation_m:.2f}",
            str(len(f.spaces)),
            str(len(f.desks)),
            str(f.seat_capacity),
            f.use,
        )
    return table


@app.command("import")
def import_(
    source: BuildingArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The native building file to write.")],
    fmt: FormatOpt = None,
) -> None:
    """Read a building (COBie, IMDF, floor guide or native GeoJSON), validate it, and write it as native GeoJSON."""
    imported = read_building(source, format=fmt, max_unpacked_bytes=unpacked_limit())
    print_notes(imported)
    write_geojson(imported.building, output)
    b = imported.building
    console.print(
        f"wrote [bold]{output}[/]: {len(b.floors)} floors, {sum(1 for _ in b.spaces())} spaces, "
        f"{sum(1 for _ in b.desks())} desks, {len(b.cores)} cores",
        highlight=False,
    )


@app.command()
def validate(building: BuildingArg, fmt: FormatOpt = None) -> None:
    """Check a building file and summarise it floor by floor; every fault is listed with where it is."""
    imported = read_building(building, format=fmt, max_unpacked_bytes=unpacked_limit())
    print_notes(imported)
    b = imported.building
    console.print(summary_table(b))
    cores = ", ".join(f"{c.id} ({c.kind.value}, {len(c.levels)} levels)" for c in b.cores) or "none"
    console.print(f"cores: {cores}", highlight=False)
    console.print("[green]valid[/]")


@app.command()
def render(
    building: BuildingArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The SVG file to write.")],
    floor: Annotated[str | None, typer.Option("--floor", help="Draw this floor (its name, e.g. 6F).")] = None,
    stack: Annotated[bool, typer.Option("--stack", help="Draw the stacking diagram of all floors.")] = False,
    fmt: FormatOpt = None,
) -> None:
    """Draw one floor's plan, or the stacking diagram of all floors, as SVG."""
    from floorplan.svg import floor_to_svg, stack_to_svg

    if (floor is None) == (not stack):
        raise typer.BadParameter("give either --floor NAME or --stack")
    b = load(building, fmt)
    if stack:
        write_output(output, stack_to_svg(b))
    else:
        assert floor is not None
        write_output(output, floor_to_svg(b, find_floor(b, floor)))


def find_floor(building: Building, name: str) -> str:
    try:
        return building.floor(name).id
    except KeyError:
        names = ", ".join(f.name for f in building.floors)
        raise typer.BadParameter(f"no floor {name!r}; the floors are {names}", param_hint="--floor") from None


@app.command()
def travel(
    building: BuildingArg,
    origin: Annotated[str, typer.Argument(metavar="FROM", help="A space id, desk id or floor name.")],
    destination: Annotated[str, typer.Argument(metavar="TO", help="A space id, desk id or floor name.")],
    fmt: FormatOpt = None,
) -> None:
    """The door-to-door time between two places, leg by leg, in both directions, and their mean."""
    b = load(building, fmt)
    circulation = Circulation(b)
    a, z = place_of(b, origin), place_of(b, destination)
    there, back = circulation.route(a, z), circulation.route(z, a)
    for route in (there, back):
        console.print(route_table(route))
    total = (there.total_s + back.total_s) / 2
    vertical = (there.vertical_s + back.vertical_s) / 2
    console.print(
        f"[bold]t({origin}, {destination}) = {total:.1f} s[/] (mean of both directions): "
        f"{vertical:.1f} s vertical, {total - vertical:.1f} s walking",
        highlight=False,
    )


def route_table(route: Route) -> Table:
    a, z = route.origin, route.destination
    table = Table(title=f"{a.id} → {z.id}: {route.total_s:.1f} s", title_justify="left")
    table.add_column("leg")
    table.add_column("seconds", justify="right")
    table.add_column("", justify="left")
    for leg in route.legs:
        table.add_row(leg.text, f"{leg.seconds:.1f}", "vertical" if leg.is_vertical else "")
    return table


@app.command()
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the demo files into.")] = Path(
        "demo"
    ),
) -> None:
    """Write the demo building (modelled on the Bunkyo Civic Center): its GeoJSON, checked, and its plans as SVG."""
    from floorplan.demo import demo_building
    from floorplan.svg import floor_to_svg, stack_to_svg

    building = demo_building()
    output.mkdir(parents=True, exist_ok=True)
    path = output / "civic-centre.building.geojson"
    write_geojson(building, path)
    check = read_building(path).building  # read back through the validating reader
    console.print(summary_table(check))
    plans = output / "plans"
    plans.mkdir(exist_ok=True)
    for floor in check.floors:
        (plans / f"{floor.name}.svg").write_text(floor_to_svg(check, floor), encoding="utf-8")
    (output / "stack.svg").write_text(stack_to_svg(check), encoding="utf-8")
    console.print(
        f"wrote [bold]{path}[/] (valid), [bold]{output / 'stack.svg'}[/] and {len(check.floors)} floor plans in "
        f"[bold]{plans}[/]",
        highlight=False,
    )
