"""Optimiser jobs: queue a run of a scenario (planners, admins), follow it (planners, the committee, admins),
cancel it (planners, admins). The run happens outside the request, in a worker (`booking.workers`)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from booking.api.problems import problem_responses
from booking.api.schemas_jobs import JobQueued, JobRead, OptimiseRequest
from booking.models.planning import PlanningJob
from booking.services import jobs as svc
from booking.services.permissions import require_plan, require_read_plans
from booking.web.bounds import Id
from booking.web.deps import CurrentUser, NowDep, SessionDep
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["jobs"], route_class=TransactionRoute)


def job_read(session: Session, job: PlanningJob) -> JobRead:
    return JobRead(
        id=job.id,
        scenario=job.scenario_id,
        state=job.state,  # type: ignore[arg-type]
        params=job.params,
        iterations=job.iterations,
        best_travel_hours=job.best_travel_hours,
        elapsed=job.elapsed_s,
        layout=svc.layout_name(session, job),
        error=job.error,
        cancel_requested=job.cancel_requested,
        created_by=job.created_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


@router.post(
    "/scenarios/{scenario_id}/optimise",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobQueued,
    responses=problem_responses(401, 403, 404, 422),
)
def optimise(
    scenario_id: Id, body: OptimiseRequest, user: CurrentUser, session: SessionDep, now: NowDep, response: Response
) -> JobQueued:
    """Queue an optimiser run of the scenario (planners, admins): 202 with the job's id, followed at
    ``GET /api/jobs/{id}`` (also in ``Location``). ``from`` must name one of the scenario's layouts (422)."""
    require_plan(user)
    job = svc.queue_optimise(session, scenario_id, body.params(), actor=user, now=now)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobQueued(job=job.id)


@router.get("/jobs/{job_id}", response_model=JobRead, responses=problem_responses(401, 403, 404))
def get_job(job_id: Id, user: CurrentUser, session: SessionDep) -> JobRead:
    """A job's state and progress (planners, the committee, admins)."""
    require_read_plans(user)
    return job_read(session, svc.job_or_404(session, job_id))


@router.delete("/jobs/{job_id}", response_model=JobRead, responses=problem_responses(401, 403, 404, 409))
def cancel(job_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> JobRead:
    """Cancel a job (planners, admins): a queued one at once, a running one within about a second (it keeps no
    layout; ``cancel_requested`` until its worker stops). 409 for a job done or failed already."""
    require_plan(user)
    return job_read(session, svc.cancel_job(session, job_id, actor=user, now=now))


@router.get("/scenarios/{scenario_id}/jobs", response_model=list[JobRead], responses=problem_responses(401, 403, 404))
def scenario_jobs(scenario_id: Id, user: CurrentUser, session: SessionDep) -> list[JobRead]:
    """The scenario's last 100 jobs, newest first (planners, the committee, admins)."""
    require_read_plans(user)
    return [job_read(session, job) for job in svc.jobs_of_scenario(session, scenario_id)]
