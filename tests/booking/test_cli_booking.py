"""The booking commands as a user runs them: a real process, its exit status and what it prints, no tracebacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from booking.database import Database, make_engine
from booking.models import Booking, Unit, User
from floorplan.geojson import write_geojson
from tests.booking.cli import Result, floorwise
from tests.booking.factories import NOW, desk, floorplan_building, make_user


def run(tmp_path: Path, *args: str | Path) -> Result:
    return floorwise(*args, cwd=tmp_path, env={"FLOORWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}"})


def database(tmp_path: Path) -> Database:
    return Database(make_engine(f"sqlite:///{tmp_path / 'f.db'}"))


def test_commands_need_an_upgraded_database(tmp_path: Path) -> None:
    r = run(tmp_path, "users", "create", "sato", "--password", "long-enough")
    assert r.code == 1 and "Traceback" not in r.err
    assert "is not set up for this version; run `floorwise db upgrade`" in r.err
    r = run(tmp_path, "db", "upgrade")
    assert r.code == 0 and "is up to date" in r.out
    r = run(tmp_path, "users", "create", "sato", "--password", "long-enough", "--admin")
    assert r.code == 0 and "created sato (admin)" in r.out
    r = run(tmp_path, "users", "create", "sato", "--password", "long-enough")
    assert r.code == 1 and "error: field 'id': a person with id 'sato' exists already" in r.err


def test_units_and_people_imports(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").code == 0
    scenario = tmp_path / "org.yaml"
    scenario.write_text(
        "units:\n  - {id: kumin, name: 区民部}\n  - {id: kumin.koseki, name: 戸籍住民課, parent: kumin}\n",
        encoding="utf-8",
    )
    r = run(tmp_path, "units", "import", scenario)
    assert r.code == 0 and "2 units added, 0 updated" in r.out
    people = tmp_path / "people.csv"
    people.write_text("id,name,email,unit\nsato,佐藤,sato@example.jp,kumin.koseki\nsuzuki,鈴木,,kumin.zeimu\n")
    r = run(tmp_path, "users", "import", people)
    assert r.code == 1 and "Traceback" not in r.err
    assert f"error: {people}: row 3, field 'unit': no unit 'kumin.zeimu' (import the units first)" in r.err
    with database(tmp_path).transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0  # nothing half-written
    people.write_text("id,name,email,unit\nsato,佐藤,sato@example.jp,kumin.koseki\nsuzuki,鈴木,,kumin\n")
    r = run(tmp_path, "users", "import", people)
    assert r.code == 0 and "2 people added, 0 updated" in r.out
    with database(tmp_path).transaction(write=False) as session:
        assert session.get(Unit, "kumin.koseki").parent_id == "kumin"  # type: ignore[union-attr]
    r = run(tmp_path, "users", "import", tmp_path / "missing.csv")
    assert r.code == 1 and "missing.csv: no such file" in r.err


def test_load_reports_bookings_on_a_desk_that_disappears(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").code == 0
    path = tmp_path / "hq.geojson"
    write_geojson(floorplan_building(desks=3, hourly_desks=0), path)
    r = run(tmp_path, "load", path)
    assert r.code == 0 and "loaded building hq: floors 1 added; spaces 1 added; desks 3 added" in r.out
    db = database(tmp_path)
    with db.transaction() as session:
        user = make_user(session, "sato", name="佐藤")
        # The command reads the real clock: a booking a month from now, written directly.
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
        booking = Booking(
            desk_id=desk(session, "1F-D2").id,
            user_id=user.id,
            start_utc=start,
            end_utc=start + timedelta(hours=4),
            created_at=NOW,
        )
        session.add(booking)
        session.flush()
        booking_id = booking.id
    db.dispose()
    write_geojson(floorplan_building(desks=3, hourly_desks=0, skip=frozenset({"1F-D2"})), path)
    r = run(tmp_path, "load", path)
    assert r.code == 0, r.err
    assert "updated building hq" in r.out and "2 updated, 1 retired" in r.out
    assert "retired desks: 1F-D2" in r.out
    assert "bookings still ahead on retired desks" in r.out
    row = next(line for line in r.out.splitlines() if "佐藤 (sato)" in line)
    assert f"{booking_id}" in row and "1F-D2" in row and start.astimezone(ZoneInfo("Asia/Tokyo")).isoformat() in row


def test_load_of_a_bad_file_names_the_problem(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").code == 0
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [')
    r = run(tmp_path, "load", bad)
    assert r.code == 1 and "Traceback" not in r.err and "bad.geojson: not valid JSON" in r.err
