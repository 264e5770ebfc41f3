"""Half-open time intervals, the one overlap rule, and the building's presets (full day, morning, afternoon).

The overlap rule, in Python (`overlaps`) and SQL (`overlaps_clause`), for [start, end) and [other_start, other_end):

    start < other_end and other_start < end

    case        this booking          other booking         overlap?
    touching    09:00-12:00           12:00-17:00           no   (end == other start: the desk is handed over)
    touching    12:00-17:00           09:00-12:00           no
    inside      10:00-11:00           09:00-12:00           yes
    around      08:00-18:00           09:00-12:00           yes
    same        09:00-12:00           09:00-12:00           yes
    crossing    11:00-13:00           09:00-12:00           yes
    before      07:00-08:00           09:00-12:00           no
    after       13:00-14:00           09:00-12:00           no

(tests/booking/services/test_intervals.py checks every row, in Python and against the database.)

Times are stored in UTC and shown in the building's time zone. A preset is built from local wall-clock times on a
local date, each turned into UTC by itself, so on the day clocks change a full day lasts the real hours between
its two wall-clock times (zoneinfo resolves a time that does not exist, or exists twice, by its ``fold``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam
from sqlalchemy.orm import QueryableAttribute

from booking.errors import InvalidRequest

#: No booking is longer than this (one office day, 25 real hours on the day clocks go back): interval queries seek
#: from ``start - MAX_BOOKING_SPAN`` on the (desk, start) index instead of scanning a desk's whole history.
MAX_BOOKING_SPAN = timedelta(hours=25)


class Slot(StrEnum):
    FULL = "full"
    AM = "am"
    PM = "pm"


@dataclass(frozen=True, slots=True)
class Interval:
    """[start, end), both timezone-aware."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise InvalidRequest("times must carry a UTC offset")
        if not self.start < self.end:
            raise InvalidRequest(
                "the end (%(end)s) is not after the start (%(start)s)", words={"start": self.start, "end": self.end}
            )

    def overlaps(self, other: Interval) -> bool:
        return overlaps(self.start, self.end, other.start, other.end)

    @property
    def duration(self) -> timedelta:
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def utc(self) -> Interval:
        return Interval(self.start.astimezone(UTC), self.end.astimezone(UTC))


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """Whether [start, end) and [other_start, other_end) share a moment."""
    return start < other_end and other_start < end


#: A column of instants: a mapped attribute (``Booking.start_utc``) or a column expression.
Instants = ColumnElement[datetime] | QueryableAttribute[datetime]


def overlaps_clause(
    start_column: Instants, end_column: Instants, start: datetime, end: datetime
) -> ColumnElement[bool]:
    """The same rule in SQL: rows whose [start_column, end_column) overlaps [start, end).

    The extra ``start_column > start - MAX_BOOKING_SPAN`` changes no answer (no row is longer than that) but
    lets the database seek on an index that begins with the start column.
    """
    return _overlap(start_column, end_column, start, end, start - MAX_BOOKING_SPAN)


def overlaps_parameters_clause(start_column: Instants, end_column: Instants) -> ColumnElement[bool]:
    """`overlaps_clause` with the interval as the parameters of `overlap_parameters`, for a statement built once."""
    return _overlap(start_column, end_column, bindparam("start"), bindparam("end"), bindparam("earliest"))


def overlap_parameters(start: datetime, end: datetime) -> dict[str, datetime]:
    return {"start": start, "end": end, "earliest": start - MAX_BOOKING_SPAN}


def _overlap(
    start_column: Instants,
    end_column: Instants,
    start: datetime | BindParameter[datetime],
    end: datetime | BindParameter[datetime],
    earliest: datetime | BindParameter[datetime],
) -> ColumnElement[bool]:
    # Columns on the left: a parameter takes its type, and so its stored form (text on SQLite), from the column.
    return and_(start_column < end, end_column > start, start_column > earliest)


def local_time(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware datetime of wall-clock ``at`` on ``day`` in ``zone``."""
    return datetime.combine(day, at, tzinfo=zone)


@dataclass(frozen=True, slots=True)
class OfficeHours:
    opens: time
    closes: time
    noon: time

    def times(self, slot: Slot) -> tuple[time, time]:
        """The local wall-clock start and end of the preset ``slot``."""
        if slot is Slot.AM:
            return self.opens, self.noon
        if slot is Slot.PM:
            return self.noon, self.closes
        return self.opens, self.closes

    def interval(self, day: date, slot: Slot, zone: ZoneInfo) -> Interval:
        """The preset ``slot`` on local date ``day``, in UTC."""
        start, end = self.times(slot)
        return Interval(local_time(day, start, zone).astimezone(UTC), local_time(day, end, zone).astimezone(UTC))

    def day_interval(self, day: date, zone: ZoneInfo) -> Interval:
        return self.interval(day, Slot.FULL, zone)


def local_day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """Midnight to midnight of a local date, in UTC (23, 24 or 25 hours)."""
    return Interval(
        local_time(day, time(0), zone).astimezone(UTC),
        local_time(day + timedelta(days=1), time(0), zone).astimezone(UTC),
    )


def parse_instant(text: str | datetime, zone: ZoneInfo) -> datetime:
    """An ISO 8601 time; without an offset it is wall-clock time in ``zone``. Returned in UTC."""
    value = text if isinstance(text, datetime) else datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def to_local(value: datetime, zone: ZoneInfo) -> datetime:
    return value.astimezone(zone)
