"""The loop on the command line, as a planner runs it: `floorwise plan from-bookings`, the optimiser, then
`floorwise neighbourhoods apply` (asking first, or with --yes), on a SQLite file with the generated quarter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking.database import Database
from booking.models import AuditEntry, Zone
from booking.settings import Settings
from layouts.optimize.stacking import optimize_scenario
from layouts.scenario import read_scenario
from layouts.scenario_file import write_scenario_with_layout
from tests.booking.analytics.quarter import planted_office
from tests.booking.cli import Result, floorwise
from tests.booking.conftest import fresh_engine


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("loop")
    engine = fresh_engine("sqlite", folder)
    with Database(engine).transaction() as session:
        planted_office(session)
    engine.dispose()
    return {"FLOORWISE_DATABASE_URL": f"sqlite:///{folder / 'floorwise.db'}"}


def run(site: dict[str, str], *args: str | Path, answer: str | None = None) -> Result:
    if answer is None:
        return floorwise(*args, env=site)
    environ = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", **site}
    proc = subprocess.run(
        [sys.executable, "-m", "booking.cli", *map(str, args)], input=answer, capture_output=True, text=True,
        env=environ, timeout=300,
    )  # fmt: skip
    return Result(proc.returncode, proc.stdout, proc.stderr)


@contextmanager
def opened(site: dict[str, str]) -> Iterator[Session]:
    database = Database.from_settings(Settings(database_url=site["FLOORWISE_DATABASE_URL"]))
    try:
        with Session(database.engine) as session:
            yield session
    finally:
        database.dispose()


def zones(site: dict[str, str]) -> list[tuple[str, str]]:
    with opened(site) as session:
        return [(z.unit_id, z.name) for z in session.scalars(select(Zone).order_by(Zone.unit_id, Zone.name))]


def test_from_bookings_to_neighbourhoods(site: dict[str, str], tmp_path: Path) -> None:
    derived = tmp_path / "derived.yaml"
    made = run(site, "plan", "from-bookings", "--since", "2026-01-05", "--until", "2026-03-27", "-o", derived)
    assert made.code == 0, made.err
    assert "relation added: Pair A – Pair B" in made.out and f"wrote {derived}" in made.out
    assert f"wrote {tmp_path / 'derived.building.geojson'}" in made.out  # the building it names, from booking

    scenario = read_scenario(derived)
    result = optimize_scenario(scenario, seed=1, max_iterations=3000)
    optimised = tmp_path / "optimised.yaml"
    write_scenario_with_layout(derived, result.layout, optimised)
    before = zones(site)

    refused = run(site, "neighbourhoods", "apply", optimised, "--layout", "optimised", answer="n\n")
    assert refused.code == 1 and "Aborted" in refused.out + refused.err
    assert "Pair B (ops.pair_b)" in refused.out and zones(site) == before  # shown, not applied

    applied = run(site, "neighbourhoods", "apply", optimised, "--layout", "optimised", "--yes")
    assert applied.code == 0, applied.err
    assert "applied:" in applied.out and zones(site) != before
    again = run(site, "neighbourhoods", "apply", optimised, "--layout", "optimised", "--yes")
    assert again.code == 0 and "nothing to change" in again.out

    with opened(site) as session:
        applies = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "neighbourhoods.apply")
        assert session.scalar(applies) == 1


def test_mistakes_are_messages(site: dict[str, str], tmp_path: Path) -> None:
    backwards = run(
        site, "plan", "from-bookings", "--since", "2026-03-27", "--until", "2026-01-05", "-o", tmp_path / "x.yaml"
    )
    assert backwards.code == 1 and "error:" in backwards.err and "Traceback" not in backwards.err
    assert not (tmp_path / "x.yaml").exists()
    unknown = run(site, "neighbourhoods", "apply", "demo", "--layout", "nope")
    assert unknown.code == 1 and "no layout 'nope'" in unknown.err
