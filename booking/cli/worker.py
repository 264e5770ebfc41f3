"""`floorwise worker`: run queued optimiser jobs on PostgreSQL (procrastinate's worker in front of a process pool)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError

from booking.cli.app import app, console
from booking.cli.database import DatabaseProblem, shown_url
from booking.database import Database
from booking.migrate import is_up_to_date
from booking.settings import Settings


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help="Jobs run at once, each in a process of its own.")
    ] = 2,
) -> None:
    """Run the optimiser jobs queued by the app servers (PostgreSQL; on SQLite `floorwise serve` runs them).

    Each job runs in a worker process at a lower OS priority, its kernels compiled or loaded before it takes
    jobs. Ctrl-C or SIGTERM stops the searches under way; their jobs go back to the queue for the next worker.
    """
    settings = Settings()
    database = Database.from_settings(settings)
    try:
        if database.engine.dialect.name != "postgresql":
            raise DatabaseProblem(
                "floorwise worker takes its jobs from PostgreSQL's queue; on SQLite `floorwise serve` runs them "
                f"itself (the database is {shown_url(settings)})"
            )
        from booking.workers.queue import queue_schema_present, run_worker

        try:
            ready = is_up_to_date(database.engine) and queue_schema_present(database.engine)
        except OperationalError as exc:
            raise DatabaseProblem(f"cannot open the database {shown_url(settings)}: {exc.orig}") from None
        if not ready:
            raise DatabaseProblem(
                f"the database {shown_url(settings)} is not set up for this version; run `floorwise db upgrade`"
            )
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        console.print(f"worker on {shown_url(settings)}: {concurrency} job processes", highlight=False)
        run_worker(database, concurrency=concurrency)
    finally:
        database.dispose()
