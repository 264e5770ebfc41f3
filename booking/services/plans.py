"""Buildings' plans in the database: the native GeoJSON kept beside the floors, spaces and desks.

The rows of `booking.models.places` hold what booking needs (floors, spaces, desks and their positions); the plan
holds the geometry that the floor maps and the travel times need (rooms, outlines, cores). `load_building` stores
it in the transaction that writes the desks, with the same ``loaded_at``, so that every server reads a plan and
desks of the same load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import BuildingPlan
from floorplan.geojson import building_from_geojson, building_to_geojson
from floorplan.model import Building


@dataclass(frozen=True)
class StoredPlan:
    loaded_at: datetime
    building: Building


def store_plan(session: Session, building: Building, *, loaded_at: datetime) -> None:
    """Keep ``building``'s plan, replacing the one of an earlier load (the building's row must exist)."""
    document = building_to_geojson(building)
    row = session.get(BuildingPlan, building.id)  # the document is deferred: the old one is not read
    if row is None:
        session.add(BuildingPlan(building_id=building.id, loaded_at=loaded_at, geojson=document))
    else:
        row.loaded_at, row.geojson = loaded_at, document


def stored_plan(session: Session, building_id: str) -> StoredPlan | None:
    """The plan of the building's last load, read and checked by floorplan's reader; None if none is stored.

    Raises `floorplan.errors.InvalidBuilding` if the stored document no longer reads.
    """
    found = session.execute(
        select(BuildingPlan.loaded_at, BuildingPlan.geojson).where(BuildingPlan.building_id == building_id)
    ).first()
    if found is None:
        return None
    loaded_at, document = found
    return StoredPlan(loaded_at, building_from_geojson(document, source=f"the stored plan of {building_id!r}"))
