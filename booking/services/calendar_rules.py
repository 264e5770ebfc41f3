"""Which days a building is open: weekdays it closes on, public holidays (the `holidays` package, Japan by default),
Japan's year-end closure and closures an admin added.

Japanese public offices are closed from 29 December to 3 January (行政機関の休日に関する法律, art. 1), days the
`holidays` package does not list as public holidays (1 January is one; the others are not). Where the holiday
country is JP the building closes on them unless an admin turns ``year_end_closure`` off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

import holidays
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from booking.models import BuildingRow, Closure

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def is_year_end(day: date) -> bool:
    """Whether ``day`` falls in Japan's year-end closure of public offices, 29 December to 3 January."""
    return (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)


def has_year_end_closure(building: BuildingRow) -> bool:
    return bool(building.year_end_closure) and building.holiday_country == "JP"


@lru_cache(maxsize=64)
def _holidays(country: str, year: int, language: str | None = None) -> holidays.HolidayBase:
    if language is None:
        return holidays.country_holidays(country, years=year)
    known = _holidays(country, year)
    supported = known.supported_languages
    chosen = language if language in supported else None
    chosen = chosen or next((code for code in supported if code.split("_")[0] == language), None)
    return holidays.country_holidays(country, years=year, language=chosen or known.default_language)


def holiday_name(country: str | None, day: date, language: str | None = None) -> str | None:
    """The name of the public holiday on ``day`` in ``country`` (ISO 3166 code), if it is one.

    ``language`` (``"ja"``, ``"en"``...) asks for the name in that language where the `holidays` package has it
    (else in the country's own); without it, the package's choice from the process's locale.
    """
    if not country:
        return None
    name = _holidays(country, day.year, language).get(day)
    return str(name) if name is not None else None


class ClosedKind(StrEnum):
    WEEKDAY = "weekday"
    HOLIDAY = "holiday"
    YEAR_END = "year_end"
    CLOSURE = "closure"


@dataclass(frozen=True)
class ClosedDay:
    """Why the building is closed on ``day``: its ``kind`` and particulars (the public holiday's name in the
    process's language and its country, or the admin's closure ``reason``), and ``detail``, the English sentence
    a refusal carries."""

    day: date
    kind: ClosedKind
    detail: str
    holiday: str | None = None
    holiday_country: str | None = None
    reason: str = ""

    @property
    def members(self) -> dict[str, Any]:
        """The particulars for a refusal's problem document: ``day``, ``closed`` (the kind) and then ``weekday``
        (its English name), or ``holiday`` and ``holiday_country``, or the admin's ``reason``."""
        members: dict[str, Any] = {"day": self.day.isoformat(), "closed": self.kind.value}
        if self.kind is ClosedKind.WEEKDAY:
            members["weekday"] = WEEKDAY_NAMES[self.day.weekday()]
        elif self.kind is ClosedKind.HOLIDAY:
            members |= {"holiday": self.holiday, "holiday_country": self.holiday_country}
        elif self.kind is ClosedKind.CLOSURE:
            members["reason"] = self.reason
        return members


#: Built once: every booking asks it.
_CLOSURE_ON_DAY = select(Closure).where(
    Closure.building_id == bindparam("building_id"), Closure.day == bindparam("day")
)


def closed_day(session: Session, building: BuildingRow, day: date) -> ClosedDay | None:
    """Why the building is closed on ``day``, or None when it is open."""
    if day.weekday() in building.closed_weekdays:
        weekday = WEEKDAY_NAMES[day.weekday()]
        return ClosedDay(day, ClosedKind.WEEKDAY, f"{day.isoformat()} is a {weekday}, when the building is closed")
    name = holiday_name(building.holiday_country, day)
    if name is not None:
        return ClosedDay(
            day,
            ClosedKind.HOLIDAY,
            f"{day.isoformat()} is a public holiday ({name})",
            holiday=name,
            holiday_country=building.holiday_country,
        )
    if has_year_end_closure(building) and is_year_end(day):
        return ClosedDay(
            day, ClosedKind.YEAR_END, f"{day.isoformat()} is in the year-end closure (29 December to 3 January)"
        )
    closure = session.scalar(_CLOSURE_ON_DAY, {"building_id": building.id, "day": day})
    if closure is not None:
        return ClosedDay(
            day,
            ClosedKind.CLOSURE,
            f"the building is closed on {day.isoformat()}" + (f": {closure.reason}" if closure.reason else ""),
            reason=closure.reason or "",
        )
    return None


def closed_reason(session: Session, building: BuildingRow, day: date) -> str | None:
    """Why the building is closed on ``day`` in a sentence, or None when it is open."""
    closed = closed_day(session, building, day)
    return closed.detail if closed is not None else None
