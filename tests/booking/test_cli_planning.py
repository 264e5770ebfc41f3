"""Planning on the command line: accounts with the planning roles, and `floorwise db upgrade` bringing in the
scenario folders earlier versions kept under FLOORWISE_DATA_DIR/scenarios/ (booking/pages/planning.py's layout),
each once."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from booking.database import Database, make_engine
from booking.models import User
from booking.models.planning import ScenarioFile, ScenarioLayout, ScenarioRow
from booking.services import scenarios as svc
from layouts.demo import DEMO_SCENARIO
from layouts.scenario import read_scenario
from tests.booking.cli import Result, floorwise
from tests.booking.planning_data import NOW_LAYOUT, tiny_building_file, tiny_yaml


def run(tmp_path: Path, *args: str | Path) -> Result:
    env = {"FLOORWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "FLOORWISE_DATA_DIR": str(tmp_path / "data")}
    return floorwise(*args, cwd=tmp_path, env=env)


def database(tmp_path: Path) -> Database:
    return Database(make_engine(f"sqlite:///{tmp_path / 'f.db'}"))


def test_accounts_with_the_planning_roles(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").code == 0
    r = run(tmp_path, "users", "create", "tanaka", "--password", "long-enough", "--role", "planner")
    assert r.code == 0 and "created tanaka (planner)" in r.out
    r = run(tmp_path, "users", "create", "iin", "--password", "long-enough", "--role", "committee")
    assert r.code == 0 and "created iin (committee)" in r.out
    r = run(tmp_path, "users", "create", "x", "--password", "long-enough", "--role", "planner", "--admin")
    assert r.code == 1 and "give one of --role, --admin and --manager" in r.err
    r = run(tmp_path, "users", "create", "y", "--password", "long-enough", "--role", "boss")
    assert r.code != 0 and "Traceback" not in r.err
    with database(tmp_path).transaction(write=False) as session:
        roles = {u.id: u.role for u in session.scalars(select(User))}
    assert roles == {"tanaka": "planner", "iin": "committee"}


def keep_as_pages_did(data: Path, folder: str, files: dict[str, bytes], added: dict[str, object] | None) -> None:
    """A workspace as booking/pages/planning.py wrote one: scenario.yaml, its files, added-layouts.json."""
    place = data / "scenarios" / folder
    place.mkdir(parents=True)
    for name, content in files.items():
        (place / name).write_bytes(content)
    if added is not None:
        (place / "added-layouts.json").write_text(json.dumps(added), encoding="utf-8")


def test_db_upgrade_brings_in_the_scenarios_kept_in_files_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo_layouts = len(read_scenario(DEMO_SCENARIO).layouts)
    optimised = {"a": {"1F": 4}, "b": {"3F": 4}, "c": {"1F": 4}}
    keep_as_pages_did(
        data,
        "Ab3xK9",
        {"scenario.yaml": tiny_yaml(building="tiny.floors.yaml"), "tiny.floors.yaml": tiny_building_file()},
        {"optimised": optimised},
    )
    demo_now = {unit: dict(seats) for unit, seats in read_scenario(DEMO_SCENARIO).layout().seats.items()}
    keep_as_pages_did(data, "demo", {}, {"optimised": demo_now})
    keep_as_pages_did(data, "Zz1", {"scenario.yaml": tiny_yaml(building="../../secret.yaml")}, None)
    (tmp_path / "secret.yaml").write_bytes(tiny_building_file())  # exists, and is still not read
    keep_as_pages_did(data, "empty", {}, None)  # a failed upload's folder: nothing to bring in

    r = run(tmp_path, "db", "upgrade")
    assert r.code == 0, r.err
    lines = [line for line in r.out.splitlines() if line.startswith("scenario ")]
    assert lines == [
        "scenario Ab3xK9: brought in as 1 (tiny, 3 layouts)",
        "scenario Zz1: not brought in: scenario: scenario, field 'building': '../../secret.yaml' is not among the "
        "files uploaded with the scenario",
        f"scenario demo: brought in as 2 (区民部・子ども家庭部・福祉部 (demo), {demo_layouts + 1} layouts)",
    ]
    with database(tmp_path).transaction(write=False) as session:
        rows = list(session.scalars(select(ScenarioRow)))
        assert [(r.id, r.name) for r in rows] == [(1, "tiny"), (2, "区民部・子ども家庭部・福祉部 (demo)")]
        assert svc.layouts_of(session, 2)[-1].layout == demo_now
        layouts = [(lay.name, lay.origin, lay.layout, lay.settings) for lay in svc.layouts_of(session, 1)]
        assert layouts[0][:3] == ("now", "imported", NOW_LAYOUT)
        kept = {"seed": 0, "workers": 1, "kept_in": "Ab3xK9/added-layouts.json"}
        assert layouts[2] == ("optimised", "optimised", optimised, kept)
        assert list(session.scalars(select(ScenarioFile.name))) == ["tiny.floors.yaml"]

    again = run(tmp_path, "db", "upgrade")
    assert again.code == 0
    assert "scenario Ab3xK9: already in the database" in again.out
    with database(tmp_path).transaction(write=False) as session:
        assert len(list(session.scalars(select(ScenarioRow)))) == 2
        assert len(list(session.scalars(select(ScenarioLayout)))) == 3 + demo_layouts + 1
