"""A desk's QR code, the check-in page it opens, and a floor's codes on one page for printing.

The code opens ``/desks/{id}/check-in``: after logging in if need be, the page finds my booking of that desk
now and checks me in with one press. It asks for the press rather than checking in on opening: a link that
changed something on a GET would be followed by link previewers and scanners too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from fastapi import APIRouter
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import BookingError, NotFound
from booking.models import ACTIVE_STATES, Booking, DeskRow, FloorRow
from booking.pages.core import AdminPage, CsrfChecked, Page, PageRoute, UserPage, attempt, user_of
from booking.pages.desk_views import refusal_text
from booking.services.bookings import check_in
from booking.services.desks import DeskContext, load_desk
from booking.web.bounds import Id
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def check_in_url(page: Page, desk_id: int) -> str:
    return str(page.request.url_for("desk_check_in", desk_id=desk_id))


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of ``url`` as an SVG element (error correction M: it still reads with a smudge)."""
    return str(segno.make(url, error="m").svg_inline(scale=scale, border=2, omitsize=True))


@router.get("/desks/{desk_id}/qr.svg")
def desk_qr(desk_id: Id, page: UserPage, session: SessionDep) -> Response:
    if session.get(DeskRow, desk_id) is None:
        raise NotFound("no desk %(id)s", words={"id": desk_id})
    buffer = io.BytesIO()
    segno.make(check_in_url(page, desk_id), error="m").save(buffer, kind="svg", scale=6, border=2)
    return Response(buffer.getvalue(), media_type="image/svg+xml")


def _todays_booking(session: Session, context: DeskContext, page: Page) -> Booking | None:
    """My active booking of this desk that is on now, or else the next one today."""
    user = user_of(page)
    zone = context.zone
    today = page.now.astimezone(zone).date()
    rows = session.scalars(
        select(Booking)
        .where(
            Booking.desk_id == context.desk.id,
            Booking.user_id == user.id,
            Booking.state.in_(ACTIVE_STATES),
            Booking.end_utc > page.now,
        )
        .order_by(Booking.start_utc)
        .limit(5)
    ).all()
    return next((b for b in rows if b.start_utc.astimezone(zone).date() == today), None)


def _check_in_page(
    page: Page,
    session: Session,
    desk_id: int,
    *,
    result: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    t = page.t
    context = load_desk(session, desk_id)
    booking = _todays_booking(session, context, page)
    when = None
    if booking is not None:
        when = t.when(booking.start_utc.astimezone(context.zone), booking.end_utc.astimezone(context.zone))
    return page.render(
        "check_in.html",
        status=status,
        desk=context.desk,
        floor=context.floor,
        booking=booking,
        when=when,
        result=result,
        error=error,
        book_today=f"/desks/{desk_id}?date={page.now.astimezone(context.zone).date().isoformat()}&slot=full",
    )


@router.get("/desks/{desk_id}/check-in", name="desk_check_in")
def check_in_page(desk_id: Id, page: UserPage, session: SessionDep) -> Response:
    return _check_in_page(page, session, desk_id)


@router.post("/desks/{desk_id}/check-in", dependencies=[CsrfChecked])
def check_in_here(desk_id: Id, page: UserPage, session: SessionDep) -> Response:
    context = load_desk(session, desk_id)
    booking = _todays_booking(session, context, page)
    if booking is None:
        return _check_in_page(
            page, session, desk_id, error=page.t("You have no booking of this desk today."), status=404
        )
    try:
        with attempt(session):
            done = check_in(session, booking.id, actor=user_of(page), now=page.now)
    except BookingError as exc:
        text = refusal_text(page.t, exc, context.zone)
        return _check_in_page(page, session, desk_id, error=text, status=exc.status)
    at = done.checked_in_at or page.now
    result = page.t(
        "Checked in at desk %(desk)s at %(time)s.",
        desk=context.desk.name or context.desk.ref,
        time=page.t.time(at.astimezone(context.zone)),
    )
    return _check_in_page(page, session, desk_id, result=result)


@dataclass(frozen=True)
class Code:
    label: str
    space: str
    svg: Markup


@router.get("/admin/floors/{floor_id}/qr")
def floor_codes(floor_id: Id, page: AdminPage, session: SessionDep) -> Response:
    """Every desk's code of a floor on one page, labelled, in a grid that prints on A4."""
    floor = session.get(FloorRow, floor_id)
    if floor is None:
        raise NotFound("no floor %(id)s", words={"id": floor_id})
    desks = session.scalars(
        select(DeskRow).where(DeskRow.floor_id == floor_id, DeskRow.retired_at.is_(None)).order_by(DeskRow.ref)
    ).all()
    codes = [Code(d.name or d.ref, d.ref, Markup(qr_svg(check_in_url(page, d.id), scale=3))) for d in desks]
    return page.render("qr_print.html", floor=floor, codes=codes)
