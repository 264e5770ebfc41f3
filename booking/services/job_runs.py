"""Running one optimiser job in a worker: claim it, search, write progress, save the layout, say how it ended.

Each step is a short transaction of its own (the search itself holds none), so that bookings never wait on a
running job: the claim, a progress write at most every `PROGRESS_EVERY_S`, and the end (the layout saved and the
job marked done in one transaction, or failed, cancelled, queued again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select, update

from booking.clock import Clock, SystemClock
from booking.database import Database
from booking.errors import BookingError
from booking.models.planning import JobState, LayoutOrigin, PlanningJob
from booking.services.jobs import ERROR_LENGTH, worker_id
from booking.services.scenarios import load_scenario, save_layout
from layouts.errors import LayoutsError
from layouts.optimize.engine import Progress

log = logging.getLogger(__name__)

#: Progress is written at most this often (seconds): each write is a short write transaction.
PROGRESS_EVERY_S = 1.0

#: How `run_job` ended: the job's new state, ``requeued`` (stopped for a shutdown, back in the queue),
#: ``not_claimed`` (another worker had it, or it is no longer queued) or ``lost`` (taken away meanwhile).
RunOutcome = Literal["done", "failed", "cancelled", "requeued", "not_claimed", "lost"]


@dataclass
class _Watch:
    """The search's callback: writes progress, and stops the search on a cancel request or a shutdown."""

    database: Database
    job_id: int
    worker: str
    should_stop: Callable[[], bool]
    stopped: str | None = None  # "cancel", "shutdown" or "lost"
    last_write: float = 0.0

    def __call__(self, progress: Progress) -> bool:
        if self.should_stop():
            self.stopped = "shutdown"
            return True
        now = time.monotonic()
        if now - self.last_write < PROGRESS_EVERY_S:
            return False
        self.last_write = now
        with self.database.transaction(write=True) as session:
            cancel = session.execute(
                update(PlanningJob)
                .where(
                    PlanningJob.id == self.job_id,
                    PlanningJob.state == JobState.RUNNING.value,
                    PlanningJob.worker == self.worker,
                )
                .values(
                    iterations=progress.iterations,
                    best_travel_hours=progress.best_cost / 3600.0,
                    elapsed_s=progress.elapsed,
                )
                .returning(PlanningJob.cancel_requested)
            ).scalar_one_or_none()
        if cancel is None:
            self.stopped = "lost"
        elif cancel:
            self.stopped = "cancel"
        return self.stopped is not None


def _claim(database: Database, job_id: int, worker: str, clock: Clock) -> bool:
    """queued -> running, atomically: of several workers trying, one changes the row."""
    with database.transaction(write=True) as session:
        result = session.execute(
            update(PlanningJob)
            .where(
                PlanningJob.id == job_id,
                PlanningJob.state == JobState.QUEUED.value,
                PlanningJob.cancel_requested.is_(False),
            )
            .values(
                state=JobState.RUNNING.value,
                worker=worker,
                started_at=clock.now(),
                iterations=0,
                elapsed_s=0.0,
                best_travel_hours=None,
            )
        )
        return getattr(result, "rowcount", 0) == 1


def _end(database: Database, job_id: int, worker: str, values: dict[str, Any]) -> bool:
    """Write how a job ended, if it is still this worker's."""
    with database.transaction(write=True) as session:
        result = session.execute(
            update(PlanningJob)
            .where(PlanningJob.id == job_id, PlanningJob.state == JobState.RUNNING.value, PlanningJob.worker == worker)
            .values(**values)
        )
        return getattr(result, "rowcount", 0) == 1


def _fail(database: Database, job_id: int, worker: str, clock: Clock, why: str) -> RunOutcome:
    ended = _end(database, job_id, worker,
                 {"state": JobState.FAILED.value, "error": why[:ERROR_LENGTH], "finished_at": clock.now()})  # fmt: skip
    return "failed" if ended else "lost"


def run_job(
    database: Database,
    job_id: int,
    *,
    should_stop: Callable[[], bool] | None = None,
    clock: Clock | None = None,
    worker: str | None = None,
) -> RunOutcome:
    """Run the optimiser job ``job_id`` if it is still queued (see `RunOutcome` for what is returned).

    The scenario is read with `booking.services.scenarios.load_scenario`, searched by
    `layouts.optimize.stacking.optimize_scenario` in this process (one search worker: the job is the process), and
    the layout saved by `save_layout` with origin ``optimised``, the run's settings (seed, time limit, max moves,
    the layout it started from, the job's id, iterations) and the name ``optimised-<job id>`` (a suffix when
    taken), its author the person who queued the job. ``should_stop()`` (a worker shutting down) stops the search
    and puts the job back in the queue; a cancel request stops it and keeps nothing. Failures end the job
    ``failed`` with a sentence: the optimiser's own (an infeasible scenario names the constraint), else "an
    internal error" with the traceback in the worker's log."""
    from layouts.optimize.stacking import optimize_scenario

    clock = clock or SystemClock()
    me = worker or worker_id()
    if not _claim(database, job_id, me, clock):
        return "not_claimed"
    watch = _Watch(database, job_id, me, should_stop or (lambda: False))
    try:
        with database.session() as session:
            job = session.get(PlanningJob, job_id)
            if job is None:
                return "lost"
            params, scenario_id, author = dict(job.params), job.scenario_id, job.created_by
            scenario = load_scenario(session, scenario_id)
        name = f"optimised-{job_id}"  # save_layout adds a suffix when it is taken
        searched = next(
            f"{name}~{k}" for k in range(len(scenario.layouts) + 1) if f"{name}~{k}" not in scenario.layouts
        )
        result = optimize_scenario(
            scenario,
            start=params.get("from"),
            time_limit=float(params["time_limit"]),
            seed=params.get("seed"),
            max_moves=params.get("max_moves"),
            name=searched,
            workers=1,
            callback=watch,
        )
    except (LayoutsError, ValueError) as exc:
        return _fail(database, job_id, me, clock, str(exc))
    except BookingError as exc:
        return _fail(database, job_id, me, clock, exc.detail)
    except Exception:
        log.exception("optimiser job %s failed on %s", job_id, me)
        return _fail(database, job_id, me, clock, f"the optimiser stopped on an internal error (see the log of {me})")
    if watch.stopped == "lost":
        return "lost"
    if watch.stopped == "shutdown":
        requeue = {"state": JobState.QUEUED.value, "worker": None, "started_at": None, "iterations": 0,
                   "best_travel_hours": None, "elapsed_s": 0.0}  # fmt: skip
        return "requeued" if _end(database, job_id, me, requeue) else "lost"
    solution = result.solution
    with database.transaction(write=True) as session:
        job = session.scalars(select(PlanningJob).where(PlanningJob.id == job_id).with_for_update()).one_or_none()
        if job is None or job.state != JobState.RUNNING.value or job.worker != me:
            return "lost"
        if job.cancel_requested or watch.stopped == "cancel":
            job.state, job.finished_at = JobState.CANCELLED.value, clock.now()
            return "cancelled"
        try:
            with session.begin_nested():
                saved = save_layout(
                    session,
                    scenario_id,
                    name,
                    result.layout.seats,
                    origin=LayoutOrigin.OPTIMISED,
                    actor=author or f"job:{job_id}",
                    now=clock.now(),
                    settings={
                        "job": job_id, "from": params.get("from"), "seed": solution.seed,
                        "time_limit": params["time_limit"], "max_moves": params.get("max_moves"),
                        "iterations": solution.iterations,
                    },
                )  # fmt: skip
        except BookingError as exc:
            job.state, job.error, job.finished_at = JobState.FAILED.value, exc.detail[:ERROR_LENGTH], clock.now()
            return "failed"
        job.state = JobState.DONE.value
        job.layout_id = saved.id
        job.iterations = solution.iterations
        job.best_travel_hours = result.score.travel_hours_per_week
        job.elapsed_s = solution.elapsed
        job.finished_at = clock.now()
    return "done"
