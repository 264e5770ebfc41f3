"""People: my team on a date, finding a colleague, a personal calendar feed at a secret URL."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session

from booking.api.problems import problem_responses
from booking.api.schemas import CalendarLinkRead, WhereaboutsRead
from booking.errors import NotFound
from booking.models import TokenKind, User
from booking.services.accounts import issue_token, revoke_tokens_of, user_from_token
from booking.services.buildings import home_zone
from booking.services.calendar import calendar_of
from booking.services.people import find_people, team_of, whereabouts
from booking.web.bounds import BoundedDate, SearchText, UrlSecret
from booking.web.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["people"], route_class=TransactionRoute)

#: The feed with one booking (812: 6F-N1-07 on 2026-04-01, 08:30-17:15 in Tokyo), as `calendar_of` writes it.
CALENDAR_EXAMPLE = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//floorwise//desk bookings//EN",
        "X-WR-CALNAME:Desk bookings of 佐藤 花子",
        "BEGIN:VEVENT",
        "SUMMARY:Desk 6F-N1-07\\, 6F",
        "DTSTART:20260331T233000Z",
        "DTEND:20260401T081500Z",
        "DTSTAMP:20260325T010000Z",
        "UID:booking-812@floorwise",
        "LOCATION:文京シビックセンター\\, 6F\\, desk 6F-N1-07",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def _day(session: Session, user: User, day: dt.date | None, now: dt.datetime) -> tuple[dt.date, ZoneInfo]:
    """The day asked for (default: today) and the time zone it is read in, that of ``user``'s home building."""
    zone = home_zone(session, user)
    return day or now.astimezone(zone).date(), zone


@router.get("/team", response_model=list[WhereaboutsRead], responses=problem_responses(401))
def team(
    user: CurrentUser, session: SessionDep, now: NowDep, date: Annotated[BoundedDate | None, Query()] = None
) -> list[WhereaboutsRead]:
    """Where the people of my unit (and its sub-units) sit on a date (default today): desk and floor, or none."""
    day, zone = _day(session, user, date, now)
    return [WhereaboutsRead.of(w) for w in whereabouts(session, team_of(session, user), day, zone=zone)]


@router.get("/people", response_model=list[WhereaboutsRead], responses=problem_responses(401))
def people(
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    q: Annotated[SearchText, Query(description="Part of a name or e-mail; any case or width.")],
    date: Annotated[BoundedDate | None, Query()] = None,
) -> list[WhereaboutsRead]:
    """Find colleagues by name (substring, case- and width-insensitive, Japanese too) and where they sit."""
    day, zone = _day(session, user, date, now)
    return [WhereaboutsRead.of(w) for w in whereabouts(session, find_people(session, q), day, zone=zone)]


@router.post("/calendar/token", response_model=CalendarLinkRead, responses=problem_responses(401))
def renew_calendar(
    request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep, now: NowDep
) -> CalendarLinkRead:
    """A new secret URL for my calendar feed; any earlier one stops working."""
    revoke_tokens_of(session, user, kind=TokenKind.CALENDAR, now=now)
    secret = issue_token(
        session, user, kind=TokenKind.CALENDAR, key=settings.secret_key.get_secret_value(), now=now, lifetime=None
    )
    return CalendarLinkRead(url=str(request.url_for("calendar_feed", token=secret)))


@router.delete("/calendar/token", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
def revoke_calendar(user: CurrentUser, session: SessionDep, now: NowDep) -> Response:
    """Stop my calendar feed's URL from working."""
    revoke_tokens_of(session, user, kind=TokenKind.CALENDAR, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/calendar/{token}.ics",
    name="calendar_feed",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {"example": CALENDAR_EXAMPLE}}, "description": "An iCalendar feed"},
        **problem_responses(404),
    },
)
def calendar_feed(token: UrlSecret, session: SessionDep, settings: SettingsDep, now: NowDep) -> Response:
    """My bookings as iCalendar, for a calendar application to subscribe to; no login, the URL is the secret."""
    user: User | None = user_from_token(
        session, token, kind=TokenKind.CALENDAR, key=settings.secret_key.get_secret_value(), now=now
    )
    if user is None:
        raise NotFound("no such calendar (the link may have been renewed or revoked)")
    return Response(calendar_of(session, user, now=now), media_type="text/calendar; charset=utf-8")
