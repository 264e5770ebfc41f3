"""Scenarios: import and export (YAML), read, compare, score a layout or a move, save a layout, edit units,
relations and constraints. Planners and admins do everything; the committee reads, compares, scores and saves
layouts (as proposals); other staff get 403 on every endpoint."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from sqlalchemy.orm import Session

from booking.api.problems import problem_responses
from booking.api.schemas_scenarios import (
    CompareRead,
    LayoutCreate,
    LayoutName,
    LayoutRead,
    LayoutSummaryRead,
    ScenarioRead,
    ScenarioSummaryRead,
    ScenarioUpdate,
    ScoreRead,
    ScoreRequest,
)
from booking.errors import InvalidInput
from booking.models.planning import LayoutOrigin, ScenarioLayout, ScenarioRow
from booking.services import scenarios as svc
from booking.services.permissions import may_plan, require_plan, require_read_plans
from booking.web.bounds import Id, Name
from booking.web.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from booking.web.transactions import TransactionRoute
from floorplan.errors import Problem

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"], route_class=TransactionRoute)

R_READ = problem_responses(401, 403, 404)
R_ALL = problem_responses(401, 403, 404, 422)
EXPORT_EXAMPLE = (
    "# floorwise scenario 3, exported with its 2 layouts\nname: ward office\nbuilding: demo\nunits:\n"
    "- {id: kumin.koseki, name: 戸籍住民課, headcount: 60, fixed_share: 1.0}\nlayouts:\n  now:\n"
    "    kumin.koseki: {2F: 60}\n"
)
IMPORT_EXAMPLE = {"scenario": "(ward.scenario.yaml)", "files": ["(civic.building.geojson)"], "name": "ward office"}


def _summary(lay: ScenarioLayout) -> LayoutSummaryRead:
    return LayoutSummaryRead(
        id=lay.id,
        name=lay.name,
        origin=lay.origin,  # type: ignore[arg-type]
        author=lay.author,
        created_at=lay.created_at,
        settings=lay.settings,
    )


def _layout(lay: ScenarioLayout) -> LayoutRead:
    return LayoutRead(**_summary(lay).model_dump(), layout=lay.layout)


def _scenario_summary(session: Session, row: ScenarioRow) -> ScenarioSummaryRead:
    return ScenarioSummaryRead(
        id=row.id,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        layouts=[_summary(lay) for lay in svc.layouts_of(session, row.id)],
    )


def _scenario(session: Session, row: ScenarioRow) -> ScenarioRead:
    return ScenarioRead(
        id=row.id,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        document=row.document,
        files=svc.file_names(session, row.id),
        layouts=[_layout(lay) for lay in svc.layouts_of(session, row.id)],
    )


@router.get("", response_model=list[ScenarioSummaryRead], responses=problem_responses(401, 403))
def list_scenarios(user: CurrentUser, session: SessionDep) -> list[ScenarioSummaryRead]:
    """Every scenario with its layouts (planners, the committee, admins)."""
    require_read_plans(user)
    return [_scenario_summary(session, row) for row in svc.scenarios(session)]


@router.post(
    "",
    status_code=201,
    response_model=ScenarioSummaryRead,
    responses=problem_responses(401, 403, 422),
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"example": IMPORT_EXAMPLE}}}},
)
def import_scenario(
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    scenario: Annotated[UploadFile, File(description="The scenario YAML (DESIGN.md's contract).")],
    files: Annotated[
        list[UploadFile] | None, File(description="The files it names (building, relations_file), by file name.")
    ] = None,
    name: Annotated[Name | None, Form(description="The scenario's name (default: its YAML's name).")] = None,
) -> ScenarioSummaryRead:
    """Import a scenario (planners, admins): multipart ``scenario`` plus any files it names. A file it names is
    taken only from ``files`` (an absolute path, ``..`` or a name not uploaded is refused with one message); its
    layouts are added with origin ``imported``. 422 lists every problem; nothing is kept."""
    require_plan(user)
    yaml_bytes = scenario.file.read()
    if not yaml_bytes.strip():
        raise InvalidInput([Problem("is empty: send the scenario's YAML", "scenario")])
    uploaded = {(f.filename or ""): f.file.read() for f in files or [] if f.filename}
    row = svc.import_scenario(
        session,
        yaml_bytes,
        uploaded,
        actor=user,
        now=now,
        name=name or None,
        max_unpacked_bytes=settings.max_unpacked_bytes,
    )
    return _scenario_summary(session, row)


@router.get("/{scenario_id}", response_model=ScenarioRead, responses=R_READ)
def get_scenario(scenario_id: Id, user: CurrentUser, session: SessionDep) -> ScenarioRead:
    """A scenario: its document (the YAML mapping without layouts), its files' names, its layouts with seats."""
    require_read_plans(user)
    return _scenario(session, svc.scenario_or_404(session, scenario_id))


@router.patch("/{scenario_id}", response_model=ScenarioRead, responses=R_ALL)
def update_scenario(
    scenario_id: Id, body: ScenarioUpdate, user: CurrentUser, session: SessionDep, now: NowDep
) -> ScenarioRead:
    """Replace the scenario's units, relations or constraints (planners, admins; audited). The scenario is read
    again with every layout first: 422 lists what it refuses, and nothing is changed."""
    require_plan(user)
    row = svc.update_scenario(session, scenario_id, body.changes(), actor=user, now=now)
    return _scenario(session, row)


@router.get(
    "/{scenario_id}/export",
    response_class=Response,
    responses={
        200: {"content": {"application/yaml": {"example": EXPORT_EXAMPLE}}, "description": "The scenario's YAML"},
        **R_READ,
    },
)
def export_scenario(scenario_id: Id, user: CurrentUser, session: SessionDep) -> Response:
    """The scenario as YAML with every layout: imported again with the same files, it is the same scenario."""
    require_read_plans(user)
    text = svc.export_scenario(session, scenario_id)
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="scenario-{scenario_id}.yaml"'},
    )


@router.get("/{scenario_id}/compare", response_model=CompareRead, responses=R_ALL)
def compare(
    scenario_id: Id,
    user: CurrentUser,
    session: SessionDep,
    baseline: Annotated[LayoutName | None, Query(description="The layout to compare against (default: first).")] = None,
) -> dict[str, Any]:
    """Every layout against the baseline: the figures of `floorwise compare --json`."""
    require_read_plans(user)
    return svc.compare(session, scenario_id, baseline)


@router.post("/{scenario_id}/score", response_model=ScoreRead, responses=R_ALL)
def score(scenario_id: Id, body: ScoreRequest, user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """Score a layout without saving it: a whole ``layout``, or ``from`` a layout of the scenario with a ``move``.
    The figures of `floorwise score --json`, the constraint check and the change against ``baseline``."""
    require_read_plans(user)
    loaded = svc.loaded_scenario(session, scenario_id)
    # A score writes nothing: end the transaction (and SQLite's write lock a POST takes) before the arithmetic.
    session.commit()
    if body.from_ is not None:
        layout = svc.layout_seats(loaded, body.from_)
        if body.move is not None:
            m = body.move
            layout = svc.apply_move(layout, m.unit, m.from_floor, m.to_floor, m.seats)
    else:
        assert body.layout is not None  # the model's validator sees to it
        layout = body.layout
    return svc.score_loaded(loaded, layout, baseline=body.baseline)


@router.post("/{scenario_id}/layouts", status_code=201, response_model=LayoutRead, responses=R_ALL)
def save_layout(scenario_id: Id, body: LayoutCreate, user: CurrentUser, session: SessionDep, now: NowDep) -> LayoutRead:
    """Add a layout (``name-2``, ``name-3``... when the name is taken; never overwritten). A committee member's
    is a ``proposal``, a planner's or an admin's ``edited``."""
    require_read_plans(user)
    origin = LayoutOrigin.EDITED if may_plan(user) else LayoutOrigin.PROPOSAL
    row = svc.save_layout(session, scenario_id, body.name, body.layout, origin=origin, actor=user, now=now)
    return _layout(row)
