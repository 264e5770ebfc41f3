"""The report pages: occupancy by floor, weekday and slot and zone, units' peaks against seats, co-attendance;
charts (`booking.pages.charts`) each with a table of the same figures, and CSV downloads from the API.

What a visitor sees follows `booking.services.permissions`: admins every section, unit managers their units' sections,
staff their own unit's summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select

from booking.analytics.coattendance import PairAttendance
from booking.analytics.facts import default_building
from booking.analytics.needs import UnitNeeds
from booking.analytics.period import period_or_default
from booking.analytics.report import OccupancyReport, occupancy_report
from booking.errors import NotFound
from booking.models import BuildingRow, Unit
from booking.pages.charts import Bar, Need, bar_chart, column_pairs, heat, needs_chart
from booking.pages.core import PageRoute, UserPage, user_of
from booking.pages.i18n import Words
from booking.services.desks import zone_info
from booking.services.permissions import is_admin, visible_units
from booking.web.bounds import BoundedDate, Key
from booking.web.deps import SessionDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def percent(t: Words, value: float | None) -> str:
    if value is None:
        return t("—")
    return t("%(value)s %%", value=t.number(round(100 * value, 1)))


@dataclass(frozen=True)
class HeatCell:
    r: str
    colour: str
    related: bool
    title: str


def _heat_rows(t: Words, report: OccupancyReport, rows: list[UnitNeeds]) -> tuple[list[Any], list[Any]]:
    """The correlation table: a row for each unit shown, a column for each section it was compared with."""
    names: dict[str, str] = {}
    for p in report.pairs:
        names[p.a], names[p.b] = p.a_name, p.b_name
    columns = [{"id": uid, "unit": names[uid]} for uid in sorted(names)]
    found: dict[frozenset[str], PairAttendance] = {frozenset((p.a, p.b)): p for p in report.pairs}
    table = []
    for row in rows:
        cells: list[HeatCell | None] = []
        for column in columns:
            pair = found.get(frozenset((row.unit_id, column["id"])))
            if row.unit_id == column["id"] or pair is None:
                cells.append(None)
                continue
            r = "–" if pair.r is None else f"{pair.r:.2f}"
            title = f"{row.unit} – {column['unit']}: r {r}" + (" ★" if pair.related else "")
            cells.append(HeatCell(r, heat(pair.r), pair.related, title))
        number = next((k + 1 for k, c in enumerate(columns) if c["id"] == row.unit_id), None)
        table.append((row, number, cells))
    return columns, table


def _unit_section(t: Words, report: OccupancyReport, units: list[UnitNeeds]) -> dict[str, Any]:
    leaves = [u for u in units if u.is_leaf]
    chart = None
    if leaves:
        needs = [
            Need(u.unit, u.p90, u.peak, u.home_desks,
                 t("%(unit)s: %(p90)s in at once on 9 days in 10, %(peak)s at most; %(home)s home desks",
                   unit=u.unit, p90=u.p90, peak=u.peak, home=u.home_desks))
            for u in leaves
        ]  # fmt: skip
        chart = needs_chart(
            needs,
            title=t("People in at once, by unit"),
            description=t(
                "Bars: the 90th percentile of the unit's free-address people in at once (solid) and up to the most "
                "on any day (hatched); the tick marks the unit's home desks."
            ),
            names=(t("90th percentile"), t("peak"), t("home desks")),
        )
    columns, heat_rows = _heat_rows(t, report, leaves)
    related = [p for p in report.pairs if p.related]
    return {"units": units, "units_chart": chart, "heat_columns": columns, "heat_rows": heat_rows, "related": related}


def _building_sections(t: Words, report: OccupancyReport) -> dict[str, Any]:
    floors = bar_chart(
        [Bar(f.floor, 100 * (f.occupancy or 0), percent(t, f.occupancy)) for f in report.floors],
        title=t("Occupancy by floor"),
        description=t("Bars: the share of bookable desk half-days used on each floor."),
        unit="%",
    )
    by_day: dict[int, dict[str, Any]] = {}
    for w in report.weekdays:
        by_day.setdefault(w.weekday, {})[w.slot] = w
    groups = [
        (
            t.weekday(day),
            *(
                Bar(t.weekday(day), 100 * (slots[s].occupancy or 0), percent(t, slots[s].occupancy))
                if s in slots
                else None
                for s in ("am", "pm")
            ),
        )
        for day, slots in sorted(by_day.items())
    ]
    weekdays = column_pairs(
        groups,  # type: ignore[arg-type]
        title=t("Occupancy by weekday, morning and afternoon"),
        description=t("Columns: for each weekday, the morning (solid) and the afternoon (hatched)."),
        names=(t("Morning"), t("Afternoon")),
        unit="%",
    )
    return {"floors_chart": floors, "weekdays_chart": weekdays}


@router.get("/reports")
def reports(
    page: UserPage,
    session: SessionDep,
    since: BoundedDate | None = None,
    until: BoundedDate | None = None,
    building: Key | None = None,
) -> Response:
    """The report for a period (default: the twelve weeks up to today) of a building (default: the visitor's
    own), as much of it as the visitor may read; a choice of building where there are several."""
    user, t = user_of(page), page.t
    try:
        chosen = default_building(session, building or None, user=user)
    except NotFound:
        if building:
            raise
        return page.render("reports.html", building=None)
    building_choices = [(b.id, b.name or b.id) for b in session.scalars(select(BuildingRow).order_by(BuildingRow.id))]
    today = page.now.astimezone(zone_info(chosen.timezone)).date()
    period = period_or_default(since, until, today)
    units = visible_units(session, user)
    admin = is_admin(user)
    context: dict[str, Any] = {
        "building": chosen,
        "buildings": building_choices if len(building_choices) > 1 else [],
        "period": period,
        "admin": admin,
        "t_percent": percent,
    }
    query = urlencode({"since": period.since.isoformat(), "until": period.until.isoformat(), "building": chosen.id})
    context["csv"] = {
        table: f"/api/reports/{table}?{query}&format=csv"
        for table in ("floors", "weekdays", "zones", "units", "co-attendance")
    }
    if units is not None and not units:  # staff: their own unit's summary
        return page.render("reports.html", **context, **_own_unit(page, session, period, chosen.id))
    report = occupancy_report(
        session, since=period.since, until=period.until, now=page.now, building_id=chosen.id, units=units
    )
    context["report"] = report
    context.update(_unit_section(t, report, report.units))
    if admin:
        context.update(_building_sections(t, report))
    return page.render("reports.html", **context)


def _own_unit(page: UserPage, session: SessionDep, period: Any, building_id: str) -> dict[str, Any]:
    user, t = user_of(page), page.t
    if user.unit_id is None:
        return {"own": None, "own_message": t("You belong to no unit, so there is no summary to show.")}
    report = occupancy_report(
        session, since=period.since, until=period.until, now=page.now, building_id=building_id, units={user.unit_id}
    )
    if not report.units:
        return {"own": None, "own_message": t("Nobody of the unit is in the records.")}
    own = report.units[0]
    bars = [
        Bar(t.weekday(day), mean, t.number(round(mean, 1)))
        for day, mean in enumerate(own.weekday_means)
        if mean is not None
    ]
    chart = (
        bar_chart(
            bars,
            title=t("People of my unit in, by weekday"),
            description=t("Bars: the mean number in at once on each weekday."),
        )
        if bars
        else None
    )
    unit = session.get(Unit, user.unit_id)
    name = (unit.name or unit.id) if unit is not None else user.unit_id
    return {"own": own, "own_name": name, "own_chart": Markup(chart) if chart else None, "report": report}
