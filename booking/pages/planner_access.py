"""Who may open the planning pages: planners, the committee and admins read and compare (and save proposals);
planners and admins change scenarios and run the optimiser. Everyone else gets the 403 page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.models.planning import ScenarioLayout
from booking.pages.core import Page, UserPage, user_of
from booking.services.buildings import DEFAULT_TIMEZONE
from booking.services.desks import zone_info
from booking.services.permissions import require_plan, require_read_plans

#: Times on the planning pages are shown in the default time zone (Japan's): scenarios belong to no one building,
#: and floorwise serves a Japanese organisation (as its default language says).
PLANNING_ZONE = zone_info(DEFAULT_TIMEZONE)


def get_plans_page(page: UserPage) -> Page:
    require_read_plans(user_of(page))
    return page


def get_planner_page(page: UserPage) -> Page:
    require_plan(user_of(page))
    return page


PlansPage = Annotated[Page, Depends(get_plans_page)]
PlannerPage = Annotated[Page, Depends(get_planner_page)]


def layout_counts(session: Session) -> dict[int, int]:
    rows = session.execute(select(ScenarioLayout.scenario_id, func.count()).group_by(ScenarioLayout.scenario_id))
    return {int(sid): int(n) for sid, n in rows}


def shown_time(page: Page, moment: dt.datetime) -> str:
    return page.t.moment(moment.astimezone(PLANNING_ZONE))
