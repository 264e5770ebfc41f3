"""Revision 0002 on a database in use at 0001: buildings loaded then have their plan files copied in, when the file
is of their last load; the others keep the fallbacks (a sketch of their desks)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from booking.database import make_engine, normalise_url
from booking.migrate import current_revision, upgrade_database
from booking.models import BuildingRow, DeskRow, FloorRow, SpaceRow, UTCDateTime
from booking.services.loading import load_building
from booking.services.plan_cache import PlanCache
from booking.services.plans import stored_plan
from floorplan.geojson import write_geojson
from floorplan.model import Building
from tests.booking.conftest import BACKENDS, postgres_url
from tests.booking.factories import NOW, floorplan_building

#: PostgreSQL's database at 0001 lives in a schema of its own, beside the suite's database in ``public``.
SCHEMA = "floorwise_upgrade_test"


@pytest.fixture(params=BACKENDS)
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database migrated to 0001 only."""
    if request.param == "postgresql":
        url = postgres_url()
        if url is None:
            pytest.skip("PostgreSQL tests skipped: FLOORWISE_TEST_POSTGRES_URL is not set")
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        engine = create_engine(normalise_url(url), connect_args={"options": f"-csearch_path={SCHEMA}"})
    else:
        admin = None
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade_database(engine, "0001")
    yield engine
    engine.dispose()
    if admin is not None:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


#: The buildings table as 0001 made it (later revisions add columns the models know and 0001 does not).
BUILDINGS_0001 = sa.table(
    "buildings",
    sa.column("id", sa.String()),
    sa.column("name", sa.String()),
    sa.column("timezone", sa.String()),
    sa.column("loaded_at", UTCDateTime()),
    sa.column("opens_at", sa.Time()),
    sa.column("closes_at", sa.Time()),
    sa.column("noon", sa.Time()),
    sa.column("days_ahead", sa.Integer()),
    sa.column("hourly_step_minutes", sa.Integer()),
    sa.column("one_desk_per_person", sa.Boolean()),
    sa.column("closed_weekdays", sa.JSON()),
    sa.column("holiday_country", sa.String()),
    sa.column("cancel_cutoff_minutes", sa.Integer()),
    sa.column("check_in_required", sa.Boolean()),
    sa.column("check_in_opens_minutes", sa.Integer()),
    sa.column("check_in_closes_minutes", sa.Integer()),
    sa.column("zone_release_time", sa.Time()),
    sa.column("show_booker_names", sa.Boolean()),
)


def add_as_0001_did(session: Session, building: Building) -> None:
    """The rows 0001's loading wrote for ``building`` (the plan then went to a file, if anywhere)."""
    session.execute(
        BUILDINGS_0001.insert().values(
            id=building.id, name=building.name, timezone=building.timezone, loaded_at=NOW,
            opens_at=time(8, 30), closes_at=time(17, 15), noon=time(12), days_ahead=28, hourly_step_minutes=30,
            one_desk_per_person=True, closed_weekdays=[5, 6], holiday_country="JP", cancel_cutoff_minutes=0,
            check_in_required=True, check_in_opens_minutes=30, check_in_closes_minutes=60,
            zone_release_time=time(15), show_booker_names=True,
        )
    )  # fmt: skip
    for f in building.floors:
        floor = FloorRow(building_id=building.id, ref=f.id, name=f.name, level=f.level)
        session.add(floor)
        session.flush()
        spaces = {
            s.id: SpaceRow(building_id=building.id, floor_id=floor.id, ref=s.id, kind=s.kind.value) for s in f.spaces
        }
        session.add_all(spaces.values())
        session.flush()
        for d in f.desks:
            x, y = d.position.x, d.position.y
            session.add(
                DeskRow(building_id=building.id, floor_id=floor.id, space_id=spaces[d.space_id].id, ref=d.id, x=x, y=y)
            )
    session.flush()


def test_upgrading_copies_the_plan_files_of_the_last_loads(
    old_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    plans = data / "plans"
    plans.mkdir(parents=True)
    hq = floorplan_building(building_id="hq", floors=2)
    east = floorplan_building(building_id="east wing")
    with Session(old_engine) as session, session.begin():
        for building in (hq, east, floorplan_building(building_id="annex"), floorplan_building(building_id="old")):
            add_as_0001_did(session, building)
        add_as_0001_did(session, floorplan_building(building_id="broken"))
    write_geojson(hq, plans / "hq.building.geojson")
    write_geojson(east, plans / "east_wing.building.geojson")  # 0001's file name: unsafe characters as "_"
    write_geojson(floorplan_building(building_id="old", desks=5), plans / "old.building.geojson")  # an older load
    (plans / "broken.building.geojson").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("FLOORWISE_DATA_DIR", str(data))

    with caplog.at_level(logging.WARNING, logger="floorwise"):
        upgrade_database(old_engine, "0002")
    assert current_revision(old_engine) == "0002"
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "'old' not copied" in warned and "'broken' not copied" in warned and "'hq'" not in warned

    upgrade_database(old_engine)  # the later revisions, so that the models read the rows
    with Session(old_engine) as session:
        copied = stored_plan(session, "hq")
        assert copied is not None and copied.building == hq and copied.loaded_at == NOW
        assert (found := stored_plan(session, "east wing")) is not None and found.building == east
        for left_out in ("annex", "old", "broken"):
            assert stored_plan(session, left_out) is None
        annex = session.get(BuildingRow, "annex")
        assert annex is not None
        sketch = PlanCache().plan(session, annex)
        assert sketch.floor("1F").spaces[0].geometry is None  # the fallback: the desks at their positions
        assert {d.id for d in sketch.floor("1F").desks} == {d.id for d in floorplan_building().desks()}

    with Session(old_engine) as session, session.begin():  # loading again stores the plan, as for any building
        load_building(session, floorplan_building(building_id="old", desks=5), now=NOW, actor="test")
    with Session(old_engine) as session:
        assert (reloaded := stored_plan(session, "old")) is not None and len(list(reloaded.building.desks())) == 7


def test_upgrading_an_empty_database_reads_no_files(old_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOORWISE_DATA_DIR", "/nonexistent/floorwise-data")
    upgrade_database(old_engine, "0002")
    assert current_revision(old_engine) == "0002"
