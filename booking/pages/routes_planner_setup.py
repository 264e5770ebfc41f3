"""A scenario's units (headcount, fixed share, desk ratio), relations (an A/E/I/O/U/X matrix) and constraints
(fixed, closed floors, apart, most floors), edited by planners and admins; each change is read again with every
layout and scored (`booking.services.scenarios.update_scenario`), and a refusal changes nothing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from booking.errors import InvalidInput
from booking.pages.admin_forms import problems_of
from booking.pages.core import CsrfChecked, Page, PageRoute, PostedForm, attempt, user_of
from booking.pages.planner_access import PlannerPage
from booking.pages.scenario_forms import (
    PAIR,
    RATINGS,
    FormProblems,
    constraint_texts,
    constraints_from_form,
    relation_cells,
    relations_from_form,
    units_from_form,
)
from booking.services import scenarios as service
from booking.web.bounds import Id
from booking.web.deps import SessionDep
from layouts.units import DEFAULT_DESK_RATIO

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _units_page(page: Page, session: Session, scenario_id: int, **extra: Any) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    org = scenario.organisation
    units = [
        {
            "id": u.id,
            "label": u.label,
            "leaf": org.is_leaf(u.id),
            "depth": len(org.ancestors(u.id)),
            "headcount": u.headcount,
            "fixed_share": "" if u.fixed_share is None else f"{u.fixed_share:g}",
            "desk_ratio": "" if u.desk_ratio is None else f"{u.desk_ratio:g}",
            "needed": org.seats_needed(u.id) if org.is_leaf(u.id) else None,
        }
        for u in org
    ]
    return page.render(
        "planners/units.html", row=row, tab="units", units=units, default_ratio=DEFAULT_DESK_RATIO, **extra
    )


@router.get("/planners/{scenario_id}/units")
def units_page(scenario_id: Id, page: PlannerPage, session: SessionDep, saved: str | None = None) -> Response:
    notice = page.t("Saved. The figures are scored again.") if saved else None
    return _units_page(page, session, scenario_id, notice=notice, problems=[])


def _apply(page: Page, session: Session, scenario_id: int, changes: dict[str, Any]) -> list[str]:
    """Apply ``changes`` in a savepoint; the problems in words, or nothing when it is done."""
    try:
        with attempt(session):
            service.update_scenario(session, scenario_id, changes, actor=user_of(page), now=page.now)
    except InvalidInput as exc:
        return problems_of(exc)
    return []


@router.post("/planners/{scenario_id}/units", dependencies=[CsrfChecked])
def save_units(scenario_id: Id, page: PlannerPage, session: SessionDep, form: PostedForm) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    try:
        units = units_from_form(list(row.document.get("units") or []), form)
    except FormProblems as exc:
        return _units_page(page, session, scenario_id, status=422, problems=[str(p) for p in exc.problems])
    problems = _apply(page, session, scenario_id, {"units": units})
    if problems:
        return _units_page(page, session, scenario_id, status=422, problems=problems)
    return page.redirect(f"/planners/{scenario_id}/units?saved=1")


def _relations_page(page: Page, session: Session, scenario_id: int, **extra: Any) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    units = [(u.id, u.label) for u in scenario.organisation]
    cells = relation_cells(list(row.document.get("relations") or []))
    matrix = [
        [
            (PAIR.format(a=a, b=b), cells.get(frozenset((a, b)), "")) if j >= i else None
            for j, (b, _label) in enumerate(units)
        ]
        for i, (a, _label) in enumerate(units)
    ]
    ratings = ", ".join(f"{k} {v:g}" for k, v in scenario.ratings.items())
    return page.render(
        "planners/relations.html",
        row=row,
        tab="relations",
        units=units,
        matrix=matrix,
        letters=RATINGS,
        ratings=ratings,
        has_file=bool(row.document.get("relations_file")),
        **extra,
    )


@router.get("/planners/{scenario_id}/relations")
def relations_page(scenario_id: Id, page: PlannerPage, session: SessionDep, saved: str | None = None) -> Response:
    notice = page.t("Saved. The figures are scored again.") if saved else None
    return _relations_page(page, session, scenario_id, notice=notice, problems=[])


@router.post("/planners/{scenario_id}/relations", dependencies=[CsrfChecked])
def save_relations(scenario_id: Id, page: PlannerPage, session: SessionDep, form: PostedForm) -> Response:
    scenario = service.load_scenario(session, scenario_id)
    try:
        relations = relations_from_form([u.id for u in scenario.organisation], form)
    except FormProblems as exc:
        return _relations_page(page, session, scenario_id, status=422, problems=[str(p) for p in exc.problems])
    problems = _apply(page, session, scenario_id, {"relations": relations or None})
    if problems:
        return _relations_page(page, session, scenario_id, status=422, problems=problems)
    return page.redirect(f"/planners/{scenario_id}/relations?saved=1")


def _constraints_page(
    page: Page, session: Session, scenario_id: int, texts: dict[str, str] | None = None, **extra: Any
) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    constraints = row.document.get("constraints") or {}
    closed = {scenario.building.floor(f).name for f in scenario.constraints.closed_floors}
    floors = [(f.name, f.name in closed) for f in reversed(scenario.building.floors) if f.seat_capacity > 0]
    return page.render(
        "planners/constraints.html",
        row=row,
        tab="constraints",
        texts=texts or constraint_texts(constraints),
        floors=floors,
        **extra,
    )


@router.get("/planners/{scenario_id}/constraints")
def constraints_page(scenario_id: Id, page: PlannerPage, session: SessionDep, saved: str | None = None) -> Response:
    notice = page.t("Saved. The figures are scored again.") if saved else None
    return _constraints_page(page, session, scenario_id, notice=notice, problems=[])


@router.post("/planners/{scenario_id}/constraints", dependencies=[CsrfChecked])
def save_constraints(scenario_id: Id, page: PlannerPage, session: SessionDep, form: PostedForm) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    texts = {k: str(form.get(k, "")) for k in ("fixed", "apart", "max_floors")}
    try:
        constraints = constraints_from_form(row.document.get("constraints") or {}, form)
    except FormProblems as exc:
        problems = [str(p) for p in exc.problems]
        return _constraints_page(page, session, scenario_id, texts, status=422, problems=problems)
    problems = _apply(page, session, scenario_id, {"constraints": constraints or None})
    if problems:
        return _constraints_page(page, session, scenario_id, texts, status=422, problems=problems)
    return page.redirect(f"/planners/{scenario_id}/constraints?saved=1")
