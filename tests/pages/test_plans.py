"""The plans the floor maps draw: stored when a building is loaded, read once per load, sketched when missing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import BuildingPlan, BuildingRow, TokenKind
from booking.services.accounts import issue_token
from booking.services.plan_cache import PlanCache
from booking.services.plans import stored_plan
from booking.settings import Settings
from floorplan.geojson import write_geojson
from tests.booking.cli import floorwise
from tests.booking.factories import NOW, floorplan_building, make_building, make_user
from tests.booking.services.test_plans import deeper, office_area
from tests.pages.conftest import SECRET


def test_a_stored_plan_is_drawn_once_per_load_and_a_missing_one_sketched(db: Session) -> None:
    row = make_building(db, floors=2)
    cache = PlanCache()
    kept = cache.plan(db, row)
    assert kept == floorplan_building(floors=2)
    assert kept.floor("1F").outline is not None and kept.floor("1F").spaces[0].geometry is not None
    assert cache.plan(db, row) is kept  # read once

    db.execute(delete(BuildingPlan))  # as a building loaded before plans were stored, and no plan file to copy
    row.loaded_at = NOW + timedelta(minutes=1)
    db.flush()
    sketch = cache.plan(db, row)
    assert [f.id for f in sketch.floors] == ["1F", "2F"]
    assert sketch.floor("1F").spaces[0].geometry is None  # the database has no polygons
    assert {d.id for d in sketch.floor("1F").desks} == {"1F-D1", "1F-D2", "1F-D3", "1F-D4", "1F-H1", "1F-H2"}


def test_a_server_draws_what_floorwise_load_stores_and_sees_a_reload_without_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    env = {"FLOORWISE_DATABASE_URL": url, "FLOORWISE_DATA_DIR": str(tmp_path / "loader")}
    first, second = tmp_path / "first.building.geojson", tmp_path / "second.building.geojson"
    write_geojson(floorplan_building(), first)
    write_geojson(deeper(floorplan_building(), 12), second)
    assert floorwise("db", "upgrade", env=env).code == 0
    loaded = floorwise("load", first, env=env)
    assert loaded.code == 0, loaded.err

    settings = Settings(database_url=url, secret_key=SECRET, data_dir=tmp_path / "server")
    database = Database.from_settings(settings)
    try:
        with database.transaction() as session:
            stored = stored_plan(session, "hq")
            row = session.get(BuildingRow, "hq")
            assert stored is not None and row is not None
            assert stored.building == floorplan_building() and stored.loaded_at == row.loaded_at
            sato = make_user(session, "sato", name="佐藤 花子")
            secret = issue_token(session, sato, kind=TokenKind.SESSION, key=SECRET, now=NOW, lifetime=None)
        with TestClient(create_app(settings, clock=FixedClock(NOW), database=database)) as client:
            client.cookies.set("floorwise_session", secret)
            assert office_area(client) == "200"
            reloaded = floorwise("load", second, env=env)  # another process, while this server runs
            assert reloaded.code == 0, reloaded.err
            assert office_area(client) == "240"
    finally:
        database.dispose()
    assert not (tmp_path / "loader").exists() and not (tmp_path / "server").exists()


def test_the_demo_building_is_drawn_from_code_without_a_stored_plan(db: Session) -> None:
    from floorplan.demo import demo_building

    demo = demo_building()
    row = BuildingRow(id=demo.id, name=demo.name, timezone=demo.timezone, loaded_at=make_building(db).loaded_at)
    assert PlanCache().plan(db, row).floor("6F").outline is not None
