"""Optimiser jobs on the SQLite default: `floorwise serve` runs them in a pool of worker processes of its own.

A thread of each serving process polls ``planning_jobs`` every `POLL_S` and hands the oldest queued jobs to its
`JobPool` while it has free processes; the pool starts with the first job it is given. Several serving
processes (``serve --workers N``) each poll, and each has its share of ``FLOORWISE_JOB_WORKERS`` processes; a
job handed to two of them runs once, as `run_job`'s claim is atomic. Every `SWEEP_S` the thread also puts back in
the queue the jobs of workers that died (`recover_jobs`), as it does once at start-up.

On PostgreSQL the jobs go through procrastinate's queue instead and `floorwise worker` runs them (`queue`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from booking.clock import SystemClock
from booking.database import Database, make_engine, normalise_url
from booking.services.jobs import queued_job_ids, recover_jobs
from booking.settings import Settings
from booking.workers.pool import JobPool

log = logging.getLogger(__name__)

#: How often the serving process looks for queued jobs (seconds).
POLL_S = 1.0
#: How often it looks for jobs whose worker died (seconds).
SWEEP_S = 30.0


class LocalJobRunner:
    """Polls the jobs table of a SQLite database and runs queued jobs in a pool of ``processes``."""

    def __init__(self, url: str, *, processes: int, busy_timeout_ms: int = 10_000, poll_s: float = POLL_S) -> None:
        self.url = url
        self.processes = processes
        self.busy_timeout_ms = busy_timeout_ms
        self.poll_s = poll_s
        self.pool: JobPool | None = None
        self._running: dict[int, Future[str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="floorwise-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop polling; running searches stop and their jobs go back to the queue for the next start."""
        self._stop.set()
        self._thread.join(timeout)
        if self.pool is not None:
            self.pool.stop()

    def _loop(self) -> None:
        database = Database(make_engine(self.url, busy_timeout_ms=self.busy_timeout_ms, pool_size=1))
        last_sweep = 0.0
        complained = False
        try:
            while not self._stop.is_set():
                try:
                    if time.monotonic() - last_sweep >= SWEEP_S:
                        last_sweep = time.monotonic()
                        with database.transaction(write=True) as session:
                            recovered = recover_jobs(session, now=SystemClock().now())
                        if recovered:
                            log.warning("jobs of workers that stopped: %s", recovered)
                    self._hand_over(database)
                    complained = False
                except Exception:
                    if not complained:  # once, not every second (a database not set up yet, say)
                        log.exception("looking for optimiser jobs failed; trying again every %.0f s", self.poll_s)
                        complained = True
                self._stop.wait(self.poll_s)
        finally:
            database.dispose()

    def _hand_over(self, database: Database) -> None:
        for job_id, future in list(self._running.items()):
            if future.done():
                del self._running[job_id]
                if future.exception() is not None:
                    log.error("optimiser job %s: %s", job_id, future.exception())
        free = self.processes - len(self._running)
        if free <= 0:
            return
        with database.session() as session:
            waiting = [i for i in queued_job_ids(session, limit=free + len(self._running)) if i not in self._running]
        for job_id in waiting[:free]:
            if self.pool is None:
                self.pool = JobPool(self.url, processes=self.processes, busy_timeout_ms=self.busy_timeout_ms)
            if self._stop.is_set():
                return
            self._running[job_id] = self.pool.submit(job_id)


def local_runner(settings: Settings) -> LocalJobRunner | None:
    """The runner `floorwise serve` starts for ``settings``: on a SQLite file with ``job_workers`` above 0 (none
    for PostgreSQL, whose jobs `floorwise worker` runs, nor for an in-memory database no other process can open)."""
    url = normalise_url(settings.database_url)
    if make_url(url).get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if settings.job_workers < 1:
        return None
    processes = max(1, settings.job_workers // settings.workers)
    return LocalJobRunner(
        url.render_as_string(hide_password=False),
        processes=processes,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
    )


@asynccontextmanager
async def jobs_beside_server(app: FastAPI) -> AsyncIterator[None]:
    """The application's lifespan: run optimiser jobs beside the server where `local_runner` says so."""
    runner = local_runner(app.state.settings)
    if runner is not None:
        runner.start()
    try:
        yield
    finally:
        if runner is not None:
            await anyio.to_thread.run_sync(runner.stop)
