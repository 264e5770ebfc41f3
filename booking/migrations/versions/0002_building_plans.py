"""Buildings' plans in the database (building_plans); plan files kept under FLOORWISE_DATA_DIR/plans/ copied in

Until this revision, loading a building also wrote its native GeoJSON to ``<data_dir>/plans/<id>.building.geojson``
for the floor maps. Each building that has such a file gets it copied in with the building's ``loaded_at``, if
the file reads and has the building's id and exactly its current desks (else it is from another load, and is
left out with a warning). Buildings without a plan keep being drawn as before: the demo from code, any other as a
sketch of its desks. Run the upgrade where FLOORWISE_DATA_DIR is the folder the application used.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op

from booking.models.base import UTCDateTime
from booking.settings import Settings
from floorplan.errors import FloorplanError
from floorplan.geojson import building_to_geojson, read_geojson

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
    data_dir = Settings().data_dir
    for building_id, loaded_at in rows:
        path = plan_file(data_dir, building_id)
        if not path.is_file():
            continue
        try:
            building = read_geojson(path).building
        except (FloorplanError, OSError) as exc:
            log.warning("plan of building %r not copied into the database: %s", building_id, exc)
            continue
        current = set(
            connection.scalars(
                sa.select(desks.c.ref).where(desks.c.building_id == building_id, desks.c.retired_at.is_(None))
            )
        )
        if building.id != building_id or {d.id for d in building.desks()} != current:
            log.warning(
                "plan of building %r not copied into the database: %s is not of its last load (building or desks "
                "differ); load the building again to store its plan",
                building_id,
                path,
            )
            continue
        connection.execute(
            building_plans.insert().values(
                building_id=building_id, loaded_at=loaded_at, geojson=building_to_geojson(building)
            )
        )
        log.info("plan of building %r copied into the database from %s", building_id, path)
