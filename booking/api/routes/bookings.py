"""Booking desks: one at a time, recurring, cancelling, checking in; a person's own bookings."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from booking.api.problems import problem_responses
from booking.api.schemas import BookingCreate, BookingRead, OccurrenceRead, SeriesCreate, SeriesRead
from booking.errors import Conflict, NotFound, RuleRefused
from booking.models import Booking, User
from booking.services import idempotency
from booking.services.bookings import (
    BookingView,
    book_desk,
    book_series,
    booking_views,
    bookings_of,
    cancel_booking,
    check_in,
    mark_no_shows,
    visible_booking,
)
from booking.services.permissions import require
from booking.web.bounds import Id, IdempotencyKey
from booking.web.deps import CredentialDep, CurrentUser, NowDep, SessionDep, SettingsDep, user_of_credential
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api/bookings", tags=["bookings"], route_class=TransactionRoute)


def _view(session: Session, booking: Booking) -> BookingView:
    return booking_views(session, [booking])[0]


def _person(session: Session, user: User, user_id: str | None) -> User:
    if user_id is None or user_id == user.id:
        return user
    person = session.get(User, user_id)
    if person is None:
        raise NotFound("no person %(id)r", words={"id": user_id})
    return person


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=BookingRead,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_booking(
    body: BookingCreate,
    request: Request,
    credential: CredentialDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    idempotency_key: Annotated[
        IdempotencyKey | None,
        Header(description="Send the same key to retry safely: the first success is returned again for 24 h."),
    ] = None,
) -> BookingView | JSONResponse:
    """Book a desk for a preset (date and slot) or an interval (start and end).

    409 names the conflicting booking; 422 and 409 name the refusing rule in ``rule``.
    """
    # The caller is looked up in the booking's own transaction: one statement, no session or thread of its own.
    user = user_of_credential(session, credential, settings, now)
    digest = ""
    if idempotency_key:
        digest = idempotency.request_digest("POST", request.url.path, body.model_dump(mode="json"))
        kept = idempotency.remembered(
            session,
            user_id=user.id,
            key=idempotency_key,
            digest=digest,
            now=now,
            keep=timedelta(hours=settings.idempotency_hours),
        )
        if kept is not None:
            return JSONResponse(kept.body, status_code=kept.status_code, headers={"Idempotent-Replayed": "true"})
    person = _person(session, user, body.user_id)
    booking = book_desk(
        session,
        user=person,
        desk_id=body.desk_id,
        now=now,
        when=body.when,
        actor=user,
    )
    view = _view(session, booking)
    if idempotency_key:
        answer = BookingRead.model_validate(view, from_attributes=True).model_dump(mode="json")
        idempotency.remember(
            session, user_id=user.id, key=idempotency_key, digest=digest, status_code=201, body=answer, now=now
        )
    return view


@router.post("/recurring", response_model=SeriesRead, responses=problem_responses(401, 403, 404, 422))
def create_series(body: SeriesCreate, user: CurrentUser, session: SessionDep, now: NowDep) -> SeriesRead:
    """Weekly bookings, date by date: each is created or refused (with its rule or conflict); partial success is
    kept and reported."""
    person = _person(session, user, body.user_id)
    results = book_series(
        session,
        user=person,
        desk_id=body.desk_id,
        weekdays=body.weekdays,
        first_day=body.first_day,
        last_day=body.last_day,
        now=now,
        slot=body.slot,
        start_time=body.start_time,
        end_time=body.end_time,
        actor=user,
    )
    made = [r.booking for r in results if r.booking is not None]
    views = {v.id: BookingRead.model_validate(v, from_attributes=True) for v in booking_views(session, made)}
    occurrences = []
    for r in results:
        if r.booking is not None:
            occurrences.append(OccurrenceRead(date=r.day, status="created", booking=views[r.booking.id]))
        else:
            assert r.error is not None
            occurrences.append(
                OccurrenceRead(
                    date=r.day,
                    status="refused",
                    rule=r.error.rule if isinstance(r.error, RuleRefused) else None,
                    detail=r.error.detail,
                    conflict=r.error.conflict if isinstance(r.error, Conflict) else None,
                )
            )
    return SeriesRead(
        series_id=made[0].series_id if made else None,
        created=len(made),
        refused=len(results) - len(made),
        occurrences=occurrences,
    )


@router.get("/mine", response_model=list[BookingRead], responses=problem_responses(401))
def my_bookings(user: CurrentUser, session: SessionDep, now: NowDep, all: bool = False) -> list[BookingView]:
    """My bookings that have not ended, soonest first (``?all=true`` adds cancelled ones and no-shows)."""
    return booking_views(session, bookings_of(session, user.id, since=now, include_inactive=all))


@router.post("/no-shows", response_model=list[BookingRead], responses=problem_responses(401, 403))
def no_shows(user: CurrentUser, session: SessionDep, now: NowDep) -> list[BookingView]:
    """Mark ``no_show`` every booking whose check-in window closed without a check-in (facilities admins)."""
    require(user, "mark_no_shows")
    return booking_views(session, mark_no_shows(session, now=now, actor=user.id))


# ``{booking_id:int}``: only digits route here, so that another method on /mine, /recurring or /no-shows is a 405
# (the path exists) and not a booking id that fails to parse.
@router.get("/{booking_id:int}", response_model=BookingRead, responses=problem_responses(401, 404))
def get_booking(booking_id: Id, user: CurrentUser, session: SessionDep) -> BookingView:
    """One booking: my own, one of my unit's as its manager, any as a facilities admin."""
    return _view(session, visible_booking(session, booking_id, viewer=user))


@router.delete("/{booking_id:int}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 404, 422))
def cancel(booking_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> Response:
    """Cancel a booking (the row is kept, as ``cancelled``), up to the building's cut-off before its start."""
    cancel_booking(session, booking_id, actor=user, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{booking_id:int}/check-in", response_model=BookingRead, responses=problem_responses(401, 404, 422))
def check_in_booking(booking_id: Id, user: CurrentUser, session: SessionDep, now: NowDep) -> BookingView:
    """Check in within the building's window around the start (by default 30 minutes before to 60 after)."""
    return _view(session, check_in(session, booking_id, actor=user, now=now))
