"""Request and response bodies of the API, with the examples the OpenAPI document shows."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import holidays
from annotated_types import Ge, Interval, MaxLen
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from booking.errors import InvalidRequest
from booking.services.intervals import Slot
from booking.services.people import Whereabouts
from booking.services.time_requests import Preset, TimeRequest, time_request
from booking.web.bounds import (
    BoundedDate,
    BoundedDateTime,
    CountryCode,
    Email,
    Id,
    Key,
    LocalTime,
    Name,
    Password,
    Reason,
    RuleMinutes,
    TimezoneName,
    Weekday,
    span_checked,
)


def _without_null(schema: dict[str, Any]) -> None:
    options = [option for option in schema.pop("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options


#: The default of a field that may be left out but not sent as ``null``: its schema says no null; a validator refuses
#: it (``X | None``, not a union with a hidden None, so that a bad value gets one error, not one per member).
LEFT_OUT: Any = Field(default=None, json_schema_extra=_without_null)

#: The most ids or refs one request may list (desks to block, a zone's desks and spaces).
MAX_LIST = 1000

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

    desk_id: Id
    date: BoundedDate | None = None
    slot: Slot | None = None
    start: BoundedDateTime | None = None
    end: BoundedDateTime | None = None
    user_id: Key | None = None
    _when: TimeRequest = PrivateAttr()

    @model_validator(mode="after")
    def one_way_of_saying_when(self) -> BookingCreate:
        try:
            when = time_request(day=self.date, slot=self.slot, start=self.start, end=self.end)
        except InvalidRequest as exc:
            raise ValueError(exc.detail) from None
        if isinstance(when, Preset):
            self.slot = when.slot
        self._when = when
        return self

    @property
    def when(self) -> TimeRequest:
        """The time asked for, as the services take it."""
        return self._when


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

    desk_id: Id
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    first_day: BoundedDate
    last_day: BoundedDate
    slot: Slot | None = None
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    user_id: Key | None = None

    @field_validator("last_day")
    @classmethod
    def short_enough(cls, last_day: dt.date, info: ValidationInfo) -> dt.date:
        return span_checked(info.data.get("first_day"), last_day)


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

    @classmethod
    def of(cls, seat: Whereabouts) -> WhereaboutsRead:
        """A person's whereabouts as the API says them."""
        person = seat.user
        return cls(
            id=person.id,
            name=person.name,
            unit=person.unit_id,
            unit_name=seat.unit_name,
            desk_id=seat.desk_id,
            desk=seat.desk,
            floor_id=seat.floor_id,
            floor=seat.floor,
            start=seat.start,
            end=seat.end,
        )


class CalendarLinkRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"url": "https://desks.example.jp/api/calendar/Xy….ics"}]}
    )

    url: str


class RulesRead(BaseModel):
    """A building's rules, read from its row."""

    model_config = ConfigDict(
        from_attributes=True,
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
                    "year_end_closure": True,
                    "cancel_cutoff_minutes": 0,
                    "check_in_required": True,
                    "check_in_opens_minutes": 30,
                    "check_in_closes_minutes": 60,
                    "zone_release_time": "15:00:00",
                    "show_booker_names": True,
                }
            ]
        },
    )

    timezone: str
    opens_at: LocalTime
    closes_at: LocalTime
    noon: LocalTime
    days_ahead: int
    longest_booking_minutes: int | None
    hourly_step_minutes: int
    one_desk_per_person: bool
    closed_weekdays: list[int]
    holiday_country: str | None
    year_end_closure: bool = Field(
        description="Closed 29 December to 3 January where holiday_country is JP (行政機関の休日に関する法律)."
    )
    cancel_cutoff_minutes: int
    check_in_required: bool
    check_in_opens_minutes: int
    check_in_closes_minutes: int
    zone_release_time: LocalTime
    show_booker_names: bool


class RulesUpdate(BaseModel):
    """The rules to change; those left out stay as they are. Times are the building's local wall-clock times
    (``HH:MM`` or ``HH:MM:SS``, no offset); only ``longest_booking_minutes`` and ``holiday_country`` may be
    ``null`` (no limit, no public holidays)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"days_ahead": 14, "opens_at": "09:00", "closes_at": "18:00"}]}
    )

    # ``= LEFT_OUT``: the rule may be left out, but not sent as null (`not_null` refuses that; the schema has no null).
    timezone: TimezoneName | None = LEFT_OUT
    opens_at: LocalTime | None = LEFT_OUT
    closes_at: LocalTime | None = LEFT_OUT
    noon: LocalTime | None = LEFT_OUT
    days_ahead: Annotated[int, Interval(ge=0, le=366)] | None = LEFT_OUT
    longest_booking_minutes: Annotated[RuleMinutes, Ge(1)] | None = None
    hourly_step_minutes: Annotated[int, Interval(ge=1, le=240)] | None = LEFT_OUT
    one_desk_per_person: bool | None = LEFT_OUT
    closed_weekdays: Annotated[list[Weekday], MaxLen(7)] | None = LEFT_OUT
    holiday_country: CountryCode | None = None
    year_end_closure: bool | None = LEFT_OUT
    cancel_cutoff_minutes: RuleMinutes | None = LEFT_OUT
    check_in_required: bool | None = LEFT_OUT
    check_in_opens_minutes: Annotated[int, Interval(ge=0, le=24 * 60)] | None = LEFT_OUT
    check_in_closes_minutes: Annotated[int, Interval(ge=1, le=24 * 60)] | None = LEFT_OUT
    zone_release_time: LocalTime | None = LEFT_OUT
    show_booker_names: bool | None = LEFT_OUT

    @field_validator(
        "timezone", "opens_at", "closes_at", "noon", "days_ahead", "hourly_step_minutes", "one_desk_per_person",
        "closed_weekdays", "year_end_closure", "cancel_cutoff_minutes", "check_in_required", "check_in_opens_minutes",
        "check_in_closes_minutes", "zone_release_time", "show_booker_names",
    )  # fmt: skip
    @classmethod
    def not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("not_null", "must not be null (leave the rule out to keep it)")
        return value

    @field_validator("holiday_country")
    @classmethod
    def known_country(cls, value: str | None) -> str | None:
        if value is not None and value not in holidays.list_supported_countries():
            raise PydanticCustomError(
                "unknown_country", "no public holidays known for {country} (an ISO 3166 code: JP, GB...)",
                {"country": value},
            )  # fmt: skip
        return value


class ClosureCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"day": "2026-12-29", "reason": "年末休業"}]})

    day: BoundedDate
    reason: Reason = ""


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

    desk_ids: list[Id] = Field(min_length=1, max_length=MAX_LIST)
    first_day: BoundedDate
    last_day: BoundedDate
    reason: Reason = Field(min_length=1)

    @field_validator("last_day")
    @classmethod
    def short_enough(cls, last_day: dt.date, info: ValidationInfo) -> dt.date:
        return span_checked(info.data.get("first_day"), last_day)


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

    name: Name = Field(min_length=1)
    unit_id: Key
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    desk_ids: list[Id] = Field(default=[], max_length=MAX_LIST)
    space_refs: list[Key] = Field(default=[], max_length=MAX_LIST)


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

    owner_id: Key | None


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

    id: Key
    name: Name = ""
    parent: Key | None = None


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

    id: Key
    name: Name = Field(min_length=1)
    email: Email | None = None
    unit: Key | None = None
    password: Password | None = None
    role: Literal["staff", "manager", "planner", "committee", "admin"] = "staff"


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
    validation, ``retry_after`` the seconds to wait before logging in again (429)."""

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
    retry_after: int | None = None
