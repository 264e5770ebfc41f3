"""My team on a date, on the map and as a list, and finding a colleague by name."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select

from booking.models import BuildingRow, DeskRow, FloorRow
from booking.pages.core import PageRoute, UserPage, user_of
from booking.pages.floor_map import MapDesk, floor_map_svg
from booking.pages.i18n import Words
from booking.services.buildings import home_zone
from booking.services.people import Whereabouts, find_people, team_of, whereabouts
from booking.web.bounds import BoundedDate, Id, Name
from booking.web.deps import SessionDep
from floorplan.errors import UnknownPlace

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    unit: str
    floor_id: int | None
    place: str  # "6F · 6F-N1-07" or "no booking"
    when: str


def _people(t: Words, found: list[Whereabouts]) -> list[Person]:
    people = []
    for w in found:
        if w.desk is None or w.start is None or w.end is None:
            people.append(Person(w.user.id, w.user.name, w.unit_name, None, t("no desk booked"), ""))
        else:
            place = f"{w.floor} · {w.desk}"
            people.append(Person(w.user.id, w.user.name, w.unit_name, w.floor_id, place, t.span(w.start, w.end)))
    return people


@router.get("/team")
def team(
    page: UserPage, session: SessionDep, date: BoundedDate | None = None, floor: Id | None = None, q: Name = ""
) -> Response:
    """Where the people of my unit sit on a date: their desks highlighted on the map of a floor, and a list; a
    search for colleagues by name below (a part of a name: bounded as a name is)."""
    user, t = user_of(page), page.t
    zone = home_zone(session, user)
    day = date or page.now.astimezone(zone).date()
    members = whereabouts(session, team_of(session, user), day, zone=zone)
    people = _people(t, members)
    seated = Counter(p.floor_id for p in people if p.floor_id is not None)
    floor_ids = sorted(seated, key=lambda f: -seated[f])
    chosen_id = floor if floor in seated else (floor_ids[0] if floor_ids else None)
    floors = {f.id: f for f in session.scalars(select(FloorRow).where(FloorRow.id.in_(list(seated))))}
    map_svg = None
    if chosen_id is not None:
        map_svg = _team_map(page, session, floors[chosen_id], members)
    found = _people(t, whereabouts(session, find_people(session, q), day, zone=zone)) if q.strip() else None
    return page.render(
        "team.html",
        day=day,
        day_text=t.date(day),
        people=people,
        team_floors=[(f, floors[f].name, seated[f]) for f in sorted(seated, key=lambda f: floors[f].level)],
        chosen_floor=floors.get(chosen_id) if chosen_id is not None else None,
        map_svg=map_svg,
        q=q,
        found=found,
    )


def _team_map(page: UserPage, session: SessionDep, floor: FloorRow, members: list[Whereabouts]) -> Markup | None:
    t = page.t
    building = session.get(BuildingRow, floor.building_id)
    assert building is not None
    seats: dict[int, list[str]] = {}
    for w in members:
        if w.floor_id == floor.id and w.desk_id is not None:
            seats.setdefault(w.desk_id, []).append(w.user.name)
    refs = {k: v for k, v in session.execute(select(DeskRow.id, DeskRow.ref).where(DeskRow.id.in_(list(seats))))}
    desks = [
        MapDesk(refs[desk_id], "team", t("Desk %(desk)s: %(names)s", desk=refs[desk_id], names="、".join(names)))
        for desk_id, names in seats.items()
        if desk_id in refs
    ]
    plan = page.request.app.state.plans.plan(session, building)
    label = t("%(floor)s: where my team sits", floor=floor.name)
    try:
        summary = t("%(count)s of my team on this floor", count=sum(len(n) for n in seats.values()))
        return Markup(floor_map_svg(plan, floor.ref, desks, title=label, summary=summary))
    except (UnknownPlace, KeyError):
        return None
