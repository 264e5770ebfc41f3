"""Administration: load a building, its desks (attributes, fixed owners, blocks). Every page calls the services;
every refusal is shown on the page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import BookingError, InvalidRequest
from booking.models import Block, DeskRow, FloorRow, SpaceRow, User
from booking.pages.admin_forms import UploadTooLarge, archive_refusal, buildings, problems_of, uploaded_file
from booking.pages.core import AdminPage, CsrfChecked, Page, PageRoute, attempt, user_of
from booking.pages.desk_views import attribute_names
from booking.pages.input_faults import custom_fault, fault_sentence
from booking.services import admin
from booking.services.loading import LoadReport, load_building
from booking.web.bounds import BoundedDate, Id, Key, NoNul, Reason, span_checked
from booking.web.deps import SessionDep
from floorplan.errors import ArchiveTooLarge, FloorplanError
from floorplan.importing import read_building

router = APIRouter(route_class=PageRoute, include_in_schema=False)

#: Formats floorplan reads; "" lets the reader tell by the file's name.
FORMATS = ("", "geojson", "imdf", "cobie", "floorguide")


@router.get("/admin")
def admin_home(page: AdminPage, session: SessionDep) -> Response:
    rows = buildings(session)
    floors = session.scalars(select(FloorRow).where(FloorRow.retired.is_(False)).order_by(FloorRow.level)).all()
    return page.render("admin/index.html", buildings=rows, floors=floors, formats=FORMATS, report=None, problems=[])


@router.post("/admin/building", dependencies=[CsrfChecked])
def upload_building(
    page: AdminPage,
    session: SessionDep,
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form()] = "",
) -> Response:
    """Read an uploaded building (any format floorplan reads) and load it, its plan for the maps with it."""
    problems: list[str] = []
    status = 200
    report: LoadReport | None = None
    settings = page.settings
    try:
        with uploaded_file(file, max_bytes=settings.max_upload_bytes) as path:
            imported = read_building(path, format=format or None, max_unpacked_bytes=settings.max_unpacked_bytes)
        with attempt(session):
            report = load_building(session, imported.building, now=page.now, actor=user_of(page).id)
    except UploadTooLarge:
        problems, status = [page.t("The file is too large.")], 413
    except ArchiveTooLarge as exc:
        problems, status = archive_refusal(exc, page.t("The archive unpacks to more than this site takes")), 413
    except (FloorplanError, BookingError, OSError) as exc:
        problems, status = problems_of(exc), 422
    rows = buildings(session)
    floors = session.scalars(select(FloorRow).where(FloorRow.retired.is_(False)).order_by(FloorRow.level)).all()
    return page.render(
        "admin/index.html",
        status=status,
        buildings=rows,
        floors=floors,
        formats=FORMATS,
        report=report,
        problems=problems,
    )


def _desks_page(
    page: Page,
    session: Session,
    floor_id: int | None,
    *,
    notice: str | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    floors = session.scalars(select(FloorRow).where(FloorRow.retired.is_(False)).order_by(FloorRow.level)).all()
    floor = next((f for f in floors if f.id == floor_id), None) or next(iter(floors), None)
    desks: list[dict[str, Any]] = []
    blocks: list[dict[str, Any]] = []
    if floor is not None:
        owners = {k: v for k, v in session.execute(select(User.id, User.name))}
        in_floor = select(SpaceRow.id, SpaceRow.ref).where(SpaceRow.floor_id == floor.id)
        spaces = {k: v for k, v in session.execute(in_floor)}
        rows = session.scalars(
            select(DeskRow).where(DeskRow.floor_id == floor.id, DeskRow.retired_at.is_(None)).order_by(DeskRow.ref)
        ).all()
        desks = [
            {
                "id": d.id,
                "ref": d.ref,
                "name": d.name,
                "space": spaces.get(d.space_id, ""),
                "features": attribute_names(page.t, d.attributes or {}),
                "owner": f"{owners.get(d.owner_id, '')} ({d.owner_id})" if d.owner_id else "",
            }
            for d in rows
        ]
        refs = {d.id: d.ref for d in rows}
        today = page.now.date()
        blocks = [
            {"id": b.id, "desk": refs[b.desk_id], "first": b.first_day, "last": b.last_day, "reason": b.reason}
            for b in session.scalars(
                select(Block).where(Block.desk_id.in_(list(refs)), Block.last_day >= today).order_by(Block.first_day)
            )
        ]
    return page.render(
        "admin/desks.html",
        status=status,
        floors=floors,
        floor=floor,
        desks=desks,
        blocks=blocks,
        notice=notice,
        problems=problems or [],
    )


@router.get("/admin/desks")
def admin_desks(page: AdminPage, session: SessionDep, floor: Id | None = None) -> Response:
    return _desks_page(page, session, floor)


def _desk_ids(session: Session, refs: str) -> list[int]:
    """Desk ids of desk ids in the building file, separated by commas or spaces."""
    wanted = [r for r in refs.replace(",", " ").split() if r]
    if not wanted:
        raise InvalidRequest("name at least one desk")
    found = {k: v for k, v in session.execute(select(DeskRow.ref, DeskRow.id).where(DeskRow.ref.in_(wanted)))}
    missing = [r for r in wanted if r not in found]
    if missing:
        raise InvalidRequest("no desk(s) %(ids)s", words={"ids": missing})
    return [found[r] for r in wanted]


@router.post("/admin/blocks", dependencies=[CsrfChecked])
def add_block(
    page: AdminPage,
    session: SessionDep,
    floor: Annotated[Id, Form()],
    desks: Annotated[str, NoNul(), Form()] = "",
    first_day: Annotated[BoundedDate | None, Form()] = None,
    last_day: Annotated[BoundedDate | None, Form()] = None,
    reason: Annotated[Reason, Form()] = "",
) -> Response:
    try:
        if first_day is None or last_day is None:
            raise InvalidRequest(page.t("give the first and the last day"))
        span_checked(first_day, last_day)  # at most two years, as the API's blocks
        with attempt(session):
            made = admin.block_desks(
                session,
                _desk_ids(session, desks),
                first_day=first_day,
                last_day=last_day,
                reason=reason,
                actor=user_of(page),
                now=page.now,
            )
    except PydanticCustomError as exc:
        problems = [fault_sentence(page.t, custom_fault(exc, "body", "last_day"))]
        return _desks_page(page, session, floor, problems=problems, status=422)
    except BookingError as exc:
        return _desks_page(page, session, floor, problems=problems_of(exc), status=exc.status)
    return _desks_page(page, session, floor, notice=page.t("%(count)s desk(s) blocked.", count=len(made)))


@router.post("/admin/blocks/{block_id}/delete", dependencies=[CsrfChecked])
def remove_block(block_id: Id, page: AdminPage, session: SessionDep, floor: Annotated[Id, Form()]) -> Response:
    try:
        with attempt(session):
            admin.remove_block(session, block_id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _desks_page(page, session, floor, problems=problems_of(exc), status=exc.status)
    return _desks_page(page, session, floor, notice=page.t("The block is lifted."))


@router.post("/admin/owner", dependencies=[CsrfChecked])
def set_owner(
    page: AdminPage,
    session: SessionDep,
    floor: Annotated[Id, Form()],
    desk: Annotated[str, NoNul(), Form()] = "",
    owner: Annotated[Key | None, Form()] = None,  # a person's id; none: the desk has no owner
) -> Response:
    try:
        desk_id = _desk_ids(session, desk)[0]
        with attempt(session):
            admin.set_desk_owner(session, desk_id, (owner or "").strip() or None, actor=user_of(page), now=page.now)
    except BookingError as exc:
        return _desks_page(page, session, floor, problems=problems_of(exc), status=exc.status)
    return _desks_page(page, session, floor, notice=page.t("Desk %(desk)s: owner set.", desk=desk.strip()))
