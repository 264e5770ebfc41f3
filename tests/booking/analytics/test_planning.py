"""A scenario from the generated quarter: it recovers the planted patterns, reads back, scores, and optimises."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import delete
from sqlalchemy.orm import Session

from booking.analytics.planning import ratio_for, scenario_from_bookings
from booking.errors import InvalidInput
from booking.models import BuildingPlan
from floorplan.geojson import write_geojson
from layouts.compare import compare_layouts
from layouts.optimize.stacking import optimize_scenario
from layouts.scenario import read_scenario
from layouts.scoring import score_layout
from layouts.units import seats_needed
from tests.booking.analytics.quarter import SINCE, UNTIL, office_building, planted_office
from tests.booking.factories import NOW, make_user

BASE = """\
name: Office plan
building: office.building.geojson
internal_trips_per_person: 4
units:
  - {id: ops, name: Operations}
  - {id: ops.pair_a, parent: ops, headcount: 6}
  - {id: ops.pair_b, parent: ops, headcount: 6}
  - {id: ops.sixty, parent: ops, headcount: 10}
  - {id: ops.monday, parent: ops, headcount: 10}
  - {id: ops.steady, parent: ops, headcount: 10}
  - {id: ops.fixed, parent: ops, headcount: 4, fixed_share: 1.0}
  - {id: ops.idle, parent: ops, headcount: 2, desk_ratio: 0.5}
  - {id: ops.gone, parent: ops, headcount: 3}
relations:
  - {a: ops.pair_a, b: ops.pair_b, rating: A}
  - [ops.monday, ops.sixty, 12]
  - {a: ops.gone, b: ops.steady, trips: 8, note: a section that was closed}
constraints:
  fixed: {ops.fixed: [1F], ops.gone: [3F]}
  max_floors: {ops: 3}
layouts:
  current: {ops.pair_a: {1F: 6}, ops.pair_b: {3F: 6}, ops.sixty: {2F: 10}, ops.monday: {2F: 10},
            ops.steady: {3F: 10}, ops.fixed: {1F: 4}, ops.idle: {3F: 1}, ops.gone: {3F: 3}}
"""


@pytest.fixture
def office(db: Session) -> None:
    """The quarter (its plan stored as loading stores it), and a section of two people who never came (ops.idle)."""
    planted_office(db)
    from tests.booking.factories import make_unit

    make_unit(db, "ops.idle", name="Idle", parent="ops")
    for person in ("idle1", "idle2"):
        make_user(db, person, unit="ops.idle")


def derive(db: Session, out: Path, **kw):  # type: ignore[no-untyped-def]
    return scenario_from_bookings(db, since=SINCE, until=UNTIL, now=NOW, out=out, **kw)


def test_desk_ratios_give_the_seats_back_exactly() -> None:
    for headcount in range(1, 120):
        for seats in range(1, headcount + 1):
            assert seats_needed(headcount, desk_ratio=ratio_for(seats, headcount)) == seats, (seats, headcount)
    assert ratio_for(7, 9) == 0.7777  # 9 * 0.7778 = 7.0002 would need 8 seats


def test_the_derived_scenario_recovers_the_planted_patterns(db: Session, office: None, tmp_path: Path) -> None:
    out = tmp_path / "plans" / "derived.yaml"
    out.parent.mkdir()
    derived = derive(db, out)
    data = yaml.safe_load(derived.text)
    assert data["building"] == "derived.building.geojson"  # the stored plan, to be written beside the scenario
    assert derived.plan == office_building() and derived.plan_path == out.parent / "derived.building.geojson"
    write_geojson(derived.plan, derived.plan_path)
    out.write_text(derived.text, encoding="utf-8")
    units = {u["id"]: u for u in data["units"]}
    assert "ops.idle" not in units and any("ops.idle" in n for n in derived.notes)
    assert units["ops.sixty"]["headcount"] == 10 and units["ops.sixty"]["desk_ratio"] <= 0.6
    relations = data["relations"]
    assert len(relations) == 1 and {relations[0]["a"], relations[0]["b"]} == {"ops.pair_a", "ops.pair_b"}
    assert relations[0]["trips"] > 30 and relations[0]["note"].startswith("co-attendance 2026-01-05..2026-03-27")
    assert data["layouts"]["current"]["ops.pair_b"] == {"3F": 6}  # its zone
    assert data["layouts"]["current"]["ops.fixed"] == {"1F": 4}  # its fixed desks
    assert data["layouts"]["current"]["ops.steady"] == {"3F": 6}  # no zone: where it booked, its seat need
    sources = {u.unit_id: u.source for u in derived.units}
    assert sources["ops.steady"] == "bookings" and sources["ops.sixty"] == "home"

    scenario = read_scenario(out)
    org = scenario.organisation
    plans = {u.unit_id: u for u in derived.units}
    for unit in org.leaves():
        assert org.seats_needed(unit) == plans[unit].seats  # the desk ratio gives back the observed seats
    assert org.seats_needed("ops.sixty") <= 6 and org.seats_needed("ops.fixed") == 4
    score = score_layout(scenario, "current")
    assert score.top_pairs[0].a == "ops.pair_a" and score.top_pairs[0].b == "ops.pair_b"  # apart today
    result = optimize_scenario(scenario, seed=1, max_iterations=3000)
    floors = {u.unit: set(u.floors) for u in result.score.units}
    assert floors["ops.pair_a"] == floors["ops.pair_b"]  # brought together
    assert result.score.travel_hours_per_week < score.travel_hours_per_week
    assert compare_layouts(result.scenario).baseline == "current"


def test_a_base_scenario_gives_the_building_relations_and_constraints(
    db: Session, office: None, tmp_path: Path
) -> None:
    base_path = tmp_path / "base" / "office.yaml"
    base_path.parent.mkdir()
    base_path.write_text(BASE, encoding="utf-8")
    write_geojson(office_building(), base_path.parent / "office.building.geojson")
    from layouts.scenario import read_scenario as read

    out = tmp_path / "derived.yaml"
    derived = derive(db, out, base=read(base_path))
    data = yaml.safe_load(derived.text)
    assert data["building"] == "base/office.building.geojson"
    assert derived.plan is None and derived.plan_path is None  # the base's building file is named, not written
    assert data["internal_trips_per_person"] == 4
    units = {u["id"]: u for u in data["units"]}
    assert units["ops.idle"] == {"id": "ops.idle", "name": "Idle", "parent": "ops", "headcount": 2, "desk_ratio": 0.5}
    assert "ops.gone" not in units  # not a unit in booking
    pairs = [(r["a"], r["b"]) if isinstance(r, dict) else tuple(r[:2]) for r in data["relations"]]
    assert pairs == [("ops.pair_a", "ops.pair_b"), ("ops.monday", "ops.sixty")]  # given ones kept, none added
    assert [(p.a, p.b) for p in derived.confirmed] == [("ops.pair_a", "ops.pair_b")] and derived.added == []
    assert data["constraints"] == {"fixed": {"ops.fixed": ["1F"]}, "max_floors": {"ops": 3}}
    assert any("ops.gone" in n and "relation" in n for n in derived.notes)
    assert any("constraints.fixed: ops.gone" in n for n in derived.notes)
    assert data["layouts"]["current"]["ops.idle"] == {"3F": 1}  # from the base's layout
    out.write_text(derived.text, encoding="utf-8")
    assert read_scenario(out).organisation.seats_needed("ops.idle") == 1


def test_without_a_plan_or_a_base_it_says_what_to_do(db: Session, tmp_path: Path) -> None:
    planted_office(db)
    db.execute(delete(BuildingPlan))  # as a building loaded before plans were stored, without a plan file
    with pytest.raises(InvalidInput, match="floorwise load"):
        derive(db, tmp_path / "out.yaml")
