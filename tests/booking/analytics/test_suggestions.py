"""Desk suggestions on a floor worked out by hand.

The building: 1F and 2F, 4 m apart, one lift (wait 30 s, doors 5.5 s; 4 m in 2 * sqrt(4 / 1) = 4 s: a ride of
39.5 s) with its footprint centred at (13, 5). On each floor two office spaces: A = (0, 0)-(10, 10), centre
(5, 5), and B = (20, 0)-(30, 10), centre (25, 5); desks in a row at y = 5, A1..A5 at x = 1, 3, 5, 7, 9 and
B1..B5 at x = 21, 23, 25, 27, 29 (on 2F the same, named 2A1.. and 2B1..). Walking at 1.3 m/s, rectilinear:

- t(A, A) = t(B, B) = 0 (one place); t(A, B) = 20 m = 15.385 s;
- t(1F A, 2F A) = walk 8 m to the lift + 39.5 s + walk 8 m = 51.808 s (both ways alike: a lift).

Team ``team`` (sato asks; tanaka on A1 and suzuki on A2 that day), unit ``partner`` (ito on B1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely import Point, box
from sqlalchemy.orm import Session

from booking.analytics.suggestions import AnalyticsCache, relation_weights, space_travel, suggest_desks
from booking.models import BuildingRow, User
from booking.services.bookings import book_desk
from booking.services.desks import office_hours, zone_info
from booking.services.intervals import Slot
from booking.services.loading import load_building
from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind
from layouts.scenario import read_scenario
from tests.booking.factories import NOW, desk, make_unit, make_user

DAY = NOW.date().replace(day=31)  # Tuesday 31 March 2026
A_B = 20 / 1.3
UP = 8 / 1.3 + 30 + 5.5 + 4.0 + 8 / 1.3


def hand_building() -> Building:
    floors = []
    for level, prefix in ((0, ""), (1, "2")):
        name = f"{level + 1}F"
        a = Space(f"{name}-A", name, SpaceKind.OFFICE, box(0, 0, 10, 10))
        b = Space(f"{name}-B", name, SpaceKind.OFFICE, box(20, 0, 30, 10))
        desks = [Desk(f"{prefix}A{i + 1}", a.id, Point(1 + 2 * i, 5)) for i in range(5)]
        desks += [Desk(f"{prefix}B{i + 1}", b.id, Point(21 + 2 * i, 5)) for i in range(5)]
        floors.append(
            Floor(name, level, name, 4.0 * level, outline=box(0, 0, 30, 10), spaces=(a, b), desks=tuple(desks))
        )
    lift = Core("lift", CoreKind.LIFT, (0, 1), footprint=box(12, 4, 14, 6))
    return Building("hand", "Hand-worked", tuple(floors), cores=(lift,), timezone="Asia/Tokyo")


@pytest.fixture
def floor(db: Session) -> dict[str, User]:
    load_building(db, hand_building(), now=NOW, actor="test")
    make_unit(db, "team")
    make_unit(db, "partner")
    people = {p: make_user(db, p, unit="team") for p in ("sato", "tanaka", "suzuki")}
    people["ito"] = make_user(db, "ito", unit="partner")
    people["nobody"] = make_user(db, "nobody")
    for person, ref in (("tanaka", "A1"), ("suzuki", "A2"), ("ito", "B1")):
        book_desk(db, user=people[person], desk_id=desk(db, ref, "hand").id, now=NOW, day=DAY, slot="full")
    return people


def ask(db: Session, person: User, **kw):  # type: ignore[no-untyped-def]
    building = db.get(BuildingRow, "hand")
    assert building is not None
    interval = office_hours(building).interval(DAY, Slot.FULL, zone_info(building.timezone))
    return suggest_desks(db, person, building=building, plan=hand_building(), interval=interval, day=DAY, now=NOW, **kw)


def test_the_travel_times_are_the_hand_worked_ones() -> None:
    travel = space_travel(hand_building())
    t = travel.seconds
    i = travel.index
    assert t[i["1F-A"], i["1F-A"]] == 0
    assert t[i["1F-A"], i["1F-B"]] == pytest.approx(A_B)
    assert t[i["1F-A"], i["2F-A"]] == pytest.approx(UP)


def test_the_best_desk_is_next_to_the_team(db: Session, floor: dict[str, User]) -> None:
    found = ask(db, floor["sato"], limit=10)
    assert found.weights == "unit" and found.people_counted == 2  # no scenario, no history: the team alone
    refs = [s.desk_ref for s in found.suggestions]
    # A1 and A2 are taken; A3 is 3 m on average from the two, A4 5 m, A5 7 m; then B (15.4 s), then 2F
    assert refs[:3] == ["A3", "A4", "A5"]
    assert [s.seconds for s in found.suggestions[:3]] == [0, 0, 0]
    assert [s.walk_m for s in found.suggestions[:3]] == [3, 5, 7]
    assert refs[3:7] == ["B2", "B3", "B4", "B5"]  # B1 is taken by ito
    assert found.suggestions[3].seconds == pytest.approx(A_B)
    assert found.suggestions[7].desk_ref == "2A1" and found.suggestions[7].seconds == pytest.approx(UP)
    assert found.suggestions[0].why == "2 of your team on 1F"


def test_relations_from_a_scenario_pull_towards_the_partner(
    db: Session, floor: dict[str, User], tmp_path: Path
) -> None:
    # team: 3 people x 5 trips = 15 trips a week of its own; 30 trips with partner. Space A costs
    # (15 * 0 + 30 * 15.385) / 45 = 10.26 s, space B (15 * 15.385 + 30 * 0) / 45 = 5.13 s.
    scenario = tmp_path / "hand.yaml"
    scenario.write_text(
        "name: hand\nbuilding: {floors: [{name: 1F, level: 0, elevation_m: 0, seats: 10}]}\n"
        "units:\n  - {id: team, headcount: 3}\n  - {id: partner, headcount: 1}\n"
        "relations:\n  - [team, partner, 30]\n",
        encoding="utf-8",
    )
    found = ask(db, floor["sato"], scenario=read_scenario(scenario), limit=3)
    assert found.weights == "scenario"
    best = found.suggestions[0]
    # in B the walk breaks the tie: B2 is 2 m from ito and 20, 22 m from the team: (30 * 2 + 15 * 21) / 45
    assert best.desk_ref == "B2" and best.seconds == pytest.approx(15 * A_B / 45)
    assert best.walk_m == pytest.approx((30 * 2 + 15 * 21) / 45)
    assert [s.desk_ref for s in found.suggestions] == ["B2", "B3", "B4"]
    assert best.why == "2 of your team on 1F; 1 of partner on 1F"


def test_only_free_desks_and_the_person_is_not_counted(db: Session, floor: dict[str, User]) -> None:
    book_desk(db, user=floor["sato"], desk_id=desk(db, "A3", "hand").id, now=NOW, day=DAY, slot="am")
    found = ask(db, floor["tanaka"], limit=2)
    assert found.people_counted == 2  # suzuki on A2 and sato on A3 (a morning overlaps the day); not tanaka
    # A1 is tanaka's own booking, A2 and A3 are taken; A4 is 4 and 2 m from A2 and A3, A5 6 and 4 m
    assert [(s.desk_ref, s.walk_m) for s in found.suggestions] == [("A4", 3), ("A5", 5)]


def test_nothing_to_suggest_without_a_unit_or_anyone_booked(db: Session, floor: dict[str, User]) -> None:
    assert ask(db, floor["nobody"]).suggestions == []
    assert ask(db, floor["ito"]).people_counted == 0  # nobody else of partner is booked


def test_co_attendance_weights_from_the_weeks_before(db: Session) -> None:
    from tests.booking.analytics.quarter import UNTIL, planted_office

    planted_office(db)
    building = db.get(BuildingRow, "office")
    assert building is not None
    cache = AnalyticsCache()
    day = UNTIL  # the eight weeks before it are in the generated quarter
    weights = relation_weights(db, building, "ops.pair_a", day, now=NOW, cache=cache)
    assert weights.source == "co-attendance" and set(weights.trips) == {"ops.pair_a", "ops.pair_b"}
    assert weights.trips["ops.pair_a"] == 5 * 6 and weights.trips["ops.pair_b"] > 30
    assert relation_weights(db, building, "ops.sixty", day, now=NOW, cache=cache).source == "unit"


def test_the_travel_matrix_is_kept_per_building_load(db: Session, floor: dict[str, User]) -> None:
    building = db.get(BuildingRow, "hand")
    assert building is not None
    cache, plan = AnalyticsCache(), hand_building()
    first = cache.travel(building, plan)
    assert cache.travel(building, plan) is first
    assert cache.travel(building, hand_building()) is not first  # another plan (the file was replaced)
