"""Reports on occupancy and attendance, as JSON or CSV, and desk suggestions.

Who may read what: `booking.services.permissions` (admins everything; unit managers their units; staff their own
unit's summary). CSV is ``text/csv`` with a header row, one row per line of the table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session

from booking.analytics.facts import default_building
from booking.analytics.period import period_or_default
from booking.analytics.report import OccupancyReport, occupancy_report, table_rows
from booking.analytics.suggestions import configured_scenario, suggest_desks
from booking.api.problems import problem_responses
from booking.api.schemas_reports import FLOOR_OCCUPANCY_EXAMPLES, ReportRead, SuggestionsRead, UnitNeedsRead
from booking.errors import NotFound
from booking.models import Unit, User
from booking.services.buildings import building_zone
from booking.services.desks import office_hours
from booking.services.intervals import Slot
from booking.services.permissions import (
    require_act_for,
    require_building_reports,
    require_unit_summary,
    require_unit_tables,
)
from booking.services.time_requests import Preset, resolve
from booking.web.bounds import BoundedDate, Key
from booking.web.deps import CurrentUser, NowDep, SessionDep, SettingsDep
from booking.web.transactions import TransactionRoute

router = APIRouter(prefix="/api", tags=["reports"], route_class=TransactionRoute)

Since = Annotated[BoundedDate | None, Query(description="First local date (default: twelve weeks before `until`).")]
Until = Annotated[BoundedDate | None, Query(description="Last local date, included (default: today).")]
Building = Annotated[
    Key | None, Query(description="Building id (default: the asker's home building, `booking.services.buildings`).")
]
Format = Annotated[Literal["json", "csv"], Query(description="json, or csv (text/csv with a header row).")]
Table = Literal["floors", "zones", "weekdays", "units", "co-attendance"]
R = problem_responses(401, 403, 404, 422)


def _report(
    session: Session, now: dt.datetime, since: dt.date | None, until: dt.date | None, building_id: str | None,
    units: set[str] | None = None, *, user: User,
) -> OccupancyReport:  # fmt: skip
    building = default_building(session, building_id, user=user)
    today = now.astimezone(building_zone(building)).date()
    period = period_or_default(since, until, today)
    return occupancy_report(
        session, since=period.since, until=period.until, now=now, building_id=building.id, units=units
    )


def csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """A header row and the rows; rates to four decimals, nothing for no value."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else round(v, 4) if isinstance(v, float) else v) for k, v in row.items()})
    return buffer.getvalue()


#: ``/api/reports/floors`` for March 2026, the same rows as JSON and as CSV.
_TABLE_EXAMPLE = {
    "building_id": "bcc",
    "building": "文京シビックセンター",
    "since": "2026-03-01",
    "until": "2026-03-31",
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"example": csv_text(list(FLOOR_OCCUPANCY_EXAMPLES[0]), FLOOR_OCCUPANCY_EXAMPLES)},
            "application/json": {"example": _TABLE_EXAMPLE | {"floors": FLOOR_OCCUPANCY_EXAMPLES}},
        },
        "description": "The table",
    }
}


def table_response(report: OccupancyReport, table: str, fmt: str) -> Response:
    columns, rows = table_rows(report, table)
    if fmt == "csv":
        name = f"floorwise-{table}-{report.period.since}-{report.period.until}.csv"
        return Response(
            csv_text(columns, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    data = report.to_dict()
    key = "co_attendance" if table == "co-attendance" else table
    body = {k: data[k] for k in ("building_id", "building", "since", "until")} | {table: data[key]}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/json")


@router.get("/reports", response_model=ReportRead, responses=R)
def report(
    user: CurrentUser, session: SessionDep, now: NowDep, since: Since = None, until: Until = None,
    building: Building = None,
) -> dict[str, Any]:  # fmt: skip
    """Every table of the occupancy report for a period (facilities admins): totals, floors, weekdays and slots,
    zones, units with their peaks and the seats that would have served them, co-attendance between units."""
    require_building_reports(user)
    return _report(session, now, since, until, building, user=user).to_dict()


@router.get("/reports/units/{unit_id}", response_model=UnitNeedsRead, responses=R)
def unit_summary(
    unit_id: Key, user: CurrentUser, session: SessionDep, now: NowDep, since: Since = None, until: Until = None,
    building: Building = None,
) -> dict[str, Any]:  # fmt: skip
    """One unit's attendance, peaks and seat need (admins; managers for their units; staff for their own)."""
    if session.get(Unit, unit_id) is None:
        raise NotFound("no unit %(id)r", words={"id": unit_id})
    require_unit_summary(session, user, unit_id)
    found = _report(session, now, since, until, building, units={unit_id}, user=user).units
    if not found:
        raise NotFound("unit %(id)r has nobody in it", words={"id": unit_id})
    return found[0].to_dict()


@router.get("/reports/{table}", responses={**CSV_RESPONSE, **R})
def report_table(
    user: CurrentUser,
    session: SessionDep,
    now: NowDep,
    table: Annotated[Table, Path(description="floors, zones, weekdays, units or co-attendance")],
    since: Since = None,
    until: Until = None,
    building: Building = None,
    format: Format = "json",
) -> Response:
    """One table of the report, as JSON or CSV. Floors, zones and weekdays are for facilities admins; units and
    co-attendance also for unit managers, showing their units."""
    if table in ("floors", "zones", "weekdays"):
        require_building_reports(user)
        units = None
    else:
        units = require_unit_tables(session, user)
    return table_response(_report(session, now, since, until, building, units, user=user), table, format)


@router.get("/suggestions", response_model=SuggestionsRead, responses=R)
def suggestions(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    date: Annotated[BoundedDate | None, Query(description="Local date (default: today).")] = None,
    slot: Annotated[Slot, Query(description="full, am or pm.")] = Slot.FULL,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
    person: Annotated[Key | None, Query(description="Whom for (a manager for their people, an admin).")] = None,
    building: Building = None,
) -> dict[str, Any]:
    """Free desks ranked by the travel time to the people the person works with who are booked then (the layout
    score's model), best first, with the seconds and why."""
    who = user
    if person is not None and person != user.id:
        found = session.get(User, person)
        if found is None:
            raise NotFound("no person %(id)r", words={"id": person})
        require_act_for(session, user, found)
        who = found
    row = default_building(session, building, user=who)
    zone = building_zone(row)
    when = Preset(date or now.astimezone(zone).date(), slot)
    interval, day = resolve(when, office_hours(row), zone), when.day
    plan = request.app.state.plans.plan(session, row)
    found_suggestions = suggest_desks(
        session, who, building=row, plan=plan, interval=interval, day=day, now=now, limit=limit,
        scenario=configured_scenario(settings.relations_scenario, request.app.state.analytics),
        cache=request.app.state.analytics,
        desk_layouts=request.app.state.desk_layouts,
    )  # fmt: skip
    return found_suggestions.to_dict()
