"""Travel times worked out by hand from DESIGN.md's rule (defaults: walk 1.3 m/s, lift wait 30 s, doors 5.5 s,
2.5 m/s, 1.0 m/s²; stairs 20 s up and 15 s down per floor; floors 4 m apart; floor-guide walks 25 m)."""

from __future__ import annotations

import math

import pytest
from shapely import LineString

from floorplan.circulation import Circulation, NoRoute, flight_time_s, place_of, places_of, travel_matrix
from floorplan.model import Building, CoreKind
from tests.floorplan.factories import guide_building, make_core, make_floor, make_space

WALK = 25 / 1.3  # one floor-guide walk, seconds


def ride(d: float) -> float:
    """wait + doors + flight for a default lift over d metres."""
    return 30 + 5.5 + flight_time_s(d, speed_mps=2.5, accel_mps2=1.0)


def test_flight_time_short_and_long_trips() -> None:
    # v*v/a = 6.25 m: below it the car never reaches rated speed.
    assert flight_time_s(4.0, speed_mps=2.5, accel_mps2=1.0) == pytest.approx(4.0)  # 2*sqrt(4/1)
    assert flight_time_s(40.0, speed_mps=2.5, accel_mps2=1.0) == pytest.approx(18.5)  # 40/2.5 + 2.5
    assert flight_time_s(6.25, speed_mps=2.5, accel_mps2=1.0) == pytest.approx(5.0)  # both formulas meet


@pytest.fixture
def tower() -> Building:
    """Twelve floor-guide floors with one lift and one stair serving all of them."""
    return guide_building(range(12), [make_core("L", "lift", range(12)), make_core("S", "stair", range(12))])


def test_one_floor_takes_the_stairs(tower: Building) -> None:
    c = Circulation(tower)
    up = c.route(place_of(tower, "1F"), place_of(tower, "2F"))
    assert [leg.kind for leg in up.legs] == ["walk", "climb", "walk"]
    assert up.total_s == pytest.approx(WALK + 20 + WALK)  # lift: WALK + 39.5 + WALK
    down = c.route(place_of(tower, "2F"), place_of(tower, "1F"))
    assert down.total_s == pytest.approx(WALK + 15 + WALK)
    m = c.travel_matrix()
    i, j = m.index("1F"), m.index("2F")
    assert m.seconds[i, j] == pytest.approx(2 * WALK + 17.5)  # mean of both directions
    assert m.vertical_seconds[i, j] == pytest.approx(17.5)


def test_two_floors_still_stairs_three_floors_lift(tower: Building) -> None:
    m = travel_matrix(tower)
    # Two floors: stairs 40 s up (lift 30 + 5.5 + 8/2.5 + 2.5 = 41.2 s), 30 s down.
    assert m.directed_s[m.index("1F"), m.index("3F")] == pytest.approx(2 * WALK + 40)
    assert m.directed_s[m.index("3F"), m.index("1F")] == pytest.approx(2 * WALK + 30)
    # Three floors: lift 30 + 5.5 + 12/2.5 + 2.5 = 42.8 s beats 60 s up and 45 s down.
    assert m.directed_s[m.index("1F"), m.index("4F")] == pytest.approx(2 * WALK + 42.8)
    assert m.directed_s[m.index("4F"), m.index("1F")] == pytest.approx(2 * WALK + 42.8)


def test_ten_floors_take_the_lift(tower: Building) -> None:
    route = Circulation(tower).route(place_of(tower, "1F"), place_of(tower, "11F"))
    assert [leg.kind for leg in route.legs] == ["walk", "wait", "doors", "ride", "walk"]
    assert route.total_s == pytest.approx(2 * WALK + 54.0)  # 30 + 5.5 + 40/2.5 + 2.5
    assert route.vertical_s == pytest.approx(54.0)
    assert route.horizontal_s == pytest.approx(2 * WALK)


def test_transfer_between_lift_banks() -> None:
    # Low bank 1F-6F, high bank 1F and 7F-11F, no stairs: 4F to 9F rides down, changes banks on 1F, rides up.
    b = guide_building(range(11), [make_core("low", "lift", range(6)), make_core("high", "lift", [0, *range(6, 11)])])
    route = Circulation(b).route(place_of(b, "4F"), place_of(b, "9F"))
    kinds = [leg.kind for leg in route.legs]
    assert kinds == ["walk", "wait", "doors", "ride", "transfer", "wait", "doors", "ride", "walk"]
    vertical = ride(12.0) + WALK + ride(32.0)  # 42.8 + 19.23 + 50.8
    assert route.vertical_s == pytest.approx(vertical)
    assert route.total_s == pytest.approx(2 * WALK + vertical)
    m = travel_matrix(b)
    assert m.seconds[m.index("4F"), m.index("9F")] == pytest.approx(2 * WALK + vertical)


def test_core_that_does_not_serve_a_floor_is_not_used() -> None:
    # An express lift X stops only at 1F and 11F; from 6F one must ride A down to 1F and change to X.
    b = guide_building(range(11), [make_core("A", "lift", range(6)), make_core("X", "lift", [0, 10])])
    route = Circulation(b).route(place_of(b, "6F"), place_of(b, "11F"))
    assert [leg.core for leg in route.legs if leg.kind == "wait"] == ["A", "X"]
    assert route.total_s == pytest.approx(2 * WALK + ride(20.0) + WALK + ride(40.0))


def test_levels_without_a_link_are_unreachable() -> None:
    b = guide_building(range(3), [make_core("S", "stair", [0, 1])])
    m = travel_matrix(b)
    assert math.isinf(m.seconds[m.index("1F"), m.index("3F")])
    with pytest.raises(NoRoute, match="3F"):
        Circulation(b).route(place_of(b, "1F"), place_of(b, "3F"))


def test_basement_negative_levels() -> None:
    # B2 (-8 m), B1 (-4 m), 1F (0 m); a stair through all three. B2 -> 1F climbs two floors: 40 s; back 30 s.
    b = guide_building([-2, -1, 0], [make_core("S", "stair", [-2, -1, 0])])
    m = travel_matrix(b)
    assert [p.id for p in m.places] == ["B2", "B1", "1F"]
    assert m.directed_s[m.index("B2"), m.index("1F")] == pytest.approx(2 * WALK + 40)
    assert m.seconds[m.index("B2"), m.index("1F")] == pytest.approx(2 * WALK + 35)


def test_same_floor_guide_floor_costs_one_walk(tower: Building) -> None:
    m = travel_matrix(tower)
    assert m.seconds[m.index("5F"), m.index("5F")] == pytest.approx(WALK)
    assert m.vertical_seconds[m.index("5F"), m.index("5F")] == 0


def drawn_building(**floor_kw: object) -> Building:
    """Two 40 m x 20 m floors; office A at the south-west and B at the north-east; a stair in the middle."""
    floors = []
    for level in (0, 1):
        name = f"{level + 1}F"
        spaces = [
            make_space(f"{name}-A", name, (0, 0, 10, 10)),  # centroid (5, 5)
            make_space(f"{name}-B", name, (30, 10, 40, 20)),  # centroid (35, 15)
        ]
        floors.append(make_floor(level, spaces=spaces, **floor_kw))  # type: ignore[arg-type]
    stair = make_core("S", CoreKind.STAIR, [0, 1], bounds=(18, 8, 22, 12))  # centroid (20, 10)
    return Building(id="b", name="B", floors=tuple(floors), cores=(stair,))


def test_walks_are_rectilinear_between_centroids() -> None:
    b = drawn_building()
    m = travel_matrix(b)
    assert [p.id for p in places_of(b)] == ["1F-A", "1F-B", "2F-A", "2F-B"]
    assert m.seconds[m.index("1F-A"), m.index("1F-B")] == pytest.approx(40 / 1.3)  # |30| + |10|
    assert m.seconds[m.index("1F-A"), m.index("1F-A")] == 0
    # 1F-A to 2F-B: 20 m to the stair (15 + 5), one floor up 20 s, 20 m to B (15 + 5); back down 15 s.
    assert m.directed_s[m.index("1F-A"), m.index("2F-B")] == pytest.approx(40 / 1.3 + 20)
    assert m.seconds[m.index("1F-A"), m.index("2F-B")] == pytest.approx(40 / 1.3 + 17.5)
    assert m.vertical_seconds[m.index("1F-A"), m.index("2F-B")] == pytest.approx(17.5)


def test_corridor_network_replaces_rectilinear_walks() -> None:
    # An L-shaped corridor (0,0)-(0,10)-(10,10): from (1,0) join at (0,0) [1 m], along 20 m, leave at (10,10)
    # to (10,9) [1 m]: 22 m, where the rectilinear walk would be 18 m.
    floor = make_floor(
        0,
        outline=(0, 0, 12, 12),
        spaces=[make_space("a", "1F", (0.5, -0.5, 1.5, 0.5)), make_space("b", "1F", (9.5, 8.5, 10.5, 9.5))],
        corridors=(LineString([(0, 0), (0, 10), (10, 10)]),),
    )
    b = Building(id="c", name="C", floors=(floor,))
    m = travel_matrix(b)
    assert m.seconds[m.index("a"), m.index("b")] == pytest.approx(22 / 1.3)


def test_matrix_agrees_with_routes_in_both_directions() -> None:
    b = guide_building(range(8), [make_core("L", "lift", range(8)), make_core("S", "stair", range(8))])
    c = Circulation(b)
    m = c.travel_matrix()
    for a in m.places:
        for z in m.places:
            there, back = c.route(a, z), c.route(z, a)
            assert m.seconds[m.index(a.id), m.index(z.id)] == pytest.approx((there.total_s + back.total_s) / 2)
            assert m.vertical_seconds[m.index(a.id), m.index(z.id)] == pytest.approx(
                (there.vertical_s + back.vertical_s) / 2
            )


def test_matrix_is_read_only(tower: Building) -> None:
    m = travel_matrix(tower)
    with pytest.raises(ValueError):
        m.seconds[0, 1] = 0.0
