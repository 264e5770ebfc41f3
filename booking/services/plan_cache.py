"""The drawn plans of loaded buildings, for the floor maps.

Loading a building (the admin page, `floorwise load`, `floorwise serve --demo`) stores its native GeoJSON in the
database beside its desks (`booking.services.plans`); the maps draw that, on whichever server serves the page. A
building without a stored plan (loaded before plans were stored, with no plan file to copy in) is drawn from the
database instead: the demo building is rebuilt from code, any other as a sketch of its desks at their positions.
"""

from __future__ import annotations

import logging
from datetime import datetime

from shapely import Point, box
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import BuildingRow, DeskRow, FloorRow, SpaceRow
from booking.services.caches import LockedLRU
from booking.services.plans import stored_plan
from floorplan.errors import FloorplanError
from floorplan.model import Building, Desk, Floor, Space, SpaceKind

log = logging.getLogger("floorwise.plans")

#: Buildings whose plans a process keeps (the least recently drawn goes first).
PLANS_KEPT = 64
#: Room drawn round the desks of a sketched floor, in metres.
SKETCH_MARGIN_M = 2.0


class PlanCache:
    """Plans read once per building load, keyed by building id and its ``loaded_at``.

    Every load sets ``loaded_at``, and every request reads the building's row: a reload, by this server process
    or another, is seen on the next request, which reads the new plan.
    """

    def __init__(self, size: int = PLANS_KEPT) -> None:
        self._plans: LockedLRU[tuple[str, datetime], Building] = LockedLRU(size)

    def plan(self, session: Session, row: BuildingRow) -> Building:
        found = self._plans.get((row.id, row.loaded_at))
        if found is not None:
            return found
        building = _read_plan(session, row)
        self._plans.replace((row.id, row.loaded_at), building, drop=lambda key: key[0] == row.id)
        return building


def _read_plan(session: Session, row: BuildingRow) -> Building:
    try:
        stored = stored_plan(session, row.id)
    except FloorplanError as exc:  # a plan this version cannot read: a sketch rather than no page
        log.warning("the stored plan of building %r does not read; drawing a sketch: %s", row.id, exc)
        stored = None
    if stored is not None:
        return stored.building
    from floorplan.demo import demo_building

    demo = demo_building()
    if row.id == demo.id:
        return demo
    return sketch_from_database(session, row)


def sketch_from_database(session: Session, row: BuildingRow) -> Building:
    """A building with each floor drawn as the box round its desks, desks as points, spaces without polygons."""
    floors = session.scalars(select(FloorRow).where(FloorRow.building_id == row.id).order_by(FloorRow.level)).all()
    spaces = session.scalars(select(SpaceRow).where(SpaceRow.building_id == row.id)).all()
    desks = session.scalars(
        select(DeskRow).where(DeskRow.building_id == row.id, DeskRow.retired_at.is_(None)).order_by(DeskRow.ref)
    ).all()
    space_ref = {s.id: s.ref for s in spaces}
    made = []
    for f in floors:
        own = [d for d in desks if d.floor_id == f.id and d.x is not None and d.y is not None]
        floor_spaces = tuple(
            Space(s.ref, f.ref, _kind(s.kind), None, name=s.name, hourly=s.hourly) for s in spaces if s.floor_id == f.id
        )
        floor_desks = tuple(
            Desk(d.ref, space_ref[d.space_id], Point(d.x, d.y), name=d.name, attributes=dict(d.attributes or {}))
            for d in own
        )
        outline = None
        if own:
            xs, ys = [float(d.x or 0) for d in own], [float(d.y or 0) for d in own]
            m = SKETCH_MARGIN_M
            outline = box(min(xs) - m, min(ys) - m, max(xs) + m, max(ys) + m)
        made.append(
            Floor(f.ref, f.level, f.name, 4.0 * f.level, outline=outline, spaces=floor_spaces, desks=floor_desks)
        )
    return Building(row.id, row.name, tuple(made), timezone=row.timezone)


def _kind(value: str) -> SpaceKind:
    try:
        return SpaceKind(value)
    except ValueError:
        return SpaceKind.OTHER
