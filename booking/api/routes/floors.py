"""Floors and the availability of their desks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import TypeAdapter
from sqlalchemy import select

from booking.api.problems import problem_responses
from booking.api.schemas import FloorRead
from booking.api.schemas_availability import AvailabilityRead, desk_read
from booking.models import FloorRow
from booking.services.availability import floor_availability, floor_context
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Slot
from booking.services.time_requests import resolve, time_request
from booking.web.bounds import BoundedDate, BoundedDateTime, Id, Key
from booking.web.deps import CurrentUser, NowDep, SessionDep
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["floors"], route_class=TransactionRoute)

#: Query parameters of the availability endpoint itself; any other is a desk attribute filter.
_OWN_PARAMETERS = {"date", "slot", "start", "end"}


@router.get("/floors", response_model=list[FloorRead], responses=problem_responses(401))
def floors(_user: CurrentUser, session: SessionDep, building: Key | None = None) -> list[FloorRead]:
    """The floors in use, lowest first, with the ids availability asks for."""
    query = select(FloorRow).where(FloorRow.retired.is_(False)).order_by(FloorRow.building_id, FloorRow.level)
    if building:
        query = query.where(FloorRow.building_id == building)
    return [
        FloorRead(id=f.id, ref=f.ref, name=f.name, level=f.level, building_id=f.building_id)
        for f in session.scalars(query)
    ]


@router.get(
    "/floors/{floor_id}/availability",
    response_model=AvailabilityRead,
    responses=problem_responses(401, 404, 422),
)
def availability(
    floor_id: Id,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    date: Annotated[BoundedDate | None, Query(description="Local date, with slot.")] = None,
    slot: Annotated[
        Slot | None, Query(description="full (the default), am or pm: presets of the building's office hours.")
    ] = None,
    start: Annotated[BoundedDateTime | None, Query(description="ISO 8601; without offset, local time.")] = None,
    end: Annotated[BoundedDateTime | None, Query(description="ISO 8601; without offset, local time.")] = None,
) -> Response:
    """Every desk of the floor with its state (free, mine, booked, blocked, fixed, reserved, closed, retired) and
    why. Other query parameters filter by desk attribute: ``?monitor=true&standing=true``."""
    floor, building = floor_context(session, floor_id)
    zone = zone_info(building.timezone)
    today = now.astimezone(zone).date()
    when = time_request(day=date, slot=slot, start=start, end=end, today=today)
    interval = resolve(when, office_hours(building), zone)
    filters = {k: v for k, v in request.query_params.items() if k not in _OWN_PARAMETERS}
    result = floor_availability(
        session,
        floor_id,
        interval=interval,
        viewer=user,
        now=now,
        filters=filters,
        cache=request.app.state.desk_layouts,
    )
    body = {
        "floor_id": floor.id,
        "floor": floor.name,
        "start": interval.start.astimezone(zone),
        "end": interval.end.astimezone(zone),
        "desks": [desk_read(d, zone) for d in result.desks],
    }
    # Serialised by pydantic's core without validating a thousand desks again: `floor_availability` built them.
    return Response(_JSON.dump_json(body), media_type="application/json")


_JSON: TypeAdapter[dict[str, object]] = TypeAdapter(dict[str, object])
