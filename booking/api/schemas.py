"""Request and response bodies of the API, with the examples the OpenAPI document shows."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from booking.services.intervals import Slot

BOOKING_EXAMPLE: dict[str, Any] = {
    "id": 812,
    "desk_id": 1041,
    "desk": "6F-N1-07",
    "floor_id": 9,
    "floor": "6F",
    "user_id": "sato",
    "start": "2026-04-01T08:30:00+09:00",
    "end": "2026-04-01T17:15:00+09:00",
    "state": "booked",
}


class TokenRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"access_token": "q3T…", "token_type": "bearer"}]})

    access_token: str
    token_type: Literal["bearer"] = "bearer"


class PersonRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "sato", "name": "佐藤 花子", "email": "sato@example.jp", "unit": "kumin.koseki", "role": "staff"}
            ]
        }
    )

    id: str
    name: str
    email: str | None = None
    unit: str | None = None
    role: str = "staff"


class FloorRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": 9, "ref": "6F", "name": "6F", "level": 6, "building_id": "bcc"}]}
    )

    id: int
    ref: str
    name: str
    level: int
    building_id: str


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


class BookingCreate(BaseModel):
    """A preset (``date`` and ``slot``) or an interval (``start`` and ``end``, ISO 8601; without an offset, the
    building's local time). ``user_id`` books for someone else (managers for their unit, admins for anyone)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"desk_id": 1041, "date": "2026-04-01", "slot": "full"},
                {"desk_id": 2077, "start": "2026-04-01T13:00:00+09:00", "end": "2026-04-01T15:00:00+09:00"},
            ]
        },
    )

    desk_id: int
    date: dt.date | None = None
    slot: Slot | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    user_id: str | None = None

    @model_validator(mode="after")
    def one_way_of_saying_when(self) -> BookingCreate:
        preset = self.date is not None or self.slot is not None
        interval = self.start is not None or self.end is not None
        if preset == interval:
            raise ValueError("give either date and slot, or start and end")
        if preset and self.date is None:
            raise ValueError("a slot needs a date")
        if preset and self.slot is None:
            self.slot = Slot.FULL
        if interval and (self.start is None or self.end is None):
            raise ValueError("give both start and end")
        return self


class BookingRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [BOOKING_EXAMPLE]})

    id: int
    desk_id: int
    desk: str
    floor_id: int
    floor: str
    user_id: str
    start: dt.datetime
    end: dt.datetime
    state: Literal["booked", "checked_in", "cancelled", "no_show"]


class SeriesCreate(BaseModel):
    """Weekly on ``weekdays`` (0 Monday .. 6 Sunday) from ``first_day`` to ``last_day``, as a preset ``slot`` or
    from ``start_time`` to ``end_time`` (local wall-clock times)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"desk_id": 1041, "weekdays": [0, 2], "first_day": "2026-04-06", "last_day": "2026-04-30", "slot": "am"}
            ]
        },
    )

    desk_id: int
    weekdays: list[int] = Field(min_length=1)
    first_day: dt.date
    last_day: dt.date
    slot: Slot | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    user_id: str | None = None


class OccurrenceRead(BaseModel):
    date: dt.date
    status: Literal["created", "refused"]
    booking: BookingRead | None = None
    rule: str | None = None
    detail: str | None = None
    conflict: dict[str, Any] | None = None


class SeriesRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "series_id": "5a0c…",
                    "created": 1,
                    "refused": 1,
                    "occurrences": [
                        {"date": "2026-04-06", "status": "created", "booking": BOOKING_EXAMPLE},
                        {
                            "date": "2026-04-29",
                            "status": "refused",
                            "rule": "closed_day",
                            "detail": "2026-04-29 is a public holiday (昭和の日)",
                        },
                    ],
                }
            ]
        }
    )

    series_id: str | None
    created: int
    refused: int
    occurrences: list[OccurrenceRead]


class WhereaboutsRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "sato",
                    "name": "佐藤 花子",
                    "unit": "kumin.koseki",
                    "unit_name": "戸籍住民課",
                    "desk_id": 1041,
                    "desk": "6F-N1-07",
                    "floor_id": 9,
                    "floor": "6F",
                    "start": "2026-04-01T08:30:00+09:00",
                    "end": "2026-04-01T17:15:00+09:00",
                },
                {
                    "id": "tanaka",
                    "name": "田中 一郎",
                    "unit": "kumin.koseki",
                    "unit_name": "戸籍住民課",
                    "desk_id": None,
                    "desk": None,
                    "floor_id": None,
                    "floor": None,
                    "start": None,
                    "end": None,
                },
            ]
        }
    )

    id: str
    name: str
    unit: str | None
    unit_name: str
    desk_id: int | None
    desk: str | None
    floor_id: int | None
    floor: str | None
    start: dt.datetime | None
    end: dt.datetime | None


class CalendarLinkRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"url": "https://desks.example.jp/api/calendar/Xy….ics"}]}
    )

    url: str


class RulesRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "timezone": "Asia/Tokyo",
                    "opens_at": "08:30:00",
                    "closes_at": "17:15:00",
                    "noon": "12:00:00",
                    "days_ahead": 28,
                    "longest_booking_minutes": None,
                    "hourly_step_minutes": 30,
                    "one_desk_per_person": True,
                    "closed_weekdays": [5, 6],
                    "holiday_country": "JP",
                    "cancel_cutoff_minutes": 0,
                    "check_in_required": True,
                    "check_in_opens_minutes": 30,
                    "check_in_closes_minutes": 60,
                    "zone_release_time": "15:00:00",
                    "show_booker_names": True,
                }
            ]
        }
    )

    timezone: str
    opens_at: dt.time
    closes_at: dt.time
    noon: dt.time
    days_ahead: int
    longest_booking_minutes: int | None
    hourly_step_minutes: int
    one_desk_per_person: bool
    closed_weekdays: list[int]
    holiday_country: str | None
    cancel_cutoff_minutes: int
    check_in_required: bool
    check_in_opens_minutes: int
    check_in_closes_minutes: int
    zone_release_time: dt.time
    show_booker_names: bool


class RulesUpdate(BaseModel):
    """The rules to change; those left out stay as they are."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"days_ahead": 14, "opens_at": "09:00", "closes_at": "18:00"}]}
    )

    timezone: str | None = None
    opens_at: dt.time | None = None
    closes_at: dt.time | None = None
    noon: dt.time | None = None
    days_ahead: int | None = Field(default=None, ge=0, le=366)
    longest_booking_minutes: int | None = Field(default=None, ge=1)
    hourly_step_minutes: int | None = Field(default=None, ge=1, le=240)
    one_desk_per_person: bool | None = None
    closed_weekdays: list[int] | None = None
    holiday_country: str | None = None
    cancel_cutoff_minutes: int | None = Field(default=None, ge=0)
    check_in_required: bool | None = None
    check_in_opens_minutes: int | None = Field(default=None, ge=0)
    check_in_closes_minutes: int | None = Field(default=None, ge=1)
    zone_release_time: dt.time | None = None
    show_booker_names: bool | None = None


class ClosureCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"day": "2026-12-29", "reason": "年末休業"}]})

    day: dt.date
    reason: str = ""


class ClosureRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 3, "building_id": "bcc", "day": "2026-12-29", "reason": "年末休業", "affected_bookings": [1204]}
            ]
        }
    )

    id: int
    building_id: str
    day: dt.date
    reason: str
    affected_bookings: list[int] = []


class BlockCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"desk_ids": [1041, 1042], "first_day": "2026-04-01", "last_day": "2026-04-03", "reason": "carpet"}
            ]
        }
    )

    desk_ids: list[int] = Field(min_length=1)
    first_day: dt.date
    last_day: dt.date
    reason: str = Field(min_length=1)


class BlockRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 17,
                    "desk_id": 1042,
                    "first_day": "2026-04-01",
                    "last_day": "2026-04-03",
                    "reason": "new chair on order",
                }
            ]
        }
    )

    id: int
    desk_id: int
    first_day: dt.date
    last_day: dt.date
    reason: str


class ZoneCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "戸籍 north",
                    "unit_id": "kumin.koseki",
                    "weekdays": [0, 1, 2, 3, 4],
                    "space_refs": ["6F-N1"],
                    "desk_ids": [],
                }
            ]
        }
    )

    name: str
    unit_id: str
    weekdays: list[int] = Field(min_length=1)
    desk_ids: list[int] = []
    space_refs: list[str] = []


class ZoneRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 2,
                    "building_id": "bcc",
                    "name": "戸籍 north",
                    "unit_id": "kumin.koseki",
                    "weekdays": [0, 1, 2, 3, 4],
                    "desk_ids": [],
                    "space_refs": ["6F-N1"],
                }
            ]
        }
    )

    id: int
    building_id: str
    name: str
    unit_id: str
    weekdays: list[int]
    desk_ids: list[int]
    space_refs: list[str]


class OwnerUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"owner_id": "tanaka"}, {"owner_id": None}]})

    owner_id: str | None


class DeskRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 1043, "ref": "6F-N1-09", "name": "", "floor_id": 9, "owner_id": "tanaka", "retired": False}
            ]
        }
    )

    id: int
    ref: str
    name: str
    floor_id: int
    owner_id: str | None
    retired: bool


class AuditRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 31,
                    "at": "2026-03-31T23:40:00Z",
                    "actor": "sato",
                    "action": "booking.cancel",
                    "entity": "booking",
                    "entity_id": "812",
                    "before": {"state": "booked"},
                    "after": {"state": "cancelled"},
                }
            ]
        }
    )

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class UnitWrite(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": "kumin.koseki", "name": "戸籍住民課", "parent": "kumin"}]}
    )

    id: str = Field(min_length=1, max_length=100)
    name: str = ""
    parent: str | None = None


class UnitRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": "kodomo.kosodate", "name": "子育て支援課", "parent": "kodomo"},
                {"id": "kodomo", "name": "子ども家庭部", "parent": None},
            ]
        }
    )

    id: str
    name: str
    parent: str | None


class UserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "sato",
                    "name": "佐藤 花子",
                    "email": "sato@example.jp",
                    "unit": "kumin.koseki",
                    "password": "correct horse battery staple",
                    "role": "staff",
                }
            ]
        }
    )

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1)
    email: str | None = None
    unit: str | None = None
    password: str | None = Field(default=None, min_length=8)
    role: Literal["staff", "manager", "admin"] = "staff"


class BuildingRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": "bcc", "name": "文京シビックセンター", "timezone": "Asia/Tokyo"}]}
    )

    id: str
    name: str
    timezone: str


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``). ``rule`` names the booking rule that refused
    a request, ``right`` the right a user lacks, ``conflict`` the overlapping booking, ``errors`` what failed
    validation."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    rule: str | None = None
    right: str | None = None
    conflict: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = None
