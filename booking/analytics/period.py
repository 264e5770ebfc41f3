"""The days a report covers: local dates of a building, and the open ones among them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.errors import InvalidRequest
from booking.models import BuildingRow, Closure
from booking.services.calendar_rules import holiday_name

#: The longest period a report covers (two years): a guard against requests that would read the whole history.
MAX_DAYS = 731


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates ``since`` to ``until``, both included."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise InvalidRequest(
                "the period ends (%(until)s) before it starts (%(since)s)",
                words={"until": self.until, "since": self.since},
            )
        if self.length > MAX_DAYS:
            raise InvalidRequest(
                "a report covers at most %(most)s days, not %(days)s", words={"most": MAX_DAYS, "days": self.length}
            )

    @property
    def length(self) -> int:
        return (self.until - self.since).days + 1

    def dates(self) -> Iterator[date]:
        for offset in range(self.length):
            yield self.since + timedelta(days=offset)

    def __str__(self) -> str:
        return f"{self.since.isoformat()} to {self.until.isoformat()}"


def open_days(session: Session, building: BuildingRow, period: Period) -> list[date]:
    """The days of ``period`` the building is open: not a closed weekday, a public holiday or a closure.

    The same rule as booking's (`booking.services.calendar_rules.closed_reason`), with the closures read at once.
    """
    closures = set(
        session.scalars(
            select(Closure.day).where(
                Closure.building_id == building.id, Closure.day >= period.since, Closure.day <= period.until
            )
        )
    )
    closed_weekdays = set(building.closed_weekdays)
    return [
        day
        for day in period.dates()
        if day.weekday() not in closed_weekdays
        and day not in closures
        and holiday_name(building.holiday_country, day) is None
    ]


#: A report without dates covers the twelve weeks up to today: a quarter, long enough for co-attendance to tell.
DEFAULT_WEEKS = 12


def period_or_default(since: date | None, until: date | None, today: date) -> Period:
    """The period asked for; a missing end is today, a missing start twelve weeks before the end."""
    end = until or today
    return Period(since or end - timedelta(days=7 * DEFAULT_WEEKS - 1), end)
