"""Making a layout the units' home zones, on the generated office (see `quarter`): which desks, worked by hand.

1F: pair_a's zone is 1F-E01..E06 (x = 21..31, y = 3); the lift's footprint is centred at (43, 2.5). 2F: sixty's zone
is 2F-W01..W10 (x = 1..19, y = 3), monday's 2F-E01..E10.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from booking.analytics.neighbourhoods import apply_neighbourhoods, describe, plan_neighbourhoods
from booking.analytics.planning import scenario_from_bookings
from booking.errors import InvalidInput, InvalidRequest
from booking.models import AuditEntry, DeskRow, Zone, zone_desks
from floorplan.geojson import write_geojson
from layouts.layout import Layout
from layouts.optimize.stacking import with_layout
from layouts.scenario import Scenario, read_scenario
from tests.booking.analytics.quarter import SINCE, UNTIL, planted_office
from tests.booking.factories import NOW


@pytest.fixture
def scenario(db: Session, tmp_path: Path) -> Scenario:
    """The quarter's derived scenario: its current layout is the units' home desks."""
    planted_office(db)
    out = tmp_path / "derived.yaml"
    derived = scenario_from_bookings(db, since=SINCE, until=UNTIL, now=NOW, out=out)
    assert derived.plan is not None and derived.plan_path is not None
    write_geojson(derived.plan, derived.plan_path)
    out.write_text(derived.text, encoding="utf-8")
    return read_scenario(out)


def moved(scenario: Scenario, **changes: dict[str, int]) -> Scenario:
    seats = {u: dict(s) for u, s in scenario.layout("current").seats.items()}
    seats.update({f"ops.{u}": s for u, s in changes.items()})
    return with_layout(scenario, Layout("moved", seats))


def zone_refs(db: Session, unit: str) -> dict[str, list[str]]:
    rows = db.execute(
        select(Zone.name, DeskRow.ref)
        .join(zone_desks, zone_desks.c.zone_id == Zone.id)
        .join(DeskRow, DeskRow.id == zone_desks.c.desk_id)
        .where(Zone.unit_id == unit)
    ).all()
    out: dict[str, list[str]] = {}
    for name, ref in rows:
        out.setdefault(name, []).append(ref)
    return {k: sorted(v) for k, v in out.items()}


def test_the_current_layout_gives_a_home_only_to_the_unit_without_one(db: Session, scenario: Scenario) -> None:
    plan = plan_neighbourhoods(db, scenario, layout="current", now=NOW)
    assert {u.unit_id for u in plan.units if not u.changed} == {
        "ops.fixed", "ops.monday", "ops.pair_a", "ops.pair_b", "ops.sixty"
    }  # fmt: skip
    # steady booked on 3F without a zone: it gets one of its 6 seats, the free desks nearest the lift at (43, 2.5)
    # (pair_b keeps 3F-E01..E06): E10 4.5 m, E09 6.5, E08 and E20 8.5 (by id), E07 and E19 10.5
    (steady,) = plan.changed
    refs = {int(d): r for d, r in db.execute(select(DeskRow.id, DeskRow.ref))}
    assert [(floor, sorted(refs[d] for d in desks)) for floor, desks in steady.new_zones] == [
        ("3F", ["3F-E07", "3F-E08", "3F-E09", "3F-E10", "3F-E19", "3F-E20"])
    ]


def test_moving_and_shrinking_pick_the_desks_worked_out_by_hand(db: Session, scenario: Scenario) -> None:
    layout = moved(scenario, pair_b={"1F": 6}, sixty={"2F": 6})
    plan = plan_neighbourhoods(db, layout, layout="moved", now=NOW)
    changes = {u.unit_id: u for u in plan.changed}
    assert set(changes) == {"ops.pair_b", "ops.sixty", "ops.steady"}  # steady gets its first zone (see above)
    # pair_b is new to 1F: the free desks nearest the lift, rectilinear from (43, 2.5): E10 4.5 m, E09 6.5,
    # E08 and E20 8.5 (by id), E07 and E19 10.5
    pair_b = dict(changes["ops.pair_b"].new_zones)
    refs = {int(d): r for d, r in db.execute(select(DeskRow.id, DeskRow.ref))}
    assert sorted(refs[d] for d in pair_b["1F"]) == ["1F-E07", "1F-E08", "1F-E09", "1F-E10", "1F-E19", "1F-E20"]
    # sixty keeps the six desks nearest the middle of its ten (x = 10): W05, W06 (1 m), W04, W07, W03, W08
    sixty = dict(changes["ops.sixty"].new_zones)
    assert sorted(refs[d] for d in sixty["2F"]) == [f"2F-W0{i}" for i in range(3, 9)]
    rows = {(r[0], r[1]): r[2:] for r in describe(plan)}
    assert rows[("Pair B (ops.pair_b)", "1F")] == (0, 6, "+6")
    assert rows[("Pair B (ops.pair_b)", "3F")] == (6, 0, "-6")
    assert rows[("Sixty (ops.sixty)", "2F")] == (10, 6, "-4")
    assert rows[("Pair A (ops.pair_a)", "1F")] == (6, 6, "unchanged")

    zones_before = db.scalar(select(func.count()).select_from(Zone))
    apply_neighbourhoods(db, plan, actor="planner", now=NOW)
    assert zone_refs(db, "ops.pair_b") == {"Pair B 1F": sorted(refs[d] for d in pair_b["1F"])}
    assert zone_refs(db, "ops.sixty") == {"Sixty 2F": [f"2F-W0{i}" for i in range(3, 9)]}
    assert db.scalar(select(func.count()).select_from(Zone)) == zones_before + 1  # two replaced, steady's added
    assert db.scalar(select(Zone.weekdays).where(Zone.unit_id == "ops.pair_b")) == [0, 1, 2, 3, 4]
    actions = [a for (a,) in db.execute(select(AuditEntry.action).where(AuditEntry.actor == "planner"))]
    assert sorted(actions) == ["neighbourhoods.apply"] + ["zone.create"] * 3 + ["zone.delete"] * 2
    assert plan_neighbourhoods(db, layout, layout="moved", now=NOW).changed == []  # applied: nothing left to do


def test_a_change_made_meanwhile_stops_the_apply(db: Session, scenario: Scenario) -> None:
    plan = plan_neighbourhoods(db, moved(scenario, sixty={"2F": 6}), layout="moved", now=NOW)
    zone_id = db.scalar(select(Zone.id).where(Zone.unit_id == "ops.monday"))
    db.execute(delete(zone_desks).where(zone_desks.c.zone_id == zone_id))
    with pytest.raises(InvalidRequest, match="changed since"):
        apply_neighbourhoods(db, plan, actor="planner", now=NOW)


def test_a_floor_without_enough_free_desks_is_refused(db: Session, scenario: Scenario) -> None:
    # 2F has 40 desks: monday keeps 10 and pair_b may not take more than the 30 left... less sixty's 10
    with pytest.raises(InvalidInput, match="only 20 are free"):
        plan_neighbourhoods(db, moved(scenario, pair_b={"2F": 25}), layout="moved", now=NOW)
