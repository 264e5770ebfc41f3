"""The occupancy report of a building over a period, all tables at once, and each table as rows for CSV."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from booking.analytics.coattendance import PairAttendance, co_attendance
from booking.analytics.facts import AttendanceFacts, attendance_facts, default_building
from booking.analytics.needs import UnitNeeds, unit_needs
from booking.analytics.occupancy import (
    WEEKDAY_CODES,
    FloorOccupancy,
    Totals,
    WeekdayOccupancy,
    ZoneOccupancy,
    floor_occupancy,
    tally,
    totals,
    weekday_occupancy,
    zone_occupancy,
)
from booking.analytics.period import Period

TABLES = ("floors", "zones", "weekdays", "units", "co-attendance")


@dataclass(frozen=True)
class OccupancyReport:
    building_id: str
    building: str
    period: Period
    now: datetime
    totals: Totals
    floors: list[FloorOccupancy]
    weekdays: list[WeekdayOccupancy]
    zones: list[ZoneOccupancy]
    units: list[UnitNeeds]
    pairs: list[PairAttendance]

    def to_dict(self) -> dict[str, Any]:
        return {
            "building_id": self.building_id,
            "building": self.building,
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "totals": self.totals.to_dict(),
            "floors": [f.to_dict() for f in self.floors],
            "weekdays": [w.to_dict() for w in self.weekdays],
            "zones": [z.to_dict() for z in self.zones],
            "units": [u.to_dict() for u in self.units],
            "co_attendance": [p.to_dict() for p in self.pairs],
        }


def occupancy_report(
    session: Session,
    *,
    since: date,
    until: date,
    now: datetime,
    building_id: str | None = None,
    units: Collection[str] | None = None,
) -> OccupancyReport:
    """Every table of the report; ``units`` keeps the unit rows of those units and the pairs involving one of them
    (the building-wide tables are whole: a caller that may not see them leaves them out)."""
    building = default_building(session, building_id)
    facts = attendance_facts(session, building, Period(since, until), now=now)
    return report_from_facts(facts, units=units)


def report_from_facts(facts: AttendanceFacts, *, units: Collection[str] | None = None) -> OccupancyReport:
    counts = tally(facts)
    needs = unit_needs(facts, counts)
    if units is not None:
        needs = [u for u in needs if u.unit_id in units]
    building = facts.building
    return OccupancyReport(
        building_id=building.id,
        building=building.name or building.id,
        period=facts.period,
        now=facts.now,
        totals=totals(facts, counts),
        floors=floor_occupancy(facts, counts),
        weekdays=weekday_occupancy(facts, counts),
        zones=zone_occupancy(facts, counts),
        units=needs,
        pairs=co_attendance(facts, counts, involving=units or ()),
    )


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """Nested values as columns of their own (weekday means as mon..sun), lists as text."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update({f"{key}_{k}" if key != "weekday_means" else f"mean_{k}": v for k, v in value.items()})
        elif isinstance(value, list | tuple):
            out[key] = " ".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def table_rows(report: OccupancyReport, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of one table (``floors``, ``zones``, ``weekdays``, ``units``, ``co-attendance``)."""
    tables: dict[str, Iterable[Any]] = {
        "floors": report.floors,
        "zones": report.zones,
        "weekdays": report.weekdays,
        "units": report.units,
        "co-attendance": report.pairs,
    }
    items = tables[table]
    rows = [_flat(item.to_dict()) for item in items]
    columns = list(rows[0]) if rows else list(_EMPTY_COLUMNS[table])
    return columns, rows


_EMPTY_COLUMNS = {
    "floors": FloorOccupancy.__dataclass_fields__,
    "zones": ZoneOccupancy.__dataclass_fields__,
    "weekdays": (*WeekdayOccupancy.__dataclass_fields__, "weekday_code"),
    "units": [c for c in UnitNeeds.__dataclass_fields__ if c != "weekday_means"] + [f"mean_{d}" for d in WEEKDAY_CODES],
    "co-attendance": PairAttendance.__dataclass_fields__,
}
