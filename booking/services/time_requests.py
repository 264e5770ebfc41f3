"""Which time was asked for: a preset of the building's office hours on a local date (`Preset`), or an explicit
start and end (`Span`). The API's bodies and queries, the pages' forms and the services all say it this way, and
`time_request` is the one place that decides which of the two a request means.

A request is resolved to a UTC `Interval` with the building's office hours and time zone (`resolve`): a preset from
its local wall-clock times, a span's times as given (a time without an offset is wall-clock time in the building's
zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from booking.errors import InvalidRequest
from booking.messages import N_
from booking.services.intervals import Interval, OfficeHours, Slot, parse_instant

#: The refusal of a request that says neither, or both.
EITHER_OR = N_("give either date and slot, or start and end")


@dataclass(frozen=True, slots=True)
class Preset:
    """A preset ``slot`` (full day, morning, afternoon) on the local date ``day``."""

    day: date
    slot: Slot = Slot.FULL


@dataclass(frozen=True, slots=True)
class Span:
    """From ``start`` to ``end``; either may be naive (wall-clock time in the building's time zone)."""

    start: datetime
    end: datetime


TimeRequest = Preset | Span


def parse_slot(slot: Slot | str) -> Slot:
    try:
        return Slot(slot)
    except ValueError:
        raise InvalidRequest("unknown slot %(slot)r: use full, am or pm", words={"slot": slot}) from None


def time_request(
    *,
    day: date | None = None,
    slot: Slot | str | None = None,
    start: datetime | str | None = None,
    end: datetime | str | None = None,
    today: date | None = None,
) -> TimeRequest:
    """The request that ``day`` and ``slot`` (a preset; the slot defaults to a full day), or ``start`` and ``end``
    (ISO 8601 text or datetimes) make. ``today`` is the date of a preset asked for without one (a map opened
    without a date); without it a preset needs its ``day``. Mixing the two ways, or half of one, is refused."""
    if start is None and end is None:
        day = day or today
        if day is None:
            raise InvalidRequest(EITHER_OR)
        return Preset(day, parse_slot(slot or Slot.FULL))
    if start is None or end is None or day is not None or slot is not None:
        raise InvalidRequest(EITHER_OR)
    return Span(_instant(start), _instant(end))


def _instant(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRequest("%(value)r is not an ISO 8601 time", words={"value": value}) from None


def resolve(request: TimeRequest, hours: OfficeHours, zone: ZoneInfo) -> Interval:
    """The UTC interval ``request`` means in a building with office ``hours`` in time zone ``zone``."""
    if isinstance(request, Preset):
        return hours.interval(request.day, request.slot, zone)
    return Interval(parse_instant(request.start, zone), parse_instant(request.end, zone))
