"""The availability of a floor's desks as the API answers it: each desk's state with an English ``reason`` and the
``details`` a client words it from in another language, built from the service's typed state."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from booking.services.availability import (
    Blocked,
    DeskState,
    DeskStateKind,
    FixedDesk,
    Free,
    Held,
    Reserved,
)
from booking.services.calendar_rules import ClosedDay


class DeskAvailabilityRead(BaseModel):
    id: int
    ref: str
    name: str
    space: str
    hourly: bool
    attributes: dict[str, Any]
    x: float | None
    y: float | None
    state: Literal["free", "mine", "booked", "blocked", "fixed", "reserved", "closed", "retired"]
    reason: str
    booking_id: int | None = None
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="The particulars of the reason, to word it in another language: closed (as a closed_day "
        "refusal: day, closed, weekday / holiday / reason), blocked (reason), reserved (units, release).",
    )


class AvailabilityRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "floor_id": 9,
                    "floor": "6F",
                    "start": "2026-04-01T08:30:00+09:00",
                    "end": "2026-04-01T17:15:00+09:00",
                    "desks": [
                        {
                            "id": 1041,
                            "ref": "6F-N1-07",
                            "name": "",
                            "space": "6F-N1",
                            "hourly": False,
                            "attributes": {"monitor": True},
                            "x": 12.5,
                            "y": 4.0,
                            "state": "free",
                            "reason": "",
                            "booking_id": None,
                            "details": {},
                        },
                        {
                            "id": 1042,
                            "ref": "6F-N1-08",
                            "name": "",
                            "space": "6F-N1",
                            "hourly": False,
                            "attributes": {},
                            "x": 14.0,
                            "y": 4.0,
                            "state": "blocked",
                            "reason": "new chair on order",
                            "booking_id": None,
                            "details": {"reason": "new chair on order"},
                        },
                    ],
                }
            ]
        }
    )

    floor_id: int
    floor: str
    start: dt.datetime
    end: dt.datetime
    desks: list[DeskAvailabilityRead]


def desk_reason(desk: DeskState, zone: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """A desk's ``reason`` in English and its ``details``: a closed day's (as a ``closed_day`` refusal's members),
    a block's ``reason``, a reservation's ``units`` and ``release`` (ISO, in the building's time zone)."""
    particulars = desk.particulars
    if isinstance(particulars, ClosedDay):
        return particulars.detail, particulars.members
    if isinstance(particulars, Held):
        span = _span(particulars.start, particulars.end, zone)
        if desk.kind is DeskStateKind.MINE:
            return f"your booking {span}" + (" (checked in)" if particulars.checked_in else ""), {}
        return f"booked {span}", {}
    if isinstance(particulars, Blocked):
        return particulars.reason, {"reason": particulars.reason}
    if isinstance(particulars, FixedDesk):
        return f"fixed desk of {particulars.owner}", {}
    if isinstance(particulars, Reserved):
        until = particulars.release.astimezone(zone)
        units = list(particulars.units)
        return f"kept for {', '.join(units)} until {until:%Y-%m-%d %H:%M}", {
            "units": units,
            "release": until.isoformat(),
        }
    if isinstance(particulars, Free):
        if particulars.released_at is not None:
            return f"released: not checked in by {particulars.released_at.astimezone(zone):%H:%M}", {}
        return ("your fixed desk" if particulars.own_fixed else ""), {}
    if desk.kind is DeskStateKind.RETIRED:
        return "no longer in the building", {}
    return "", {}


@lru_cache(maxsize=1024)
def _span(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    # A busy floor has a thousand bookings and a handful of distinct spans.
    return f"{start.astimezone(zone):%H:%M}-{end.astimezone(zone):%H:%M}"


def desk_read(desk: DeskState, zone: ZoneInfo) -> dict[str, object]:
    """One desk as `DeskAvailabilityRead` says it, as plain data: a busy floor has a thousand desks, serialised
    without validating each again (the service built them)."""
    reason, details = desk_reason(desk, zone)
    return {
        "id": desk.id,
        "ref": desk.ref,
        "name": desk.name,
        "space": desk.space,
        "hourly": desk.hourly,
        "attributes": dict(desk.attributes),
        "x": desk.x,
        "y": desk.y,
        "state": desk.kind.value,
        "reason": reason,
        "booking_id": desk.booking_id,
        "details": details,
    }
