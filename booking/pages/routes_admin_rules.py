"""Administration: a building's booking rules, its closures, and team zones (neighbourhoods)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.api.schemas import RulesUpdate
from booking.errors import BookingError, InvalidRequest
from booking.models import BuildingRow, Closure, SpaceRow, Unit, Zone
from booking.pages.admin_forms import building_or_first, buildings, problems_of
from booking.pages.core import AdminPage, CsrfChecked, Page, PageRoute, PostedForm, attempt, user_of
from booking.pages.input_faults import fault_sentences
from booking.pages.routes_admin import _desk_ids
from booking.services import admin
from booking.web.bounds import BoundedDate, Id, Key, Name, NoNul, Reason, Weekday
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)

TIME_RULES = ("opens_at", "noon", "closes_at", "zone_release_time")
NUMBER_RULES = (
    "days_ahead",
    "longest_booking_minutes",
    "hourly_step_minutes",
    "cancel_cutoff_minutes",
    "check_in_opens_minutes",
    "check_in_closes_minutes",
)
FLAG_RULES = ("one_desk_per_person", "check_in_required", "show_booker_names", "year_end_closure")


def _rules_page(
    page: Page,
    session: Session,
    building: BuildingRow | None,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
    values: dict[str, Any] | None = None,
) -> Response:
    closures: list[Closure] = []
    rules: dict[str, Any] = {}
    if building is not None:
        rules = admin.rules_of(building) | (values or {})
        closures = list(
            session.scalars(select(Closure).where(Closure.building_id == building.id).order_by(Closure.day))
        )
    return page.render(
        "admin/rules.html",
        status=status,
        buildings=buildings(session),
        building=building,
        rules=rules,
        time_rules=TIME_RULES,
        number_rules=NUMBER_RULES,
        flag_rules=FLAG_RULES,
        closures=closures,
        weekdays=[(i, page.t.weekday(i)) for i in range(7)],
        notice=notice,
        problems=problems or [],
    )


@router.get("/admin/rules")
def rules_page(page: AdminPage, session: SessionDep, building: Key | None = None) -> Response:
    return _rules_page(page, session, building_or_first(session, building))


def _form_rules(form: Any) -> dict[str, Any]:
    """The rules as the form sent them, read by the API's own model (`RulesUpdate`: the same bounds, times without
    an offset, minutes that fit their columns); a `ValidationError` names each field that does not read."""
    sent: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in (*TIME_RULES, *NUMBER_RULES)}
    sent["longest_booking_minutes"] = sent["longest_booking_minutes"] or None  # empty: no limit
    sent |= {name: form.get(name) == "on" for name in FLAG_RULES}
    sent["closed_weekdays"] = sorted(set(form.getlist("closed_weekdays")))
    sent["holiday_country"] = str(form.get("holiday_country", "")).strip().upper() or None
    sent["timezone"] = str(form.get("timezone", "")).strip()
    return RulesUpdate.model_validate(sent).model_dump(exclude_unset=True)


@router.post("/admin/rules/{building_id}", dependencies=[CsrfChecked])
def save_rules(building_id: Key, page: AdminPage, session: SessionDep, form: PostedForm) -> Response:
    building = admin.building_or_404(session, building_id)
    values = {k: form.get(k) for k in (*TIME_RULES, *NUMBER_RULES)}
    try:
        changes = _form_rules(form)
    except ValidationError as exc:
        problems = fault_sentences(page.t, exc.errors(include_url=False))
        return _rules_page(page, session, building, problems=problems, status=422, values=values)
    try:
        with attempt(session):
            admin.update_rules(session, building_id, changes, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status, values=values)
    return _rules_page(page, session, building, notice=page.t("The rules are saved."))


@router.post("/admin/closures/{building_id}", dependencies=[CsrfChecked])
def add_closure(
    building_id: Key,
    page: AdminPage,
    session: SessionDep,
    day: Annotated[BoundedDate | None, Form()] = None,
    reason: Annotated[Reason, Form()] = "",
) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        if day is None:
            raise InvalidRequest(page.t("give the day"))
        with attempt(session):
            _closure, affected = admin.add_closure(session, building_id, day, reason, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _rules_page(
        page,
        session,
        building,
        notice=page.t(
            "Closed on %(day)s; %(count)s booking(s) that day are kept (tell the people concerned).",
            day=page.t.date(day),
            count=len(affected),
        ),
    )


@router.post("/admin/closures/{building_id}/{closure_id}/delete", dependencies=[CsrfChecked])
def remove_closure(building_id: Key, closure_id: Id, page: AdminPage, session: SessionDep) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        with attempt(session):
            admin.remove_closure(session, closure_id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _rules_page(page, session, building, notice=page.t("The building is open again that day."))


def _zones_page(
    page: Page,
    session: Session,
    building: BuildingRow | None,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    zones: list[dict[str, Any]] = []
    spaces: list[SpaceRow] = []
    units = list(session.scalars(select(Unit).order_by(Unit.id)))
    names = {u.id: u.name or u.id for u in units}
    if building is not None:
        for zone in session.scalars(select(Zone).where(Zone.building_id == building.id).order_by(Zone.name)):
            desk_ids, space_refs = admin.zone_members(session, zone.id)
            zones.append(
                {
                    "id": zone.id,
                    "name": zone.name,
                    "unit": names.get(zone.unit_id, zone.unit_id),
                    "weekdays": "・".join(page.t.weekday(d) for d in zone.weekdays),
                    "spaces": ", ".join(space_refs),
                    "desks": len(desk_ids),
                }
            )
        spaces = list(
            session.scalars(
                select(SpaceRow)
                .where(SpaceRow.building_id == building.id, SpaceRow.retired.is_(False), SpaceRow.kind == "office")
                .order_by(SpaceRow.ref)
            )
        )
    return page.render(
        "admin/zones.html",
        status=status,
        buildings=buildings(session),
        building=building,
        zones=zones,
        units=units,
        spaces=spaces,
        weekdays=[(i, page.t.weekday(i)) for i in range(7)],
        notice=notice,
        problems=problems or [],
    )


@router.get("/admin/zones")
def zones_page(page: AdminPage, session: SessionDep, building: Key | None = None) -> Response:
    return _zones_page(page, session, building_or_first(session, building))


@router.post("/admin/zones/{building_id}", dependencies=[CsrfChecked])
def add_zone(
    building_id: Key,
    page: AdminPage,
    session: SessionDep,
    name: Annotated[Name, Form()] = "",
    unit: Annotated[Key | None, Form()] = None,
    weekdays: Annotated[list[Weekday] | None, Form()] = None,
    spaces: Annotated[list[Key] | None, Form()] = None,
    desks: Annotated[str, NoNul(), Form()] = "",
) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        if not name.strip():
            raise InvalidRequest(page.t("give the zone a name"))
        desk_ids = _desk_ids(session, desks) if desks.strip() else []
        with attempt(session):
            admin.create_zone(
                session,
                building_id,
                name=name.strip(),
                unit_id=unit or "",
                weekdays=weekdays or [],
                desk_ids=desk_ids,
                space_refs=spaces or [],
                actor=user_of(page),
                now=page.now,
            )
    except BookingError as exc:
        return _zones_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _zones_page(page, session, building, notice=page.t("Zone %(name)s added.", name=name.strip()))


@router.post("/admin/zones/{building_id}/{zone_id}/delete", dependencies=[CsrfChecked])
def remove_zone(building_id: Key, zone_id: Id, page: AdminPage, session: SessionDep) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        with attempt(session):
            admin.remove_zone(session, zone_id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _zones_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _zones_page(page, session, building, notice=page.t("The zone is removed."))
