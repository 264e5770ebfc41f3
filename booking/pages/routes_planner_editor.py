"""The stack-plan editor: a layout's floors and units, where a planner or committee member moves a unit (or part
of a split unit) to another floor and sees the week's figures scored again against the baseline.

With its script (``static/js/stack-editor.js``) the page moves units by dragging or by keyboard and asks
``POST /api/scenarios/{id}/score`` for the figures after each move; without it, the move form posts here, the
layout being edited travelling in the form (nothing is kept on the server until it is saved)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from booking.errors import InvalidInput
from booking.models.planning import LayoutOrigin, ScenarioRow
from booking.pages.admin_forms import problems_of
from booking.pages.core import CsrfChecked, Page, PageRoute, attempt, user_of
from booking.pages.i18n import Words
from booking.pages.planner_access import PlansPage
from booking.pages.stack_plan import editor_data, stack_rows
from booking.pages.wording import SCRIPT_WORDS
from booking.services import scenarios as service
from booking.web.bounds import Id, NoNul
from booking.web.deps import SessionDep
from floorplan.errors import Problem
from layouts.scenario import Scenario

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SeatsByPlace = dict[str, dict[str, int]]
_LAYOUT = TypeAdapter(dict[str, dict[str, int]])
_BLOCK = TypeAdapter(tuple[str, str])
FIGURES = ("travel_hours_per_week", "vertical_hours_per_week", "vertical_trips_per_week", "people_moved")


def script_words(t: Words) -> dict[str, str]:
    """The editor script's words in the page's language, with ``{name}`` placeholders as the script fills them."""
    return {key: _script_placeholders(t.unfilled(message)) for key, message in SCRIPT_WORDS.items()}


def _script_placeholders(text: str) -> str:
    return re.sub(r"%\((\w+)\)s", r"{\1}", text).replace("%%", "%")


def violation_text(t: Words, violation: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """A constraint a layout breaks, in the page's language (``violation`` as `Violation.to_dict` gives it)."""
    units = [labels.get(u, u) for u in violation.get("units", ())]
    separator = t.pgettext("editor", ", ")
    floors = list(violation.get("floors", ()))
    return t.word(
        SCRIPT_WORDS[f"violation_{violation['kind']}"],
        unit=units[0] if units else "",
        other=units[1] if len(units) > 1 else "",
        floors=separator.join(floors),
        allowed=separator.join(violation.get("allowed", ())),
        limit=violation.get("limit", 0),
        count=len(floors),
    )


def _layout_from_form(text: str) -> SeatsByPlace:
    try:
        return _LAYOUT.validate_json(text)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise InvalidInput([], source=where or "layout") from None


def _render(
    page: Page,
    session: Session,
    row: ScenarioRow,
    scenario: Scenario,
    *,
    name: str,
    layout: SeatsByPlace,
    status: int = 200,
    problems: list[str] | None = None,
    notice: str | None = None,
) -> Response:
    names = list(scenario.layouts)
    baseline = names[0]
    base_seats = {unit: dict(places) for unit, places in scenario.layouts[baseline].seats.items()}
    base_score = service.score_layout(session, row.id, base_seats, baseline=baseline)
    base_figures = {k: float(base_score[k]) for k in FIGURES if k != "people_moved"}
    problems = list(problems or [])
    figures: dict[str, Any] | None
    try:
        figures = service.score_layout(session, row.id, layout, baseline=baseline)
    except InvalidInput as exc:  # a floor past its seats, say: the plan shows it, the figures wait for a fix
        figures = None
        problems.append(
            page.t(
                "The figures could not be scored: %(detail)s", detail="; ".join(str(p.message) for p in exc.problems)
            )
        )
    labels = {u.id: u.label for u in scenario.organisation}
    violations = figures["check"]["violations"] if figures else []
    data = editor_data(scenario, layout)
    data.update(
        {
            "scenario": row.id,
            "baseline": baseline,
            "baseline_figures": base_figures,
            "figures": ({k: figures[k] for k in FIGURES} if figures else None),
            "violations": violations,
            "score_url": f"/api/scenarios/{row.id}/score",
            "csrf": page.csrf_token,
            "words": script_words(page.t),
        }
    )
    rows = stack_rows(scenario, layout)
    return page.render(
        "planners/editor.html",
        status=status,
        row=row,
        tab="edit",
        names=names,
        name=name,
        baseline=baseline,
        rows=rows,
        floors=[r.name for r in rows],
        most=max([max(r.capacity, r.used) for r in rows] + [1]),
        figures=[
            (key, figures[key], figures[key] - base_figures[key] if key in base_figures else None) for key in FIGURES
        ]
        if figures
        else [(key, None, None) for key in FIGURES],
        violations=[violation_text(page.t, v, labels) for v in violations],
        layout_json=json.dumps(layout, ensure_ascii=False, separators=(",", ":")),
        data_json=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
        save_name=f"{name}-edit",
        problems=problems,
        notice=notice,
    )


@router.get("/planners/{scenario_id}/edit")
def editor(
    scenario_id: Id, page: PlansPage, session: SessionDep, layout: str | None = None, saved: str | None = None
) -> Response:
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    if not scenario.layouts:
        return page.render("error.html", status=404, message=page.t("The scenario has no layout to edit."), detail="")
    name = layout if layout is not None and layout in scenario.layouts else next(iter(scenario.layouts))
    seats = {unit: dict(places) for unit, places in scenario.layouts[name].seats.items()}
    notice = page.t("Saved as %(name)s.", name=name) if saved else None
    return _render(page, session, row, scenario, name=name, layout=seats, notice=notice)


@router.post("/planners/{scenario_id}/edit", dependencies=[CsrfChecked])
def move_without_script(
    scenario_id: Id,
    page: PlansPage,
    session: SessionDep,
    layout: Annotated[str, Form(max_length=500_000)],
    base: Annotated[str, NoNul(), Form(max_length=100)],
    block: Annotated[str, NoNul(), Form(max_length=1000)] = "",
    to_floor: Annotated[str, NoNul(), Form(max_length=100)] = "",
    seats: Annotated[int | None, Form(ge=1, le=1_000_000)] = None,
) -> Response:
    """One move of the form (the page without its script): the layout comes back moved, scored, not saved."""
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    name = base if base in scenario.layouts else next(iter(scenario.layouts))
    try:
        current = _layout_from_form(layout)
    except InvalidInput as exc:
        detail = page.t("The layout sent could not be read: %(detail)s", detail=exc.source)
        original = {u: dict(p) for u, p in scenario.layouts[name].seats.items()}
        return _render(page, session, row, scenario, name=name, layout=original, status=422, problems=[detail])
    try:
        if not block:
            raise InvalidInput([], source=page.t("Choose a unit first."))
        unit, place = _BLOCK.validate_json(block)
        if to_floor not in {f.name for f in scenario.building.floors}:
            raise InvalidInput([Problem(f"{to_floor[:40]!r} is not a floor of the building", "move", "to_floor")])
        moved = service.apply_move(current, unit, place, to_floor, seats)
    except ValidationError:
        return _render(
            page, session, row, scenario, name=name, layout=current, status=422, problems=[page.t("Choose a unit")]
        )
    except InvalidInput as exc:
        problems = problems_of(exc) if exc.problems else [exc.source]
        return _render(page, session, row, scenario, name=name, layout=current, status=422, problems=problems)
    return _render(page, session, row, scenario, name=name, layout=moved)


@router.post("/planners/{scenario_id}/layouts", dependencies=[CsrfChecked])
def save(
    scenario_id: Id,
    page: PlansPage,
    session: SessionDep,
    layout: Annotated[str, Form(max_length=500_000)],
    base: Annotated[str, NoNul(), Form(max_length=100)],
    name: Annotated[str, NoNul(), Form(min_length=1, max_length=100)],
) -> Response:
    """Save the layout as a new one (a name taken gets a suffix): a planner's is ``edited``, a committee member's a
    ``proposal``."""
    row = service.scenario_or_404(session, scenario_id)
    scenario = service.load_scenario(session, scenario_id)
    start = base if base in scenario.layouts else next(iter(scenario.layouts))
    origin = LayoutOrigin.EDITED if page.may_plan else LayoutOrigin.PROPOSAL
    try:
        current = _layout_from_form(layout)
    except InvalidInput as exc:
        original = {u: dict(p) for u, p in scenario.layouts[start].seats.items()}
        detail = page.t("The layout sent could not be read: %(detail)s", detail=exc.source)
        return _render(page, session, row, scenario, name=start, layout=original, status=422, problems=[detail])
    try:
        with attempt(session):
            saved = service.save_layout(
                session,
                scenario_id,
                name,
                current,
                origin=origin,
                actor=user_of(page),
                now=page.now,
                settings={"from": start},
            )
    except InvalidInput as exc:
        return _render(page, session, row, scenario, name=start, layout=current, status=422, problems=problems_of(exc))
    return page.redirect(f"/planners/{scenario_id}/edit?layout={quote(saved.name)}&saved=1")
