"""Booking a desk: the floor map for a date and a slot, each desk's page, and the form that books it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from booking.analytics.suggestions import Suggestions, configured_scenario, suggest_desks
from booking.errors import BookingError, NotFound
from booking.models import Booking, BuildingRow, FloorRow, User
from booking.pages import wording
from booking.pages.core import AnyPage, CsrfChecked, Page, PageRoute, UserPage, attempt, user_of
from booking.pages.desk_views import (
    SLOTS,
    DeskRowView,
    When,
    attribute_names,
    desk_views,
    floors_of,
    holders,
    home_floor,
    may_see_names,
    refusal_text,
    when_of,
)
from booking.pages.floor_map import LEGEND, MapDesk, floor_map_svg, legend_patterns
from booking.services.availability import Held, floor_availability
from booking.services.bookings import book_desk, booking_views
from booking.services.buildings import home_building
from booking.services.desks import load_desk, zone_info
from booking.web.bounds import BoundedDate, Id
from booking.web.deps import SessionDep
from floorplan.errors import UnknownPlace

router = APIRouter(route_class=PageRoute, include_in_schema=False)

AttributeQuery = Annotated[list[str], Query(description="Desk attributes a desk must have.")]


@router.get("/")
def home(page: AnyPage) -> Response:
    return page.redirect("/book" if page.user else "/login")


@router.get("/book")
def book(
    page: UserPage,
    session: SessionDep,
    date: BoundedDate | None = None,
    slot: str | None = None,
    start: str | None = None,
    end: str | None = None,
    floor: Id | None = None,
    attr: AttributeQuery = [],  # noqa: B006 (FastAPI copies query defaults)
    done: Id | None = None,
) -> Response:
    """The map of a floor for a date and a slot; a free desk's link leads to the form that books it."""
    t, user = page.t, user_of(page)
    floors = floors_of(session)
    if not floors:
        return page.render("book.html", floors=[], floor=None, when=None, slots=SLOTS)
    chosen = next((f for f in floors if f.id == floor), None)
    # Without a floor asked for, the visitor's own building (`booking.services.buildings`), not the first loaded.
    building = home_building(session, user, chosen.building_id if chosen else None)
    own_floors = [f for f in floors if f.building_id == building.id]
    if not own_floors:  # their building has no desks to book: the first that has
        building = home_building(session, user, floors[0].building_id)
        own_floors = [f for f in floors if f.building_id == building.id]
    when = when_of(building, page.now, day=date, slot=slot, start=start, end=end)
    chosen = chosen or home_floor(session, user, when.interval, own_floors)
    zone = zone_info(building.timezone)
    result = floor_availability(
        session, chosen.id, interval=when.interval, viewer=user, now=page.now, cache=page.request.app.state.desk_layouts
    )
    known = sorted({k for d in result.desks for k, v in d.attributes.items() if isinstance(v, bool)})
    wanted = {a: "true" for a in attr if a in known}
    holding = holders(
        session, [d.id for d in result.desks if isinstance(d.particulars, Held)], when.interval, building, page.now
    )
    views = desk_views(
        t, result.desks, wanted, holding, zone, show_names=may_see_names(building, user), viewer_id=user.id
    )
    query = {**when.query(), "floor": str(chosen.id)}
    suggested = _suggestions(page, session, building, user, when)
    ranks = {s.desk_ref: s.rank for s in suggested.suggestions if s.floor_id == chosen.id} if suggested else {}
    map_svg = _map(page, session, building, chosen, views, query, ranks)
    counts = {state: sum(1 for v in views if v.state == state and v.matches) for state in ("free", "booked", "mine")}
    return page.render(
        "book.html",
        floors=floors,
        floor=chosen,
        building=building,
        when=when,
        slots=SLOTS,
        attributes=[(k, t(wording.ATTRIBUTES[k]) if k in wording.ATTRIBUTES else k) for k in known],
        wanted=set(wanted),
        desks=[v for v in views if v.matches],
        counts=counts,
        map_svg=map_svg,
        patterns=None if map_svg else Markup(legend_patterns()),
        legend=[s for s in LEGEND if s == "free" or any((v.css if v.matches else "dimmed") == s for v in views)],
        query=urlencode(query),
        done=_done(page, session, done),
        hours_note=when.slot == "hours",
        suggested=_suggestion_items(page, suggested, when) if suggested else None,
        suggested_here=bool(ranks),
    )


def _suggestions(page: Page, session: Session, building: BuildingRow, user: User, when: When) -> Suggestions | None:
    """The desks suggested to the viewer for the time shown (none for a time already past, or without a unit)."""
    if user.unit_id is None or when.interval.end <= page.now:
        return None
    state = page.request.app.state
    return suggest_desks(
        session, user, building=building, plan=state.plans.plan(session, building),
        interval=when.interval, day=when.day, now=page.now, limit=5,
        scenario=configured_scenario(page.settings.relations_scenario, state.analytics), cache=state.analytics,
        desk_layouts=state.desk_layouts,
    )  # fmt: skip


def _suggestion_items(page: Page, suggested: Suggestions, when: When) -> list[dict[str, str]]:
    """Each suggestion as the list under the map shows it: a link, the seconds and why, in the page's language."""
    t = page.t
    items = []
    for s in suggested.suggestions:
        why = [
            t("%(people)s of your team on %(floor)s", people=r.people, floor=r.floor)
            if r.own
            else t("%(people)s of %(unit)s on %(floor)s", people=r.people, unit=r.unit, floor=r.floor)
            for r in s.reasons
        ]
        items.append(
            {
                "href": f"/desks/{s.desk_id}?{urlencode({**when.query(), 'floor': str(s.floor_id)})}",
                "text": t(
                    "%(desk)s (%(floor)s): in their room, %(metres)s m from them on average",
                    desk=s.desk,
                    floor=s.floor,
                    metres=t.number(round(s.walk_m, 1)),
                )
                if s.seconds < 0.5  # everyone counted sits in the desk's own space: the walk tells desks apart
                else t(
                    "%(desk)s (%(floor)s): %(seconds)s s on average",
                    desk=s.desk,
                    floor=s.floor,
                    seconds=t.number(round(s.seconds)),
                ),
                "why": t.pgettext("map", ", ").join(why),
            }
        )
    return items


def _map(
    page: Page,
    session: Session,
    building: BuildingRow,
    floor: FloorRow,
    views: list[DeskRowView],
    query: dict[str, str],
    ranks: dict[str, int] | None = None,
) -> Markup | None:
    t = page.t
    ranks = ranks or {}
    plan = page.request.app.state.plans.plan(session, building)
    link_query = urlencode(query)
    desks = []
    for v in views:
        state = t(wording.DESK_STATES[v.state])
        parts = [t("Desk %(desk)s", desk=v.label), state]
        if v.reason:
            parts.append(v.reason)
        if v.attributes:
            parts.append("・".join(v.attributes) if t.lang == "ja" else ", ".join(v.attributes))
        if not v.matches:
            parts.append(t("without the features chosen"))
        title = t(": ").join(parts)
        href = f"/desks/{v.id}?{link_query}" if v.matches else None
        desks.append(MapDesk(v.ref, v.css if v.matches else "dimmed", title, href, rank=ranks.get(v.ref)))
    label = t("%(building)s %(floor)s: desks", building=building.name or building.id, floor=floor.name)
    free = sum(1 for v in views if v.state == "free")
    summary = t("%(desks)s desks · %(free)s free", desks=len(views), free=free)
    try:
        return Markup(floor_map_svg(plan, floor.ref, desks, title=label, summary=summary))
    except (UnknownPlace, KeyError):  # the plan kept does not have this floor: the list still serves
        return None


def _done(page: Page, session: Session, booking_id: int | None) -> str | None:
    """The sentence that confirms a booking just made (only the booker's own)."""
    if booking_id is None:
        return None
    booking = session.get(Booking, booking_id)
    if booking is None or page.user is None or booking.user_id != page.user.id:
        return None
    view = booking_views(session, [booking])[0]
    return page.t(
        "Booked: desk %(desk)s, %(floor)s, %(when)s.",
        desk=view.desk,
        floor=view.floor,
        when=page.t.when(view.start, view.end),
    )


def _desk_page(
    page: Page,
    session: Session,
    desk_id: int,
    when: When,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    t, user = page.t, user_of(page)
    context = load_desk(session, desk_id)
    building, floor, desk = context.building, context.floor, context.desk
    zone = context.zone
    result = floor_availability(
        session, floor.id, interval=when.interval, viewer=user, now=page.now, cache=page.request.app.state.desk_layouts
    )
    state = next((d for d in result.desks if d.id == desk_id), None)
    if state is None:
        raise NotFound("no desk %(id)s", words={"id": desk_id})
    holding = holders(session, [desk_id], when.interval, building, page.now)
    view = desk_views(t, [state], {}, holding, zone, show_names=may_see_names(building, user), viewer_id=user.id)[0]
    hourly_refused = when.slot == "hours" and not context.space.hourly
    query = {**when.query(), "floor": str(floor.id)}
    return page.render(
        "desk.html",
        status=status,
        desk=desk,
        desk_view=view,
        floor=floor,
        building=building,
        space=context.space,
        when=when,
        when_text=t.when(when.interval.start.astimezone(zone), when.interval.end.astimezone(zone)),
        features=attribute_names(t, desk.attributes or {}),
        patterns=Markup(legend_patterns()),
        can_book=view.state == "free" and not hourly_refused,
        hourly_refused=hourly_refused,
        error=error,
        back=f"/book?{urlencode(query)}",
        query=urlencode(query),
    )


@router.get("/desks/{desk_id}")
def desk_page(
    desk_id: Id,
    page: UserPage,
    session: SessionDep,
    date: BoundedDate | None = None,
    slot: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Response:
    """A desk for a date and slot: its state and why, who holds it where names may be shown, and a button to
    book it when it is free."""
    building = load_desk(session, desk_id).building
    when = when_of(building, page.now, day=date, slot=slot, start=start, end=end)
    return _desk_page(page, session, desk_id, when)


@router.post("/desks/{desk_id}/book", dependencies=[CsrfChecked])
def book_desk_form(
    desk_id: Id,
    page: UserPage,
    session: SessionDep,
    date: Annotated[BoundedDate | None, Form()] = None,
    slot: Annotated[str | None, Form()] = None,
    start: Annotated[str | None, Form()] = None,
    end: Annotated[str | None, Form()] = None,
) -> Response:
    user = user_of(page)
    context = load_desk(session, desk_id)
    when = when_of(context.building, page.now, day=date, slot=slot, start=start, end=end)
    try:
        with attempt(session):
            booking = book_desk(session, user=user, desk_id=desk_id, now=page.now, when=when.request)
    except BookingError as exc:
        message = refusal_text(page.t, exc, context.zone)
        return _desk_page(page, session, desk_id, when, error=message, status=exc.status)
    query = {**when.query(), "floor": str(context.floor.id), "done": str(booking.id)}
    return page.redirect(f"/book?{urlencode(query)}")
