"""Plans stored with the desks: loading stores the building's GeoJSON in the load's transaction, a reload replaces
it, and any app on the same database draws it (no files), seeing a reload on its next request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from shapely import box
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from booking.app import create_app
from booking.clock import FixedClock
from booking.database import Database
from booking.models import BuildingPlan, BuildingRow, TokenKind, User
from booking.services.accounts import issue_token
from booking.services.loading import load_building
from booking.services.plans import stored_plan
from booking.settings import Settings
from booking.web.deps import get_session
from floorplan.geojson import building_to_geojson
from floorplan.model import Building
from tests.booking.factories import NOW, floorplan_building, make_user

SECRET = "test-secret-key"


def deeper(building: Building, depth_m: float) -> Building:
    """``building`` with every floor, room and outline ``depth_m`` deep instead of 10 m: the desks stay as they are,
    so that only the plan tells the two apart."""
    floors = []
    for f in building.floors:
        spaces = tuple(
            replace(s, geometry=box(*s.geometry.bounds[:3], depth_m), area_m2=None)  # type: ignore[union-attr]
            for s in f.spaces
        )
        floors.append(replace(f, outline=box(0, 0, 30, depth_m), spaces=spaces))
    return replace(building, floors=tuple(floors))


def test_loading_stores_the_plan_and_a_reload_replaces_it(db: Session) -> None:
    first = floorplan_building(floors=2)
    load_building(db, first, now=NOW, actor="test")
    stored = stored_plan(db, "hq")
    assert stored is not None and stored.building == first and stored.loaded_at == NOW
    row = db.get(BuildingRow, "hq")
    assert row is not None and row.loaded_at == stored.loaded_at  # one load: desks and plan agree

    later = NOW + timedelta(hours=1)
    second = deeper(floorplan_building(floors=1, desks=2), 12)
    load_building(db, second, now=later, actor="test")
    again = stored_plan(db, "hq")
    assert again is not None and again.building == second and again.loaded_at == later
    assert again.building.floor("1F").outline.area == 360  # type: ignore[union-attr]
    assert db.scalar(select(func.count()).select_from(BuildingPlan)) == 1
    document = db.scalar(select(BuildingPlan.geojson).where(BuildingPlan.building_id == "hq"))
    assert document == building_to_geojson(second)  # the native GeoJSON, as floorplan writes it


def test_a_building_without_a_plan_has_none(db: Session) -> None:
    assert stored_plan(db, "nowhere") is None


@contextmanager
def app_client(engine: Engine, db: Session, data_dir: Path) -> Iterator[TestClient]:
    """One app instance (its own caches and data folder) whose requests run in the test's session."""
    settings = Settings(database_url="sqlite://", secret_key=SECRET, data_dir=data_dir)
    app = create_app(settings, clock=FixedClock(NOW), database=Database(engine))

    def test_session() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_session] = test_session
    app.state.auth_session = lambda: nullcontext(db)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        client.headers["Accept-Language"] = "en"
        yield client


def log_in(client: TestClient, db: Session, user: User) -> None:
    secret = issue_token(db, user, kind=TokenKind.SESSION, key=SECRET, now=NOW, lifetime=timedelta(days=1))
    db.commit()
    client.cookies.set("floorwise_session", secret)


def office_area(client: TestClient) -> str | None:
    """The office room's area as the booking map's room title gives it; None when the map is a sketch of the desks
    (a sketch has no rooms: the database holds desks and their positions, not the rooms' polygons)."""
    response = client.get("/book?date=2026-04-01")
    assert response.status_code == 200, response.text
    assert 'id="desk-1F-D1"' in response.text  # a map, drawn or sketched
    found = re.search(r'id="space-1F-office"[^>]*><title>office \(office, (\d+) m²', response.text)
    return found.group(1) if found else None


def test_another_app_on_the_same_database_draws_the_plan_and_sees_a_reload(
    engine: Engine, db: Session, tmp_path: Path
) -> None:
    sato = make_user(db, "sato", name="佐藤 花子")
    with app_client(engine, db, tmp_path / "a") as first, app_client(engine, db, tmp_path / "b") as second:
        log_in(first, db, sato)
        log_in(second, db, sato)
        load_building(db, floorplan_building(), now=NOW, actor="test")
        db.commit()
        assert office_area(first) == "200"  # the office (0, 0)-(20, 10)
        assert office_area(second) == "200"
        load_building(db, deeper(floorplan_building(), 12), now=NOW + timedelta(minutes=5), actor="test")
        db.commit()
        assert office_area(second) == "240"  # it had cached the earlier load's plan
        assert office_area(first) == "240"
        db.execute(delete(BuildingPlan))  # as a building loaded before plans were stored, without a plan file
        row = db.get(BuildingRow, "hq")
        assert row is not None
        row.loaded_at = NOW + timedelta(minutes=10)
        db.commit()
        assert office_area(second) is None  # sketched from its desks
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # no files, on either side
