"""Administration: a building's booking rules, its closures, and team zones (neighbourhoods)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.api.deps import SessionDep
from booking.errors import BookingError, InvalidRequest
from booking.models import BuildingRow, Closure, SpaceRow, Unit, Zone
from booking.pages.admin_forms import building_or_first, buildings, problems_of
from booking.pages.core import AdminPage, CsrfChecked, Page, PageRoute, PostedForm, attempt, user_of
from booking.pages.routes_admin import _desk_ids
from booking.services import admin

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
def rules_page(page: AdminPage, session: SessionDep, building: str | None = None) -> Response:
    return _rules_page(page, session, building_or_first(session, building))


def _form_rules(form: Any) -> dict[str, Any]:
    """The rules as the form sent them, typed; a field that does not read is named in the refusal."""
    changes: dict[str, Any] = {}
    faults = []
    for name in TIME_RULES:
        try:
            changes[name] = dt.time.fromisoformat(str(form.get(name, "")))
        except ValueError:
            faults.append(f"{name}: not a time (HH:MM)")
    for name in NUMBER_RULES:
        text = str(form.get(name, "")).strip()
        if name == "longest_booking_minutes" and not text:
            changes[name] = None
            continue
        try:
            changes[name] = int(text)
        except ValueError:
            faults.append(f"{name}: not a whole number")
    for name in FLAG_RULES:
        changes[name] = form.get(name) == "on"
    changes["closed_weekdays"] = sorted(int(d) for d in form.getlist("closed_weekdays") if str(d).isdigit())
    changes["holiday_country"] = str(form.get("holiday_country", "")).strip().upper() or None
    changes["timezone"] = str(form.get("timezone", "")).strip()
    if faults:
        raise InvalidRequest("; ".join(faults))
    return changes


@router.post("/admin/rules/{building_id}", dependencies=[CsrfChecked])
def save_rules(building_id: str, page: AdminPage, session: SessionDep, form: PostedForm) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        changes = _form_rules(form)
        negative = [k for k in NUMBER_RULES if isinstance(changes.get(k), int) and changes[k] < 0]
        if negative:
            raise InvalidRequest(f"{', '.join(negative)}: not below 0")
        with attempt(session):
            admin.update_rules(session, building_id, changes, actor=user_of(page), now=page.now)
    except BookingError as exc:
        values = {k: form.get(k) for k in (*TIME_RULES, *NUMBER_RULES)}
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status, values=values)
    return _rules_page(page, session, building, notice=page.t("admin.rules_saved"))


@router.post("/admin/closures/{building_id}", dependencies=[CsrfChecked])
def add_closure(
    building_id: str,
    page: AdminPage,
    session: SessionDep,
    day: Annotated[dt.date | None, Form()] = None,
    reason: Annotated[str, Form()] = "",
) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        if day is None:
            raise InvalidRequest(page.t("admin.day_needed"))
        with attempt(session):
            _closure, affected = admin.add_closure(session, building_id, day, reason, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _rules_page(
        page, session, building, notice=page.t("admin.closed", day=page.t.date(day), count=len(affected))
    )


@router.post("/admin/closures/{building_id}/{closure_id}/delete", dependencies=[CsrfChecked])
def remove_closure(building_id: str, closure_id: int, page: AdminPage, session: SessionDep) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        with attempt(session):
            admin.remove_closure(session, closure_id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _rules_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _rules_page(page, session, building, notice=page.t("admin.reopened"))


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
def zones_page(page: AdminPage, session: SessionDep, building: str | None = None) -> Response:
    return _zones_page(page, session, building_or_first(session, building))


@router.post("/admin/zones/{building_id}", dependencies=[CsrfChecked])
def add_zone(
    building_id: str,
    page: AdminPage,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    weekdays: Annotated[list[int] | None, Form()] = None,
    spaces: Annotated[list[str] | None, Form()] = None,
    desks: Annotated[str, Form()] = "",
) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        if not name.strip():
            raise InvalidRequest(page.t("admin.name_needed"))
        desk_ids = _desk_ids(session, desks) if desks.strip() else []
        with attempt(session):
            admin.create_zone(
                session,
                building_id,
                name=name.strip(),
                unit_id=unit,
                weekdays=weekdays or [],
                desk_ids=desk_ids,
                space_refs=spaces or [],
                actor=user_of(page),
                now=page.now,
            )
    except BookingError as exc:
        return _zones_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _zones_page(page, session, building, notice=page.t("admin.zone_added", name=name.strip()))


@router.post("/admin/zones/{building_id}/{zone_id}/delete", dependencies=[CsrfChecked])
def remove_zone(building_id: str, zone_id: int, page: AdminPage, session: SessionDep) -> Response:
    building = admin.building_or_404(session, building_id)
    try:
        with attempt(session):
            admin.remove_zone(session, zone_id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _zones_page(page, session, building, problems=problems_of(exc), status=exc.status)
    return _zones_page(page, session, building, notice=page.t("admin.zone_removed"))
