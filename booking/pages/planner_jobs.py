"""Optimiser runs as the pages show them: each job's state in words (queued, running with its progress, done with
the layout it added, failed with why, cancelled), and what the optimiser's form offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models.planning import FINISHED_JOB_STATES, JobState, PlanningJob, ScenarioLayout
from booking.pages.core import Page
from booking.pages.planner_access import shown_time
from layouts.scenario import Scenario

#: The optimiser's time limit, in seconds: what the form offers (the API bounds what it takes).
TIME_LIMITS = (5, 10, 30, 60)
DEFAULT_TIME_LIMIT = 10
#: Runs listed on a scenario's page, newest first.
JOBS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class JobView:
    id: int
    scenario_id: int
    state: str
    text: str
    finished: bool
    may_cancel: bool
    layout: str | None
    progress: float | None  # share of the time limit used, while running
    created: str


def job_view(page: Page, session: Session, job: PlanningJob) -> JobView:
    t = page.t
    limit = float(job.params.get("time_limit") or 0)
    layout = None
    if job.layout_id is not None:
        found = session.get(ScenarioLayout, job.layout_id)
        layout = found.name if found is not None else None
    progress = None
    if job.state == JobState.RUNNING.value:
        if job.iterations or job.best_travel_hours is not None:
            text = t(
                "Running: %(iterations)s iterations, best %(hours)s person-hours a week, %(elapsed)s s of %(limit)s s.",
                iterations=t.number(job.iterations),
                hours=t.number(round(job.best_travel_hours or 0.0, 1)),
                elapsed=t.number(round(job.elapsed_s, 1)),
                limit=t.number(limit),
            )
        else:
            text = t("Running: starting.")
        progress = min(1.0, job.elapsed_s / limit) if limit > 0 else None
    elif job.state == JobState.QUEUED.value:
        text = t("Cancelling…") if job.cancel_requested else t("Waiting for a worker.")
    elif job.state == JobState.DONE.value:
        text = t("Done: the layout %(name)s is added.", name=layout) if layout else t("Done, without a layout.")
    elif job.state == JobState.FAILED.value:
        text = t("Failed: %(error)s", error=job.error or "")
    else:
        text = t("Cancelled.")
    if job.state == JobState.RUNNING.value and job.cancel_requested:
        text = t("Cancelling…")
    finished = job.state in FINISHED_JOB_STATES
    return JobView(
        id=job.id,
        scenario_id=job.scenario_id,
        state=job.state,
        text=text,
        finished=finished,
        may_cancel=not finished and not job.cancel_requested and page.may_plan,
        layout=layout,
        progress=progress,
        created=shown_time(page, job.created_at),
    )


def job_views(page: Page, session: Session, scenario_id: int) -> list[JobView]:
    jobs = session.scalars(
        select(PlanningJob)
        .where(PlanningJob.scenario_id == scenario_id)
        .order_by(PlanningJob.id.desc())
        .limit(JOBS_SHOWN)
    )
    return [job_view(page, session, job) for job in jobs]


def optimiser_form(scenario: Scenario) -> dict[str, Any]:
    """The layouts a run may start from (the baseline first) and the time limits offered."""
    return {"layouts": list(scenario.layouts), "time_limits": TIME_LIMITS, "default": DEFAULT_TIME_LIMIT}
