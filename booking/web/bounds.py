"""Bounds on what a client sends, as annotated types that request bodies and query, path and header parameters share:
dates within ten years of today (by the application's clock), ids that fit a 32-bit column, strings that fit their
columns and carry no NUL character (PostgreSQL cannot store one), wall-clock times without an offset.

A value out of bounds is a 422 naming the field (`booking.api.problems`), never an overflow or a database error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Annotated, Any

from annotated_types import Interval
from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from booking.clock import Clock, SystemClock

#: The largest id a client may send: ids are 32-bit integer columns on PostgreSQL (``serial``).
MAX_ID = 2**31 - 1
#: Dates a client sends are at most this many years before or after today.
WINDOW_YEARS = 10
#: The longest span of days one request may cover (blocks, recurring bookings): two years.
MAX_SPAN_DAYS = 731
#: The largest number of minutes a rule may hold (cut-offs, longest booking): a year, well inside the column.
MAX_RULE_MINUTES = 366 * 24 * 60

_REQUEST_CLOCK: ContextVar[Clock] = ContextVar("floorwise_request_clock")
_SYSTEM_CLOCK = SystemClock()


def today() -> dt.date:
    """Today by the clock of the application serving the request (the system's clock outside a request)."""
    return _REQUEST_CLOCK.get(_SYSTEM_CLOCK).now().date()


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(on: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last date a client may send (``WINDOW_YEARS`` either side of ``on``, default today)."""
    centre = on or today()
    return _years_from(centre, -WINDOW_YEARS), _years_from(centre, WINDOW_YEARS)


def _within_window(day: dt.date) -> None:
    first, last = date_window()
    if not first <= day <= last:
        raise PydanticCustomError(
            "date_out_of_range",
            "must be from {first} to {last} (within {years} years of today)",
            {"first": first.isoformat(), "last": last.isoformat(), "years": WINDOW_YEARS},
        )


def _check_date(value: dt.date) -> dt.date:
    _within_window(value)
    return value


def _check_datetime(value: dt.datetime) -> dt.datetime:
    _within_window(value.date())
    return value


class RequestClock:
    """ASGI middleware: the bounds of a request's dates are read from ``clock_of()``, the application's clock."""

    def __init__(self, app: Callable[..., Awaitable[None]], clock_of: Callable[[], Clock]) -> None:
        self.app = app
        self.clock_of = clock_of

    async def __call__(
        self, scope: MutableMapping[str, Any], receive: Callable[..., Any], send: Callable[..., Any]
    ) -> None:
        token = _REQUEST_CLOCK.set(self.clock_of())
        try:
            await self.app(scope, receive, send)
        finally:
            _REQUEST_CLOCK.reset(token)


class NoNul:
    """A string without NUL characters: PostgreSQL text cannot hold one, and no name, id or reason needs one.
    The OpenAPI schema says so with a pattern; the error says it in words."""

    PATTERN = r"^[^\x00]*$"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_refuse_nul, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found["pattern"] = self.PATTERN
        return found


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("string_nul", "must not contain a NUL character (\\x00)")
    return value


#: A row id in a path, query or body.
Id = Annotated[int, Interval(ge=1, le=MAX_ID)]
#: A day of the week, 0 (Monday) to 6 (Sunday).
Weekday = Annotated[int, Interval(ge=0, le=6)]
#: Minutes a rule holds.
RuleMinutes = Annotated[int, Interval(ge=0, le=MAX_RULE_MINUTES)]

#: A date within `WINDOW_YEARS` of today.
BoundedDate = Annotated[dt.date, AfterValidator(_check_date)]
#: A datetime on a date within `WINDOW_YEARS` of today (with or without an offset).
BoundedDateTime = Annotated[dt.datetime, AfterValidator(_check_datetime)]

#: Ids of users, units, buildings, spaces (``String(100)`` columns), non-empty.
Key = Annotated[str, StringConstraints(min_length=1, max_length=100), NoNul()]
#: Names of people, units, zones (``String(200)``).
Name = Annotated[str, StringConstraints(max_length=200), NoNul()]
#: Reasons for blocks and closures (``String(500)``).
Reason = Annotated[str, StringConstraints(max_length=500), NoNul()]
#: An e-mail address (``String(320)``).
Email = Annotated[str, StringConstraints(max_length=320), NoNul()]
#: A search for people by part of a name or e-mail.
SearchText = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul()]
#: An IANA time zone name (``String(64)``).
TimezoneName = Annotated[str, StringConstraints(min_length=1, max_length=64), NoNul()]
#: An ISO 3166 country code for public holidays (``String(8)``).
CountryCode = Annotated[str, StringConstraints(min_length=1, max_length=8), NoNul()]
#: An audit entry's entity kind (``String(50)``).
EntityKind = Annotated[str, StringConstraints(max_length=50), NoNul()]
#: An audit entry's entity id (``String(100)``).
EntityId = Annotated[str, StringConstraints(max_length=100), NoNul()]
#: An Idempotency-Key header (``String(200)``).
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul()]
#: A secret in a URL (a calendar feed's token); real ones are 43 characters.
UrlSecret = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul()]
#: A password given to a new account (hashed; bounded so that hashing stays cheap).
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024), NoNul()]

_LOCAL_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _local_time(value: Any) -> Any:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise PydanticCustomError("local_time", "a local wall-clock time has no UTC offset")
        return value
    if isinstance(value, str):
        matched = _LOCAL_TIME.fullmatch(value)
        if matched is None:
            raise PydanticCustomError(
                "local_time", "must be a local wall-clock time HH:MM or HH:MM:SS, without a UTC offset"
            )
        hours, minutes, seconds = matched.groups()
        return dt.time(int(hours), int(minutes), int(seconds or 0))
    raise PydanticCustomError("local_time", "must be a string HH:MM or HH:MM:SS")


#: A local wall-clock time of a building, ``HH:MM`` or ``HH:MM:SS``: no offset (the building's time zone applies).
LocalTime = Annotated[
    dt.time,
    BeforeValidator(_local_time),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["08:30", "17:15:00"]}),
]


def span_checked(first: dt.date | None, last: dt.date) -> dt.date:
    """``last`` (a last day, included) if it is on or after ``first`` and the two cover at most `MAX_SPAN_DAYS`."""
    if first is None:  # the first day was refused on its own
        return last
    if last < first:
        raise PydanticCustomError("span_reversed", "must not be before first_day ({first})", {"first": str(first)})
    days = (last - first).days + 1
    if days > MAX_SPAN_DAYS:
        raise PydanticCustomError(
            "span_too_long",
            "covers at most {most} days from first_day, not {days}",
            {"most": MAX_SPAN_DAYS, "days": days},
        )
    return last
