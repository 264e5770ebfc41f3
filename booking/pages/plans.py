"""The drawn plans of loaded buildings, for the floor maps.

The database keeps what booking needs (floors, spaces, desks and their positions), not the polygons of rooms and
cores. Whoever loads a building (the admin page, `floorwise load`, `floorwise serve --demo`) also keeps its native
GeoJSON in ``<data_dir>/plans/``; the maps draw that. A building loaded before plans were kept is drawn from the
database instead: the demo building is rebuilt from code, any other as a sketch of its desks at their positions.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from pathlib import Path

from shapely import Point, box
from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import BuildingRow, DeskRow, FloorRow, SpaceRow
from floorplan.geojson import read_geojson, write_geojson
from floorplan.model import Building, Desk, Floor, Space, SpaceKind

#: Room drawn round the desks of a sketched floor, in metres.
SKETCH_MARGIN_M = 2.0


def plans_dir(data_dir: Path) -> Path:
    return data_dir / "plans"


def plan_path(data_dir: Path, building_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", building_id)
    return plans_dir(data_dir) / f"{safe}.building.geojson"


def save_plan(data_dir: Path, building: Building) -> Path:
    """Keep ``building``'s plan for the maps (atomically replacing an older one)."""
    path = plan_path(data_dir, building.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_geojson(building, path)
    return path


class PlanCache:
    """Plans read once per building load: keyed by building id, its ``loaded_at`` and the file's mtime."""

    def __init__(self) -> None:
        self._plans: dict[str, tuple[tuple[datetime, float], Building]] = {}
        self._lock = threading.Lock()

    def plan(self, session: Session, data_dir: Path, row: BuildingRow) -> Building:
        path = plan_path(data_dir, row.id)
        mtime = path.stat().st_mtime if path.is_file() else 0.0
        key = (row.loaded_at, mtime)
        with self._lock:
            found = self._plans.get(row.id)
        if found is not None and found[0] == key:
            return found[1]
        building = _read_plan(session, path, row)
        with self._lock:
            self._plans[row.id] = (key, building)
        return building


def _read_plan(session: Session, path: Path, row: BuildingRow) -> Building:
    if path.is_file():
        return read_geojson(path).building
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
