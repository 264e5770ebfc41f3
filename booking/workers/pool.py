"""A pool of worker processes that run optimiser jobs (`booking.services.jobs.run_job`).

Processes, not threads: a search holds a core for its whole time limit, and in a thread of the serving process it
would hold the interpreter too. Each process is spawned (safe in a threaded server), runs at a lower OS priority
(``os.nice``, so that the booking requests on the same machine come first), and gets the optimiser's compiled
kernels ready (`layouts.optimize.warm_up`) before it takes its first job, so that a job's time limit is spent
searching. A process stops its search when the pool stops or when its parent is gone, and puts its job back in the
queue (`run_job`'s ``should_stop``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

from booking.database import Database, make_engine

log = logging.getLogger(__name__)

#: How much lower than the server's the job processes' priority is (``nice`` adds this to theirs).
NICENESS = 10
#: The longest a pool waits for its processes to compile or load the kernels before it takes jobs anyway.
WARM_UP_WAIT_S = 300.0

_database: Database | None = None
_stop: Event | None = None
_parent = 0


def _start_process(url: str, busy_timeout_ms: int, stop: Event, ready: Synchronized[int], niceness: int) -> None:
    """A pool process's start: ignore Ctrl-C (the parent stops the pool), lower its priority, open the database,
    warm the kernels, then count itself ready."""
    global _database, _stop, _parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if niceness:
        os.nice(niceness)
    from booking.runtime import single_threaded_blas
    from layouts.optimize import warm_up

    single_threaded_blas()
    _database = Database(make_engine(url, busy_timeout_ms=busy_timeout_ms, pool_size=2))
    _stop, _parent = stop, os.getppid()
    took = warm_up()
    log.info("job process %s ready (kernels in %.1f s, %d compiled)", os.getpid(), took.seconds, took.compiled)
    with ready.get_lock():
        ready.value += 1


def _stopping() -> bool:
    return (_stop is not None and _stop.is_set()) or os.getppid() != _parent


def _run(job_id: int) -> str:
    from booking.services.jobs import run_job

    assert _database is not None, "the process was not started by JobPool"
    return run_job(_database, job_id, should_stop=_stopping)


class JobPool:
    """``processes`` worker processes running jobs by id, on the database at ``url``."""

    def __init__(self, url: str, *, processes: int, busy_timeout_ms: int = 10_000, niceness: int = NICENESS) -> None:
        if processes < 1:
            raise ValueError(f"a job pool needs at least one process, got {processes}")
        self.url = url
        self.processes = processes
        self.busy_timeout_ms = busy_timeout_ms
        self.niceness = niceness
        self._context = multiprocessing.get_context("spawn")
        self.stop_event = self._context.Event()
        self._executor: ProcessPoolExecutor | None = None

    def _new_executor(self) -> ProcessPoolExecutor:
        ready = self._context.Value("i", 0)
        executor = ProcessPoolExecutor(
            self.processes,
            mp_context=self._context,
            initializer=_start_process,
            initargs=(self.url, self.busy_timeout_ms, self.stop_event, ready, self.niceness),
        )
        # One call per process starts them all (a spawning pool starts a process for each call no idle one takes);
        # each counts itself ready once its kernels are, and no job is handed over before.
        for _ in range(self.processes):
            executor.submit(os.getpid)
        deadline = time.monotonic() + WARM_UP_WAIT_S
        while ready.value < self.processes and time.monotonic() < deadline and not self.stop_event.is_set():
            time.sleep(0.05)
        return executor

    def start(self) -> None:
        """Start the processes and wait until their kernels are ready."""
        if self._executor is None:
            self._executor = self._new_executor()

    def submit(self, job_id: int) -> Future[str]:
        """Run the job in a free process (queued behind the others when none is free); its `run_job` outcome."""
        self.start()
        assert self._executor is not None
        try:
            return self._executor.submit(_run, job_id)
        except BrokenProcessPool:
            # A process died (killed, out of memory): its job is recovered by `recover_jobs`; start afresh.
            log.warning("a job process died; starting the pool again")
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new_executor()
            return self._executor.submit(_run, job_id)

    def run(self, job_id: int) -> str:
        """Run the job and wait for its outcome."""
        return self.submit(job_id).result()

    def stop(self) -> None:
        """Stop the running searches (their jobs go back to the queue) and the processes."""
        self.stop_event.set()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
