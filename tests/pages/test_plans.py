"""The plans the floor maps draw: kept when a building is loaded, read once per load, sketched when missing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from booking.models import BuildingRow
from booking.pages.plans import PlanCache, plan_path, save_plan
from floorplan.geojson import write_geojson
from tests.booking.cli import floorwise
from tests.booking.factories import floorplan_building, make_building


def test_a_kept_plan_is_drawn_and_a_missing_one_sketched(db: Session, tmp_path: Path) -> None:
    row = make_building(db, floors=2)
    cache = PlanCache()
    sketch = cache.plan(db, tmp_path, row)
    assert [f.id for f in sketch.floors] == ["1F", "2F"]
    assert sketch.floor("1F").spaces[0].geometry is None  # the database has no polygons
    assert {d.id for d in sketch.floor("1F").desks} == {"1F-D1", "1F-D2", "1F-D3", "1F-D4", "1F-H1", "1F-H2"}
    drawn = floorplan_building(floors=2)
    save_plan(tmp_path, drawn)
    kept = cache.plan(db, tmp_path, row)
    assert kept.floor("1F").outline is not None and kept.floor("1F").spaces[0].geometry is not None
    assert cache.plan(db, tmp_path, row) is kept  # read once


def test_floorwise_load_keeps_the_plan(tmp_path: Path) -> None:
    path = tmp_path / "hq.building.geojson"
    write_geojson(floorplan_building(building_id="hq"), path)
    env = {"FLOORWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FLOORWISE_DATA_DIR": str(tmp_path / "data")}
    assert floorwise("db", "upgrade", cwd=tmp_path, env=env).code == 0
    result = floorwise("load", path, cwd=tmp_path, env=env)
    assert result.code == 0, result.err
    assert plan_path(tmp_path / "data", "hq").is_file()


def test_the_demo_building_is_drawn_from_code_without_a_file(db: Session, tmp_path: Path) -> None:
    from floorplan.demo import demo_building

    demo = demo_building()
    row = BuildingRow(id=demo.id, name=demo.name, timezone=demo.timezone, loaded_at=make_building(db).loaded_at)
    assert PlanCache().plan(db, tmp_path, row).floor("6F").outline is not None
