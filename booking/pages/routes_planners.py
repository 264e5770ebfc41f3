"""Planners: open a scenario (the demo or an uploaded YAML), compare its layouts (the `floorwise compare` report,
`layouts.report`), and run the optimiser with a time limit to add its layout beside the others."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse, Response

from booking.errors import NotFound
from booking.pages import planning
from booking.pages.admin_forms import archive_refusal
from booking.pages.core import CsrfChecked, Page, PageRoute, UserPage
from floorplan.archives import vet_zip
from floorplan.errors import ArchiveTooLarge, FloorplanError
from layouts.compare import Comparison
from layouts.errors import LayoutsError
from layouts.report import comparison_to_html
from layouts.report.catalogue import Catalogue
from layouts.report.sections import ReportSections
from layouts.scenario import Scenario

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: The optimiser's time limit, in seconds: what the form offers, and the most a request may ask for.
TIME_LIMITS = (5, 10, 30, 60)
MAX_TIME_LIMIT = 120


def _scenario_problems(error: Exception) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [str(p) for p in problems]
    return [str(error)]


@router.get("/planners")
def planners(page: UserPage) -> Response:
    return page.render("planners/index.html", problems=[])


@router.post("/planners/open", dependencies=[CsrfChecked])
def open_scenario(
    page: UserPage,
    scenario: Annotated[UploadFile, File()],
    building: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Keep an uploaded scenario (and the building file it names) and show its comparison.

    A zip among the files (an IMDF archive, a COBie .xlsx) is vetted against FLOORWISE_MAX_UNPACKED_BYTES before
    anything is kept or read."""
    files: dict[str, bytes] = {}
    name = Path(scenario.filename or "scenario.yaml").name
    settings = page.settings
    for upload in (scenario, building):
        if upload is None or not upload.filename:
            continue
        content = upload.file.read(settings.max_upload_bytes + 1)
        if len(content) > settings.max_upload_bytes:
            return page.render("planners/index.html", status=413, problems=[page.t("admin.too_large")])
        files[Path(upload.filename).name] = content
    try:
        for file_name, content in files.items():
            if zipfile.is_zipfile(io.BytesIO(content)):
                vet_zip(content, max_unpacked_bytes=settings.max_unpacked_bytes, name=file_name)
    except ArchiveTooLarge as exc:
        problems = archive_refusal(exc, page.t("error.archive_too_large"))
        return page.render("planners/index.html", status=413, problems=problems)
    except zipfile.BadZipFile as exc:
        return page.render("planners/index.html", status=422, problems=[f"{file_name}: {exc}"])
    if not files.get(name):
        return page.render("planners/index.html", status=422, problems=[page.t("planners.no_file")])
    try:
        scenario_id = planning.new_workspace(page.settings.data_dir, files, name)
    except (LayoutsError, FloorplanError) as exc:
        return page.render("planners/index.html", status=422, problems=_scenario_problems(exc))
    return page.redirect(f"/planners/{scenario_id}")


def _compared(page: Page, scenario_id: str) -> tuple[Scenario, Comparison]:
    if not planning.exists(page.settings.data_dir, scenario_id):
        raise NotFound(f"no scenario {scenario_id!r}")
    cache: planning.ScenarioCache = page.request.app.state.scenarios
    return cache.get(page.settings.data_dir, scenario_id)


@router.get("/planners/{scenario_id}")
def scenario_page(scenario_id: str, page: UserPage, ran: str | None = None) -> Response:
    """The layouts side by side (the report's figures), the optimiser's form, and the full report below."""
    scenario, comparison = _compared(page, scenario_id)
    sections = ReportSections(comparison, Catalogue(page.lang))
    return page.render(
        "planners/scenario.html",
        scenario_id=scenario_id,
        scenario=scenario,
        comparison=comparison,
        layouts=sections.layout_sections(),
        figure_rows=sections.figure_rows(),
        has_optimiser=planning.optimiser() is not None,
        time_limits=TIME_LIMITS,
        ran=ran if ran in scenario.layouts else None,
        problems=[],
    )


@router.get("/planners/{scenario_id}/report")
def scenario_report(scenario_id: str, page: UserPage) -> Response:
    """The comparison report itself, as `floorwise compare --html` writes it, in the page's language."""
    _scenario, comparison = _compared(page, scenario_id)
    return HTMLResponse(comparison_to_html(comparison, lang=page.lang, generated=page.now.date()))


@router.post("/planners/{scenario_id}/optimise", dependencies=[CsrfChecked])
def optimise(scenario_id: str, page: UserPage, time_limit: Annotated[float, Form()] = 10.0) -> Response:
    """Run the optimiser from the baseline for at most ``time_limit`` seconds and keep its layout."""
    scenario, comparison = _compared(page, scenario_id)
    run = planning.optimiser()
    if run is None:
        return page.render(
            "error.html", status=503, status_code=503, message=page.t("planners.no_optimiser"), detail=""
        )
    limit = min(max(time_limit, 1.0), MAX_TIME_LIMIT)
    name = next(n for n in ("optimised", *(f"optimised-{i}" for i in range(2, 1000))) if n not in scenario.layouts)
    try:
        result = run(scenario, time_limit=limit, seed=0, name=name, workers=1)
    except (LayoutsError, FloorplanError, ValueError) as exc:
        sections = ReportSections(comparison, Catalogue(page.lang))
        return page.render(
            "planners/scenario.html",
            status=422,
            scenario_id=scenario_id,
            scenario=scenario,
            comparison=comparison,
            layouts=sections.layout_sections(),
            figure_rows=sections.figure_rows(),
            has_optimiser=True,
            time_limits=TIME_LIMITS,
            ran=None,
            problems=_scenario_problems(exc),
        )
    planning.keep_layout(page.settings.data_dir, scenario_id, result.layout)
    return page.redirect(f"/planners/{scenario_id}?ran={result.layout.name}")
