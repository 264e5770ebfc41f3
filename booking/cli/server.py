"""Commands that run the booking application: `floorwise serve`, `floorwise load`, `floorwise no-shows`."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from booking.cli.app import app, console, errors
from booking.cli.building import BuildingArg, FormatOpt, unpacked_limit
from booking.cli.database import actor_name, command_transaction
from booking.clock import SystemClock
from booking.services.bookings import mark_no_shows
from booking.services.loading import LoadReport, load_building
from booking.settings import Settings
from booking.web.request_logs import access_log, log_config
from floorplan.importing import read_building


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Server processes (one per core); they share FLOORWISE_DB_MAX_CONNECTIONS."
        ),
    ] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="First set up the database if need be and load the demo (once), then print its logins."
        ),
    ] = False,
) -> None:
    """Run the web application (settings from FLOORWISE_* environment variables)."""
    import uvicorn

    settings = Settings()
    if settings.is_development_key:
        errors.print("[yellow]warning:[/] FLOORWISE_SECRET_KEY is not set; using the development key", highlight=False)
    if demo:
        prepare_demo(settings)
    console.print(f"serving on http://{host}:{port}", highlight=False)
    # Each worker process calls create_app() itself, reading the same environment: tell them how many share
    # FLOORWISE_DB_MAX_CONNECTIONS.
    os.environ["FLOORWISE_WORKERS"] = str(workers)
    uvicorn.run(
        "booking.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(settings.log_format),
        access_log=access_log(settings.log_format),
    )


def prepare_demo(settings: Settings, *, seed: int = 0) -> None:
    """Migrate the database if need be, load the demo once (its plan with it), print the logins."""
    import time

    from booking.database import Database
    from booking.demo import DEMO_PASSWORD, load_demo
    from booking.migrate import is_up_to_date, upgrade_database

    started = time.perf_counter()
    database = Database.from_settings(settings)
    try:
        if not is_up_to_date(database.engine):
            upgrade_database(database.engine)
        with database.transaction(write=True) as session:
            report = load_demo(session, now=SystemClock().now(), seed=seed)
    finally:
        database.dispose()
    if report.created:
        console.print(
            f"demo loaded in {time.perf_counter() - started:.1f} s: {report.people} people, {report.bookings} bookings",
            highlight=False,
        )
    else:
        console.print("the demo is loaded already; nothing changed", highlight=False)
    table = Table(title=f"demo logins (password for all: {DEMO_PASSWORD})", title_justify="left")
    for column in ("user id", "name", "role", "unit"):
        table.add_column(column)
    for login in report.logins:
        table.add_row(login.user_id, login.name, login.role, login.unit)
    console.print(table)


@app.command()
def load(building: BuildingArg, fmt: FormatOpt = None) -> None:
    """Load a building's floors, spaces and desks into the booking database, or update them (by building id), and
    store its plan for the pages' floor maps.

    Desks missing from the file are retired: they keep their history, and their bookings still ahead are listed.
    """
    imported = read_building(building, format=fmt, max_unpacked_bytes=unpacked_limit())
    now = SystemClock().now()
    with command_transaction() as session:
        report = load_building(session, imported.building, now=now, actor=actor_name())
    print_load_report(report)


def print_load_report(report: LoadReport) -> None:
    verb = "loaded" if report.created else "updated"
    console.print(
        f"{verb} building [bold]{report.building_id}[/]: floors {_counts(report.floors)}; spaces "
        f"{_counts(report.spaces)}; desks {_counts(report.desks)}",
        highlight=False,
    )
    if report.retired_desks:
        console.print(f"retired desks: {', '.join(report.retired_desks)}", highlight=False, soft_wrap=True)
    if report.affected_bookings:
        table = Table(title="bookings still ahead on retired desks (kept: tell these people)", title_justify="left")
        for column in ("booking", "desk", "person", "start", "end"):
            table.add_column(column)
        for b in report.affected_bookings:
            table.add_row(
                str(b.booking_id), b.desk, f"{b.user_name} ({b.user_id})", b.start.isoformat(), b.end.isoformat()
            )
        console.print(table)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "unchanged"


@app.command("no-shows")
def no_shows() -> None:
    """Mark as no-show every booking whose check-in window closed without a check-in."""
    now = SystemClock().now()
    with command_transaction() as session:
        marked = len(mark_no_shows(session, now=now, actor=actor_name()))
    console.print(f"{marked} bookings marked no-show", highlight=False)
