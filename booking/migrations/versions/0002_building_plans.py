"""Buildings' plans in the database (building_plans); plan files kept under FLOORWISE_DATA_DIR/plans/ copied in

Until this revision, loading a building also wrote its native GeoJSON to ``<data_dir>/plans/<id>.building.geojson``
for the floor maps. Each building that has such a file gets it copied in with the building's ``loaded_at``, if
the file reads and has the building's id and exactly its current desks (else it is from another load, and is
left out with a warning). Buildings without a plan keep being drawn as before: the demo from code, any other as a
sketch of its desks. Run the upgrade where FLOORWISE_DATA_DIR is the folder the application used.

Frozen: this revision reads the files with its own copy of what it needs (the native format's version 1, as the
application wrote it), not with the application's code. It stores a file as it was written; its geometry is
checked when the maps read the plan (a plan that does not read is drawn as a sketch, with a warning).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

from booking.migrations.frozen_types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("floorwise")

# The tables as this revision knows them, whatever the models say later.
buildings = sa.table("buildings", sa.column("id", sa.String()), sa.column("loaded_at", UTCDateTime()))
desks = sa.table(
    "desks",
    sa.column("building_id", sa.String()),
    sa.column("ref", sa.String()),
    sa.column("retired_at", UTCDateTime()),
)
building_plans = sa.table(
    "building_plans",
    sa.column("building_id", sa.String()),
    sa.column("loaded_at", UTCDateTime()),
    sa.column("geojson", sa.JSON()),
)


def upgrade() -> None:
    op.create_table(
        "building_plans",
        sa.Column("building_id", sa.String(length=100), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("geojson", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_building_plans_building_id_buildings")
        ),
        sa.PrimaryKeyConstraint("building_id", name=op.f("pk_building_plans")),
    )
    copy_plan_files(op.get_bind())


def downgrade() -> None:
    op.drop_table("building_plans")


def plan_file(data_dir: Path, building_id: str) -> Path:
    """Where revision 0001's application kept a building's plan."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", building_id)
    return data_dir / "plans" / f"{safe}.building.geojson"


def copy_plan_files(connection: sa.Connection) -> None:
    rows = connection.execute(sa.select(buildings.c.id, buildings.c.loaded_at).order_by(buildings.c.id)).all()
    if not rows:
        return
    data_dir = Path(os.environ.get("FLOORWISE_DATA_DIR") or "floorwise-data")  # the setting's default then
    for building_id, loaded_at in rows:
        path = plan_file(data_dir, building_id)
        if not path.is_file():
            continue
        try:
            plan = read_plan_file(path)
        except (PlanFileUnreadable, OSError) as exc:
            log.warning("plan of building %r not copied into the database: %s", building_id, exc)
            continue
        current = set(
            connection.scalars(
                sa.select(desks.c.ref).where(desks.c.building_id == building_id, desks.c.retired_at.is_(None))
            )
        )
        if plan.building_id != building_id or plan.desk_ids != current:
            log.warning(
                "plan of building %r not copied into the database: %s is not of its last load (building or desks "
                "differ); load the building again to store its plan",
                building_id,
                path,
            )
            continue
        connection.execute(
            building_plans.insert().values(building_id=building_id, loaded_at=loaded_at, geojson=plan.document)
        )
        log.info("plan of building %r copied into the database from %s", building_id, path)


class PlanFileUnreadable(Exception):
    """A plan file that is not a native building file of format version 1."""


class PlanFile:
    """What this revision needs of a plan file: the building's id, its desks' ids, the document to store."""

    def __init__(self, building_id: str, desk_ids: set[str], document: dict[str, Any]) -> None:
        self.building_id = building_id
        self.desk_ids = desk_ids
        self.document = document


#: The native format's feature types at version 1.
FEATURE_TYPES = ("building", "level", "space", "desk", "core", "corridor")


def read_plan_file(path: Path) -> PlanFile:
    """Read a native building file as revision 0001's application wrote it (a GeoJSON FeatureCollection with a
    ``feature_type`` property per feature, format version 1): the building's id (its building feature's, else
    "building", as that reader had it) and its desks' ids."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PlanFileUnreadable(f"{path}: not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise PlanFileUnreadable(f"{path}: not valid JSON: {exc.msg} at {where}") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PlanFileUnreadable(f"{path}: the file is not a GeoJSON FeatureCollection")
    version = (document.get("floorwise") or {}).get("version", 1)
    if version != 1:
        raise PlanFileUnreadable(f"{path}: format version {version!r} is not supported (this is version 1)")
    features = document.get("features")
    if not isinstance(features, list):
        raise PlanFileUnreadable(f"{path}: features must be a list")
    heads: list[dict[str, Any]] = []
    desk_ids: set[str] = set()
    for i, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict) or properties.get("feature_type") not in FEATURE_TYPES:
            raise PlanFileUnreadable(f"{path}: features[{i}] is not a Feature with a known feature_type")
        fid = feature.get("id", properties.get("id"))
        if properties["feature_type"] == "building":
            heads.append(feature)
        elif properties["feature_type"] == "desk":
            if fid is None:
                raise PlanFileUnreadable(f"{path}: features[{i}] is a desk without an id")
            desk_ids.add(str(fid))
    if len(heads) > 1:
        raise PlanFileUnreadable(f"{path}: there are {len(heads)} building features; a file holds one building")
    head: dict[str, Any] = heads[0] if heads else {"id": "building", "properties": {}}
    properties = head["properties"]
    building_id = str(head.get("id", properties.get("id", "building")))
    return PlanFile(building_id, desk_ids, document)
