"""Planners' and the committee's pages: the scenarios in the database, importing one (an uploaded YAML with the
files it names, or the demo), a scenario's layouts with their comparison, its export, and the report itself.

Planners, the committee and admins open them (`booking.pages.planner_access`); importing is for planners and
admins. The optimiser's jobs are in `routes_planner_jobs`, the stack-plan editor in `routes_planner_editor`."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import HTMLResponse, Response

from booking.errors import InvalidInput
from booking.pages.admin_forms import archive_refusal, problems_of
from booking.pages.core import CsrfChecked, Page, PageRoute, attempt, user_of
from booking.pages.planner_access import PlannerPage, PlansPage, layout_counts, shown_time
from booking.pages.planner_jobs import job_views, optimiser_form
from booking.services import scenarios as service
from booking.web.bounds import Id
from booking.web.deps import SessionDep
from floorplan.archives import vet_zip
from floorplan.errors import ArchiveTooLarge
from layouts.compare import compare_layouts
from layouts.demo import demo_scenario_text
from layouts.report import comparison_to_html
from layouts.report.catalogue import Catalogue
from layouts.report.sections import ReportSections

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _index(page: Page, session: SessionDep, *, status: int = 200, problems: list[str] | None = None) -> Response:
    counts = layout_counts(session)
    rows = [
        {
            "id": row.id,
            "name": row.name,
            "layouts": counts.get(row.id, 0),
            "updated": shown_time(page, row.updated_at),
            "by": row.created_by or "",
        }
        for row in reversed(service.scenarios(session))
    ]
    return page.render("planners/index.html", status=status, scenarios=rows, problems=problems or [])


@router.get("/planners")
def planners(page: PlansPage, session: SessionDep) -> Response:
    return _index(page, session)


@router.post("/planners/demo", dependencies=[CsrfChecked])
def import_demo(page: PlannerPage, session: SessionDep) -> Response:
    """The demo scenario, imported with one press (each press adds a copy: scenarios are never overwritten)."""
    row = service.import_scenario(session, demo_scenario_text().encode("utf-8"), {}, actor=user_of(page), now=page.now)
    return page.redirect(f"/planners/{row.id}?imported=1")


@router.post("/planners/import", dependencies=[CsrfChecked])
def import_upload(
    page: PlannerPage,
    session: SessionDep,
    scenario: Annotated[UploadFile, File()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """A scenario YAML and the files it names (its building, its relations_file); only those are read.

    A zip among the files (an IMDF archive, a COBie .xlsx) is vetted against FLOORWISE_MAX_UNPACKED_BYTES first."""
    settings = page.settings
    if not scenario.filename:
        return _index(page, session, status=422, problems=[page.t("Choose a scenario file.")])
    uploads: dict[str, bytes] = {}
    for upload in [scenario, *(files or [])]:
        if not upload.filename:
            continue
        content = upload.file.read(settings.max_upload_bytes + 1)
        if len(content) > settings.max_upload_bytes:
            return _index(page, session, status=413, problems=[page.t("The file is too large.")])
        uploads[PurePath(upload.filename).name] = content
    yaml_bytes = uploads.pop(PurePath(scenario.filename).name, b"")
    if not yaml_bytes:
        return _index(page, session, status=422, problems=[page.t("Choose a scenario file.")])
    name = ""
    try:
        for name, content in uploads.items():
            if zipfile.is_zipfile(io.BytesIO(content)):
                vet_zip(content, max_unpacked_bytes=settings.max_unpacked_bytes, name=name)
    except ArchiveTooLarge as exc:
        return _index(
            page,
            session,
            status=413,
            problems=archive_refusal(exc, page.t("The archive unpacks to more than this site takes")),
        )
    except zipfile.BadZipFile as exc:
        return _index(page, session, status=422, problems=[f"{name}: {exc}"])
    try:
        with attempt(session):
            row = service.import_scenario(
                session,
                yaml_bytes,
                uploads,
                actor=user_of(page),
                now=page.now,
                max_unpacked_bytes=settings.max_unpacked_bytes,
            )
    except InvalidInput as exc:
        return _index(page, session, status=422, problems=problems_of(exc))
    return page.redirect(f"/planners/{row.id}?imported=1")


@router.get("/planners/{scenario_id}")
def scenario_page(
    scenario_id: Id, page: PlansPage, session: SessionDep, imported: str | None = None, queued: str | None = None
) -> Response:
    """Its layouts (name, origin, author, time), the figures side by side, the optimiser and its runs."""
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    layouts = service.layouts_of(session, scenario_id)
    comparison = compare_layouts(scenario) if scenario.layouts else None
    jobs = job_views(page, session, scenario_id)
    # "queued" only while that run has not ended (the page reloads at its end with the same address)
    waiting = any(str(job.id) == queued and not job.finished for job in jobs)
    sections = ReportSections(comparison, Catalogue(page.lang)) if comparison else None
    return page.render(
        "planners/scenario.html",
        row=row,
        scenario=scenario,
        layouts=[
            {
                "name": lay.name,
                "origin": lay.origin,
                "author": lay.author or "",
                "time": shown_time(page, lay.created_at),
            }
            for lay in layouts
        ],
        comparison=comparison,
        columns=sections.layout_sections() if sections else [],
        figure_rows=sections.figure_rows() if sections else [],
        jobs=jobs,
        optimiser=optimiser_form(scenario),
        notice=page.t("%(name)s is imported.", name=row.name)
        if imported
        else page.t("The optimiser is queued.")
        if waiting
        else None,
        tab="overview",
    )


@router.get("/planners/{scenario_id}/report")
def scenario_report(scenario_id: Id, page: PlansPage, session: SessionDep) -> Response:
    """The comparison report itself, as `floorwise compare --html` writes it, in the page's language."""
    scenario = service.load_scenario(session, scenario_id)
    return HTMLResponse(comparison_to_html(compare_layouts(scenario), lang=page.lang, generated=page.now.date()))


@router.get("/planners/{scenario_id}/export")
def export(scenario_id: Id, page: PlansPage, session: SessionDep) -> Response:
    """The scenario as YAML with all its layouts, to download."""
    text = service.export_scenario(session, scenario_id)
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="scenario-{scenario_id}.yaml"'},
    )
