"""Administration: people (CSV import), units (a scenario's units: or a CSV), the audit log."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.errors import BookingError
from booking.models import Unit, User
from booking.pages.admin_forms import UploadTooLarge, problems_of, uploaded_file
from booking.pages.core import AdminPage, CsrfChecked, Page, PageRoute, attempt, user_of
from booking.services.audit import audit_entries
from booking.services.buildings import home_zone
from booking.services.people import find_people, import_units, import_users
from booking.services.unit_files import read_units
from booking.web.bounds import MAX_ID, EntityId, EntityKind, Name
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PEOPLE_SHOWN = 100


def _people_page(
    page: Page,
    session: Session,
    *,
    q: str = "",
    notice: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    names = {u.id: u.name or u.id for u in session.scalars(select(Unit))}
    if q.strip():
        people = find_people(session, q, limit=PEOPLE_SHOWN)
    else:
        people = list(session.scalars(select(User).order_by(User.unit_id, User.name).limit(PEOPLE_SHOWN)))
    total = session.scalar(select(func.count()).select_from(User)) or 0
    return page.render(
        "admin/people.html",
        status=status,
        people=[(p, names.get(p.unit_id or "", p.unit_id or "")) for p in people],
        total=total,
        units=len(names),
        q=q,
        notice=notice,
        problems=problems or [],
    )


@router.get("/admin/people")
def people_page(page: AdminPage, session: SessionDep, q: Name = "") -> Response:
    return _people_page(page, session, q=q)


@router.post("/admin/people/import", dependencies=[CsrfChecked])
def import_people(page: AdminPage, session: SessionDep, file: Annotated[UploadFile, File()]) -> Response:
    """People from a CSV (id, name, email, unit, optional password and role): all rows or none."""
    try:
        with uploaded_file(file) as path, attempt(session):
            result = import_users(session, path, now=page.now, actor=user_of(page).id)
    except UploadTooLarge:
        return _people_page(page, session, problems=[page.t("The file is too large.")], status=413)
    except BookingError as exc:
        return _people_page(page, session, problems=problems_of(exc), status=exc.status)
    notice = page.t("%(created)s people added, %(updated)s updated.", created=result.created, updated=result.updated)
    return _people_page(page, session, notice=notice)


@router.post("/admin/units/import", dependencies=[CsrfChecked])
def import_units_form(page: AdminPage, session: SessionDep, file: Annotated[UploadFile, File()]) -> Response:
    """Units from a scenario YAML (its units:) or a CSV (id, name, parent): all or none."""
    try:
        with uploaded_file(file) as path:
            units = read_units(path)
            source = path.name
        with attempt(session):
            result = import_units(session, units, source=source, now=page.now, actor=user_of(page).id)
    except UploadTooLarge:
        return _people_page(page, session, problems=[page.t("The file is too large.")], status=413)
    except BookingError as exc:
        return _people_page(page, session, problems=problems_of(exc), status=exc.status)
    notice = page.t("%(created)s units added, %(updated)s updated.", created=result.created, updated=result.updated)
    return _people_page(page, session, notice=notice)


AUDIT_PAGE = 50


def _snapshot(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@router.get("/admin/audit")
def audit_page(
    page: AdminPage,
    session: SessionDep,
    entity: EntityKind = "",
    entity_id: EntityId = "",
    before_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Response:
    """The audit log, newest first, a page at a time."""
    entries = audit_entries(
        session, entity=entity or None, entity_id=entity_id or None, limit=AUDIT_PAGE, before_id=before_id
    )
    zone = home_zone(session, page.user)
    rows = [
        {
            "id": e.id,
            "at": page.t.moment(e.at.astimezone(zone)),
            "actor": e.actor,
            "action": e.action,
            "entity": f"{e.entity} {e.entity_id}",
            "before": _snapshot(e.before),
            "after": _snapshot(e.after),
        }
        for e in entries
    ]
    older = entries[-1].id if len(entries) == AUDIT_PAGE else None
    return page.render("admin/audit.html", rows=rows, entity=entity, entity_id=entity_id, older=older)
