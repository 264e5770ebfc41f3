"""Which days a building is open: weekdays it closes on, public holidays (the `holidays` package, Japan by default)
and closures an admin added."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import BuildingRow, Closure

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def holiday_name(country: str | None, day: date) -> str | None:
    """The name of the public holiday on ``day`` in ``country`` (ISO 3166 code), if it is one."""
    if not country:
        return None
    name = _holidays(country, day.year).get(day)
    return str(name) if name is not None else None


def closed_reason(session: Session, building: BuildingRow, day: date) -> str | None:
    """Why the building is closed on ``day``, or None when it is open."""
    if day.weekday() in building.closed_weekdays:
        return f"{day.isoformat()} is a {WEEKDAY_NAMES[day.weekday()]}, when the building is closed"
    name = holiday_name(building.holiday_country, day)
    if name is not None:
        return f"{day.isoformat()} is a public holiday ({name})"
    closure = session.scalar(select(Closure).where(Closure.building_id == building.id, Closure.day == day))
    if closure is not None:
        return f"the building is closed on {day.isoformat()}" + (f": {closure.reason}" if closure.reason else "")
    return None
