"""Optimiser jobs on PostgreSQL: procrastinate's queue, and `floorwise worker` in front of a `JobPool`.

- Queueing a job (`booking.services.jobs.queue_optimise`) defers the task `run_planning_job` on the request's own
  connection, inside its transaction: the job row and the queue's message are committed together or not at all.
- `floorwise worker` runs procrastinate's worker; the task hands the job to a pool process and waits for it.
  Before it takes jobs the worker warms its processes, puts back in the queue the jobs of workers that died
  (`recover_jobs`), and defers every queued job that has no message waiting (one queued again, or queued while
  the queue was not set up); it does both again every `SWEEP_S`.
- The queue's tables are procrastinate's own schema, applied by `floorwise db upgrade` when they are missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from booking.clock import SystemClock
from booking.database import Database
from booking.services.jobs import queued_job_ids, recover_jobs, worker_id
from booking.workers.pool import JobPool

log = logging.getLogger(__name__)

#: The queue and the task's name, as stored in procrastinate's tables.
QUEUE = "floorwise-planning"
RUN_TASK = "floorwise.run_planning_job"
#: How often a worker looks for jobs whose worker died and for queued jobs without a message (seconds).
SWEEP_S = 60.0

#: The worker's app: its connector is replaced by one with the database's address when `floorwise worker` runs.
worker_app = procrastinate.App(connector=procrastinate.PsycopgConnector())
#: Deferring only ever uses a caller's connection (inside its transaction), so this connector is never opened.
_defer_app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector())

_pool: JobPool | None = None


@worker_app.task(name=RUN_TASK, queue=QUEUE)
def run_planning_job(job_id: int) -> str:
    """Run an optimiser job in a process of this worker's pool (`booking.services.jobs.run_job`)."""
    if _pool is None:
        raise RuntimeError("run_planning_job runs in `floorwise worker`, which starts the pool")
    outcome = _pool.run(job_id)
    log.info("optimiser job %s: %s", job_id, outcome)
    return outcome


def queueing_lock(job_id: int) -> str:
    """At most one message waits in the queue per job."""
    return f"floorwise-planning-job-{job_id}"


def defer_in_transaction(session: Session, job_id: int) -> bool:
    """Defer ``run_planning_job(job_id)`` on the session's connection, in its transaction; False when a message for
    the job is waiting already."""
    connection: Any = session.connection().connection.driver_connection
    deferrer = _defer_app.configure_task(
        RUN_TASK, queue=QUEUE, connection=connection, queueing_lock=queueing_lock(job_id)
    )
    try:
        with session.begin_nested():  # a refused insert must not end the caller's transaction
            deferrer.defer(job_id=job_id)
    except AlreadyEnqueued:
        return False
    return True


def queue_schema_present(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None


def apply_queue_schema(engine: Engine) -> bool:
    """Create procrastinate's tables and functions where they are missing (`floorwise db upgrade`); True when it
    did. Idempotent: a database that has them is left as it is."""
    with engine.begin() as connection:
        if connection.scalar(text("SELECT to_regclass('procrastinate_jobs')")) is not None:
            return False
        schema = SchemaManager.get_schema()
        # Run as written, by the driver: its functions hold text that SQLAlchemy would read as bind parameters.
        connection.connection.driver_connection.execute(schema)  # type: ignore[union-attr]
    return True


def sweep(database: Database) -> tuple[dict[int, str], int]:
    """Recover the jobs of dead workers, then defer the queued jobs that have no message waiting: the jobs
    recovered (id -> new state) and the number of messages deferred."""
    with database.transaction(write=True) as session:
        recovered = recover_jobs(session, now=SystemClock().now())
    deferred = 0
    with database.transaction(write=True) as session:
        for job_id in queued_job_ids(session, limit=1000):
            deferred += defer_in_transaction(session, job_id)
    return recovered, deferred


def conninfo(url: URL) -> str:
    """The libpq address of a SQLAlchemy URL (``postgresql+psycopg://`` -> ``postgresql://``)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def run_worker(database: Database, *, concurrency: int) -> None:
    """`floorwise worker`: warm a pool of ``concurrency`` processes, sweep, then run procrastinate's worker until
    SIGINT or SIGTERM; running searches then stop and their jobs go back to the queue."""
    global _pool
    url = database.engine.url
    pool = JobPool(url.render_as_string(hide_password=False), processes=concurrency)
    pool.start()
    _pool = pool
    stopping = threading.Event()

    def sweep_now_and_then() -> None:
        while True:
            try:
                recovered, deferred = sweep(database)
                if recovered or deferred:
                    log.warning(
                        "jobs recovered from stopped workers: %s; queued jobs deferred: %d", recovered, deferred
                    )
            except Exception:
                log.exception("sweeping the optimiser jobs failed")
            if stopping.wait(SWEEP_S):
                return

    sweeper = threading.Thread(target=sweep_now_and_then, name="floorwise-sweep", daemon=True)
    sweep(database)
    sweeper.start()
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(url), min_size=1, max_size=concurrency + 2)

    async def main() -> None:
        with worker_app.replace_connector(connector):
            async with worker_app.open_async():
                task = asyncio.create_task(
                    worker_app.run_worker_async(
                        queues=[QUEUE], concurrency=concurrency, name=worker_id(), install_signal_handlers=False
                    )
                )

                def stop() -> None:
                    pool.stop_event.set()  # searches stop, their jobs go back to the queue, the tasks return
                    task.cancel()  # procrastinate's graceful stop: no new job, wait for the running ones

                loop = asyncio.get_running_loop()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(signum, stop)
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    try:
        asyncio.run(main())
    finally:
        stopping.set()
        pool.stop()
        _pool = None
