"""My bookings: the list with cancel and check-in, weekly series, and my calendar feed's secret URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic_core import PydanticCustomError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from booking.errors import BookingError, InvalidRequest, NotFound
from booking.models import BuildingRow, DeskRow, Token, TokenKind
from booking.pages import wording
from booking.pages.core import CsrfChecked, Page, PageRoute, UserPage, attempt, user_of
from booking.pages.desk_views import SLOTS, parse_time, refusal_text
from booking.pages.input_faults import custom_fault, fault_sentence
from booking.services.accounts import issue_token, revoke_tokens_of
from booking.services.bookings import book_series, booking_views, bookings_of, cancel_booking, check_in
from booking.services.buildings import home_zone
from booking.services.desks import zone_info
from booking.services.intervals import Slot
from booking.web.bounds import BoundedDate, Id, Name, Weekday, span_checked
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class MyBooking:
    id: int
    desk_id: int
    desk: str
    floor: str
    when: str
    state: str
    can_cancel: bool
    can_check_in: bool
    check_in_note: str


def _my_bookings(page: Page, session: Session) -> list[MyBooking]:
    user, t = user_of(page), page.t
    bookings = bookings_of(session, user.id, since=page.now)
    views = booking_views(session, bookings)
    buildings: dict[str, BuildingRow] = {}
    made = []
    for booking, view in zip(bookings, views, strict=True):
        desk = session.get(DeskRow, booking.desk_id)
        assert desk is not None
        building = buildings.get(desk.building_id) or session.get(BuildingRow, desk.building_id)
        assert building is not None
        buildings[building.id] = building
        zone = zone_info(building.timezone)
        start = booking.start_utc
        opens = start - dt.timedelta(minutes=building.check_in_opens_minutes)
        closes = start + dt.timedelta(minutes=building.check_in_closes_minutes)
        booked = booking.state == "booked"
        window_open = building.check_in_required and booked and opens <= page.now < closes
        note = ""
        if booked and building.check_in_required and page.now < opens:
            note = t("Check-in opens %(time)s.", time=t.moment(opens.astimezone(zone)))
        made.append(
            MyBooking(
                id=booking.id,
                desk_id=booking.desk_id,
                desk=view.desk,
                floor=view.floor,
                when=t.when(view.start, view.end),
                state=booking.state,
                can_cancel=page.now < start - dt.timedelta(minutes=building.cancel_cutoff_minutes),
                can_check_in=window_open,
                check_in_note=note,
            )
        )
    return made


def _calendar_since(session: Session, page: Page) -> dt.datetime | None:
    """When my live calendar link was made, if I have one (its URL cannot be shown again: only a digest is kept)."""
    user = user_of(page)
    return session.scalar(
        select(Token.created_at)
        .where(
            Token.user_id == user.id,
            Token.kind == TokenKind.CALENDAR.value,
            Token.revoked_at.is_(None),
            or_(Token.expires_at.is_(None), Token.expires_at > page.now),
        )
        .order_by(Token.created_at.desc())
        .limit(1)
    )


def _render_mine(
    page: Page,
    session: Session,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
    calendar_url: str | None = None,
    series: dict[str, Any] | None = None,
    series_result: list[dict[str, Any]] | None = None,
) -> Response:
    since = _calendar_since(session, page)
    zone = home_zone(session, page.user)
    defaults = {"desk": "", "weekdays": [], "until": "", "slot": "full", "start": "", "end": ""}
    return page.render(
        "mine.html",
        status=status,
        bookings=_my_bookings(page, session),
        message=message,
        error=error,
        calendar_url=calendar_url,
        calendar_since=page.t.moment(since.astimezone(zone)) if since else None,
        series={**defaults, **(series or {})},
        series_result=series_result,
        slots=SLOTS,
        weekdays=[(i, page.t.weekday(i)) for i in range(7)],
    )


@router.get("/mine")
def mine(page: UserPage, session: SessionDep, done: str | None = None, desk: Id | None = None) -> Response:
    message = page.t(wording.DONE[done]) if done in wording.DONE else None
    series = {}
    if desk is not None and (row := session.get(DeskRow, desk)) is not None:
        series["desk"] = row.ref
    return _render_mine(page, session, message=message, series=series)


def _booking_action(page: Page, session: Session, booking_id: int, action: str) -> Response:
    user = user_of(page)
    try:
        with attempt(session):
            if action == "cancel":
                cancel_booking(session, booking_id, actor=user, now=page.now)
            else:
                check_in(session, booking_id, actor=user, now=page.now)
    except BookingError as exc:
        return _render_mine(page, session, error=refusal_text(page.t, exc, home_zone(session, user)), status=exc.status)
    return page.redirect(f"/mine?done={'cancelled' if action == 'cancel' else 'checked_in'}")


@router.post("/bookings/{booking_id}/cancel", dependencies=[CsrfChecked])
def cancel(booking_id: Id, page: UserPage, session: SessionDep) -> Response:
    return _booking_action(page, session, booking_id, "cancel")


@router.post("/bookings/{booking_id}/check-in", dependencies=[CsrfChecked])
def check_in_form(booking_id: Id, page: UserPage, session: SessionDep) -> Response:
    return _booking_action(page, session, booking_id, "check_in")


def find_desk(session: Session, text: str) -> DeskRow:
    """A desk by its id in the building file or its name; refused when none or several match."""
    key = text.strip()
    if not key:
        raise InvalidRequest("name a desk")
    rows = session.scalars(
        select(DeskRow).where(or_(DeskRow.ref == key, DeskRow.name == key), DeskRow.retired_at.is_(None)).limit(2)
    ).all()
    if not rows:
        raise NotFound("no desk %(id)r", words={"id": key})
    if len(rows) > 1:
        raise InvalidRequest("several desks are called %(name)r; give the desk's id", words={"name": key})
    return rows[0]


@router.post("/mine/series", dependencies=[CsrfChecked])
def create_series(
    page: UserPage,
    session: SessionDep,
    desk: Annotated[Name, Form()] = "",  # its id in the building file, or its name
    weekdays: Annotated[list[Weekday] | None, Form()] = None,
    until: Annotated[BoundedDate | None, Form()] = None,
    slot: Annotated[str, Form()] = "full",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
) -> Response:
    """Weekly bookings of one desk on chosen weekdays until a date: each date booked or refused, all shown."""
    user, t = user_of(page), page.t
    chosen = weekdays or []
    form = {"desk": desk, "weekdays": chosen, "until": until.isoformat() if until else "", "slot": slot}
    form |= {"start": start, "end": end}
    zone = home_zone(session, user)
    try:
        row = find_desk(session, desk)
        if until is None:
            raise InvalidRequest(t("give the last day"))
        first_day = page.now.astimezone(zone).date()
        try:
            span_checked(first_day, until)  # at most two years, as the API's series
        except PydanticCustomError as exc:
            fault = fault_sentence(t, custom_fault(exc, "body", "until"))
            return _render_mine(page, session, error=fault, series=form, status=422)
        times: dict[str, Any]
        if slot == "hours":
            times = {"start_time": parse_time(start, dt.time(9)), "end_time": parse_time(end, dt.time(10))}
        else:
            times = {"slot": Slot(slot if slot in ("full", "am", "pm") else "full")}
        with attempt(session):
            results = book_series(
                session,
                user=user,
                desk_id=row.id,
                weekdays=chosen,
                first_day=first_day,
                last_day=until,
                now=page.now,
                **times,
            )
    except BookingError as exc:
        return _render_mine(page, session, error=refusal_text(t, exc, zone), series=form, status=exc.status)
    outcome = []
    for r in results:
        if r.booking is not None:
            outcome.append({"date": t.date(r.day), "created": True, "text": t.pgettext("done", "booked")})
        else:
            assert r.error is not None
            outcome.append({"date": t.date(r.day), "created": False, "text": refusal_text(t, r.error, zone)})
    made = sum(1 for r in results if r.booking is not None)
    message = t("%(made)s booked, %(refused)s refused.", made=made, refused=len(results) - made)
    return _render_mine(page, session, message=message, series=form, series_result=outcome)


@router.post("/mine/calendar", dependencies=[CsrfChecked])
def renew_calendar(page: UserPage, session: SessionDep) -> Response:
    """A new secret URL for my calendar feed; the one before stops working. Shown once: copy it now."""
    user, settings = user_of(page), page.settings
    revoke_tokens_of(session, user, kind=TokenKind.CALENDAR, now=page.now)
    secret = issue_token(
        session, user, kind=TokenKind.CALENDAR, key=settings.secret_key.get_secret_value(), now=page.now, lifetime=None
    )
    url = str(page.request.url_for("calendar_feed", token=secret))
    return _render_mine(page, session, message=page.t("Here is your new calendar address."), calendar_url=url)


@router.post("/mine/calendar/stop", dependencies=[CsrfChecked])
def stop_calendar(page: UserPage, session: SessionDep) -> Response:
    revoke_tokens_of(session, user_of(page), kind=TokenKind.CALENDAR, now=page.now)
    return page.redirect("/mine?done=stopped")
