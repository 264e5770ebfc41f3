"""The optimiser from the pages: a planner queues a run (`booking.services.jobs`), a worker outside the request
runs it, and the scenario's page shows its progress, polling a small fragment once a second with htmx (without a
script, the refresh link reloads the page); a run can be cancelled. When a polled run finishes, the whole page
reloads once so that its layout appears among the others."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from booking.errors import InvalidInput, NotFound
from booking.models.planning import PlanningJob
from booking.pages.admin_forms import problems_of
from booking.pages.core import CsrfChecked, Page, PageRoute, attempt, user_of
from booking.pages.planner_access import PlannerPage, PlansPage
from booking.pages.planner_jobs import job_view
from booking.services import jobs as job_service
from booking.web.bounds import MAX_ID, Id, NoNul
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _job_of(session: SessionDep, scenario_id: int, job_id: int) -> PlanningJob:
    job = job_service.job_or_404(session, job_id)
    if job.scenario_id != scenario_id:
        raise NotFound("no job %(job)s of scenario %(scenario)s", words={"job": job_id, "scenario": scenario_id})
    return job


def _is_htmx(page: Page) -> bool:
    return page.request.headers.get("HX-Request") == "true"


@router.post("/planners/{scenario_id}/optimise", dependencies=[CsrfChecked])
def optimise(
    scenario_id: Id,
    page: PlannerPage,
    session: SessionDep,
    start: Annotated[str, NoNul(), Form(alias="from", max_length=100)],
    time_limit: Annotated[float, Form(ge=1, le=600)] = 10.0,
    seed: Annotated[int | None, Form(ge=0, le=MAX_ID)] = None,
) -> Response:
    """Queue a run from the layout ``from``; the page shows it at once, queued."""
    params = {"from": start, "time_limit": time_limit, "seed": seed}
    try:
        with attempt(session):
            job = job_service.queue_optimise(session, scenario_id, params, actor=user_of(page), now=page.now)
    except InvalidInput as exc:
        detail = " ".join(problems_of(exc))
        return page.render("error.html", status=422, message=page.t("The request could not be read"), detail=detail)
    return page.redirect(f"/planners/{scenario_id}?queued={job.id}#job-{job.id}")


@router.get("/planners/{scenario_id}/jobs/{job_id}")
def job_fragment(scenario_id: Id, job_id: Id, page: PlansPage, session: SessionDep) -> Response:
    """One run's state, as the scenario's page shows it (htmx swaps it in place)."""
    view = job_view(page, session, _job_of(session, scenario_id, job_id))
    response = page.render("planners/job_fragment.html", job=view)
    if view.finished and _is_htmx(page):
        response.headers["HX-Refresh"] = "true"  # the layout it added belongs in the page's lists
    return response


@router.post("/planners/{scenario_id}/jobs/{job_id}/cancel", dependencies=[CsrfChecked])
def cancel(scenario_id: Id, job_id: Id, page: PlannerPage, session: SessionDep) -> Response:
    _job_of(session, scenario_id, job_id)
    job = job_service.cancel_job(session, job_id, actor=user_of(page), now=page.now)
    if _is_htmx(page):
        return page.render("planners/job_fragment.html", job=job_view(page, session, job))
    return page.redirect(f"/planners/{scenario_id}#job-{job_id}")
