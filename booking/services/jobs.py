"""Optimiser runs as jobs: queued by a request, run by a worker process outside it, their state in the database so
that any app server shows them (``planning_jobs``).

A job goes queued -> running -> done (the layout it added) | failed (a sentence saying why) | cancelled. A worker
takes one by an atomic claim (``UPDATE ... WHERE state = 'queued'``: of several workers polling, or of two
deliveries of one queue message, exactly one gets it), writes its progress at most once a second in a short
transaction of its own, and stops within about a second of a cancel request (``cancel_requested``).

A worker that dies leaves its job ``running``: `recover_jobs` (run by every worker at start-up and then now and
again) puts such a job back in the queue once, noting why in ``error``, and marks it failed the second time. A job
is taken for abandoned when its worker (``host:pid``) is on this host and no longer alive, or when it has run for
its time limit plus `STALE_MARGIN_S` (a worker on another host that died, or hangs).

Functions over a Session flush and never commit (the request owns the transaction), except `run_job`, which
is the worker's own unit of work and commits its steps (`run_jobs`).
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from booking.database import Database
from booking.errors import BookingError, InvalidInput, NotFound
from booking.models import User
from booking.models.planning import FINISHED_JOB_STATES, JobState, PlanningJob, ScenarioLayout
from booking.services.audit import record
from booking.services.scenarios import actor_id, scenario_or_404
from floorplan.errors import Problem

#: Bounds of an optimiser run's parameters (the API's and the pages' alike).
MIN_TIME_LIMIT_S = 1.0
MAX_TIME_LIMIT_S = 600.0
DEFAULT_TIME_LIMIT_S = 10.0
MAX_SEED = 2**31 - 1
#: The most people a run may be told it may move (well inside any column; a scenario has far fewer people).
MAX_MOVES_BOUND = 10**9
#: What a running job may take beyond its time limit before it is taken for abandoned: loading the scenario,
#: a start from the MIP solver when the greedy one fails (up to 20 s, twice), and saving the layout.
STALE_MARGIN_S = 300.0
#: Longest text kept in ``planning_jobs.error`` (its column).
ERROR_LENGTH = 2000


class JobFinished(BookingError):
    """A job that is done or failed cannot be cancelled (409); ``job_state`` says which."""

    status = 409
    title = "Job finished"
    slug = "job-finished"


def worker_id() -> str:
    """This process as a job's ``worker``: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- parameters ------------------------------------------------------------------------------------------------------


def optimise_params(session: Session, scenario_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    """The run's parameters checked and completed: ``from`` (default the scenario's first layout) must be one of its
    layouts, ``time_limit`` 1-600 s (default 10), ``seed`` 0-2^31-1 (default: drawn now, so the run can be
    repeated), ``max_moves`` at least 0 or none. `InvalidInput` (422) naming every field at fault."""
    problems: list[Problem] = []
    unknown = sorted(set(params) - {"from", "time_limit", "seed", "max_moves"})
    problems += [Problem("is not a parameter of the optimiser", "body", str(k)[:40]) for k in unknown]
    names = list(
        session.scalars(
            select(ScenarioLayout.name).where(ScenarioLayout.scenario_id == scenario_id).order_by(ScenarioLayout.id)
        )
    )
    start = params.get("from")
    if start is None:
        if not names:
            problems.append(Problem("the scenario has no layout to start from", "body", "from"))
        start = names[0] if names else None
    elif not isinstance(start, str) or start not in names:
        shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
        problems.append(Problem(f"is not a layout of the scenario (it has {shown or 'none'})", "body", "from"))
    limit = params.get("time_limit", DEFAULT_TIME_LIMIT_S)
    if limit is None:
        limit = DEFAULT_TIME_LIMIT_S
    if (
        isinstance(limit, bool)
        or not isinstance(limit, int | float)
        or not MIN_TIME_LIMIT_S <= limit <= MAX_TIME_LIMIT_S
    ):
        problems.append(
            Problem(f"must be from {MIN_TIME_LIMIT_S:g} to {MAX_TIME_LIMIT_S:g} seconds", "body", "time_limit")
        )
    seed = params.get("seed")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED + 1)
    elif not _number_within(seed, 0, MAX_SEED):
        problems.append(Problem(f"must be a whole number from 0 to {MAX_SEED}", "body", "seed"))
    moves = params.get("max_moves")
    if moves is not None and (
        isinstance(moves, bool) or not isinstance(moves, int) or not 0 <= moves <= MAX_MOVES_BOUND
    ):
        problems.append(Problem(f"must be a whole number from 0 to {MAX_MOVES_BOUND}, or none", "body", "max_moves"))
    if problems:
        raise InvalidInput(problems)
    return {"from": start, "time_limit": float(limit), "seed": seed, "max_moves": moves}


def _number_within(value: Any, low: float, high: float, *, whole: bool = True) -> bool:
    kinds = int if whole else int | float
    return isinstance(value, kinds) and not isinstance(value, bool) and low <= value <= high


# -- queueing, reading, cancelling ---------------------------------------------------------------------------------


def queue_optimise(
    session: Session, scenario_id: int, params: Mapping[str, Any], *, actor: User | str, now: datetime
) -> PlanningJob:
    """Queue an optimiser run of the scenario (`optimise_params` says what it takes). On PostgreSQL the queue's
    message is written in the same transaction as the job (`booking.workers.queue`), so a job is never queued
    without one nor the other way round; on SQLite the serving processes' pool finds it by polling."""
    scenario_or_404(session, scenario_id)
    checked = optimise_params(session, scenario_id, params)
    who = actor_id(actor)
    job = PlanningJob(
        kind="optimise",
        scenario_id=scenario_id,
        state=JobState.QUEUED.value,
        params=checked,
        iterations=0,
        elapsed_s=0.0,
        cancel_requested=False,
        created_by=who,
        created_at=now,
    )
    session.add(job)
    session.flush()
    record(
        session, actor=who, action="queue_optimise", entity="scenario", entity_id=scenario_id, now=now,
        after={"job": job.id, **checked},
    )  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        from booking.workers.queue import defer_in_transaction

        defer_in_transaction(session, job.id)
    return job


def job_or_404(session: Session, job_id: int) -> PlanningJob:
    """The job, or `NotFound` (404)."""
    job = session.get(PlanningJob, job_id)
    if job is None:
        raise NotFound("no job %(id)s", words={"id": job_id})
    return job


def jobs_of_scenario(session: Session, scenario_id: int, *, limit: int = 100) -> list[PlanningJob]:
    """The scenario's jobs, newest first (`NotFound` for an unknown scenario)."""
    scenario_or_404(session, scenario_id)
    return list(
        session.scalars(
            select(PlanningJob)
            .where(PlanningJob.scenario_id == scenario_id)
            .order_by(PlanningJob.id.desc())
            .limit(limit)
        )
    )


def layout_name(session: Session, job: PlanningJob) -> str | None:
    """The name of the layout a job added, if any (and not removed since)."""
    if job.layout_id is None:
        return None
    found = session.get(ScenarioLayout, job.layout_id)
    return found.name if found is not None else None


def cancel_job(session: Session, job_id: int, *, actor: User | str, now: datetime) -> PlanningJob:
    """Cancel a job: a queued one at once (no worker will take it), a running one by asking its worker, which stops
    within about a second and keeps no layout. Cancelling a cancelled job changes nothing; a done or failed one is
    `JobFinished` (409)."""
    job = job_or_404(session, job_id)
    if job.state == JobState.CANCELLED.value:
        return job
    if job.state in FINISHED_JOB_STATES:
        raise JobFinished(f"job {job_id} is {job.state} already; there is nothing to cancel", job_state=job.state)
    before = {"state": job.state}
    job.cancel_requested = True
    if job.state == JobState.QUEUED.value:
        job.state = JobState.CANCELLED.value
        job.finished_at = now
    session.flush()
    record(
        session, actor=actor_id(actor), action="cancel_job", entity="planning_job", entity_id=job_id, now=now,
        before=before, after={"state": job.state, "cancel_requested": True},
    )  # fmt: skip
    return job


def queued_job_ids(session: Session, *, limit: int) -> list[int]:
    """The oldest queued jobs' ids, for a pool with ``limit`` free workers."""
    return list(
        session.scalars(
            select(PlanningJob.id)
            .where(PlanningJob.state == JobState.QUEUED.value, PlanningJob.cancel_requested.is_(False))
            .order_by(PlanningJob.id)
            .limit(limit)
        )
    )


# -- workers that died ---------------------------------------------------------------------------------------------


def abandoned_because(job: PlanningJob, *, now: datetime, host: str, alive: Callable[[int], bool]) -> str | None:
    """Why a running job is taken for abandoned, or None while its worker may still be at it."""
    where, _, pid = (job.worker or "").rpartition(":")
    if where == host and pid.isdigit() and not alive(int(pid)):
        return f"its worker {job.worker} stopped"
    limit = float(job.params.get("time_limit") or MAX_TIME_LIMIT_S)
    if job.started_at is not None and now - job.started_at > timedelta(seconds=limit + STALE_MARGIN_S):
        return f"its worker {job.worker} gave no answer for {limit + STALE_MARGIN_S:.0f} s past its start"
    return None


def recover_jobs(
    session: Session,
    *,
    now: datetime,
    host: str | None = None,
    alive: Callable[[int], bool] = pid_alive,
) -> dict[int, str]:
    """Put back in the queue the running jobs whose worker died (see the module's text), once: a job queued again
    carries the reason in ``error``, and is marked failed if it is abandoned a second time. Each change is
    conditional on the job still being as it was read, so that two workers recovering at once agree. Returns each
    changed job's new state."""
    host = host or socket.gethostname()
    changed: dict[int, str] = {}
    running = session.scalars(select(PlanningJob).where(PlanningJob.state == JobState.RUNNING.value)).all()
    for job in running:
        reason = abandoned_because(job, now=now, host=host, alive=alive)
        if reason is None:
            continue
        if job.error is None and not job.cancel_requested:
            values: dict[str, Any] = {
                "state": JobState.QUEUED.value, "worker": None, "started_at": None, "iterations": 0,
                "best_travel_hours": None, "elapsed_s": 0.0, "error": f"queued again: {reason}"[:ERROR_LENGTH],
            }  # fmt: skip
        elif job.cancel_requested:
            values = {"state": JobState.CANCELLED.value, "finished_at": now}
        else:
            values = {
                "state": JobState.FAILED.value, "finished_at": now,
                "error": f"{reason} (the second time it was taken up); not tried again"[:ERROR_LENGTH],
            }  # fmt: skip
        done = session.execute(
            update(PlanningJob)
            .where(
                PlanningJob.id == job.id, PlanningJob.state == JobState.RUNNING.value, PlanningJob.worker == job.worker
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 0) == 1:
            changed[job.id] = values["state"]
            record(
                session, actor="worker", action="recover_job", entity="planning_job", entity_id=job.id, now=now,
                before={"state": JobState.RUNNING.value, "worker": job.worker}, after=values,
            )  # fmt: skip
    session.expire_all()
    return changed


def run_job(database: Database, job_id: int, **options: Any) -> str:
    """Run a queued job in this process: `booking.services.job_runs.run_job` (kept apart: it imports the
    optimiser, which the request side never needs)."""
    from booking.services.job_runs import run_job as run

    return run(database, job_id, **options)
