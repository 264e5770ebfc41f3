"""The demo building (floorplan.demo): figures below are worked out by hand from the rules in its NOTES.md."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely import Polygon, box

from floorplan.demo import demo_building
from floorplan.demo.civic_centre import CORE_ZONE
from floorplan.demo.desk_grid import desk_grid, islands_that_fit
from floorplan.geojson import building_from_geojson, building_to_geojson
from floorplan.model import Building, CoreKind, Space, SpaceKind
from floorplan.validation import building_problems

from .factories import make_space


@pytest.fixture(scope="module")
def building() -> Building:
    return demo_building()


def desk_ids(building: Building, space_id: str) -> list[str]:
    return [d.id for d in building.desks() if d.space_id == space_id]


# --- floors ---------------------------------------------------------------------------------------------------


def test_floors_levels_and_names(building: Building) -> None:
    assert building.id == "bunkyo-civic-centre"
    assert building.name == "文京シビックセンター (demo)"
    assert building.timezone == "Asia/Tokyo"
    assert len(building.floors) == 31
    assert [f.level for f in building.floors] == list(range(-4, 27))
    names = ["B4", "B3", "B2", "B1"] + [f"{n}F" for n in range(1, 28)]
    assert [f.name for f in building.floors] == names
    assert [f.id for f in building.floors] == names


@pytest.mark.parametrize(
    ("name", "elevation", "height"),
    [
        ("B4", -18.0, 4.5),  # 4 x 4.5 m below 1F
        ("B1", -4.5, 4.5),
        ("1F", 0.0, 6.0),
        ("2F", 6.0, 5.0),  # above the 6.0 m lobby
        ("3F", 11.0, 4.2),  # 6.0 + 5.0
        ("6F", 23.6, 4.2),  # 11.0 + 3 x 4.2
        ("27F", 111.8, 4.2),  # 11.0 + 24 x 4.2
    ],
)
def test_elevations(building: Building, name: str, elevation: float, height: float) -> None:
    floor = building.floor(name)
    assert floor.elevation_m == pytest.approx(elevation)
    assert floor.height_m == height


def test_every_floor_is_the_slab_tiled_by_its_spaces(building: Building) -> None:
    slab = box(0, 0, 64, 32)
    for floor in building.floors:
        assert floor.outline is not None and floor.outline.equals(slab), floor.name
        shapes = [s.geometry for s in floor.spaces if s.geometry is not None]
        assert len(shapes) == len(floor.spaces)
        # Spaces cover the slab exactly once: no gap, no overlap.
        assert sum(s.area for s in shapes) == pytest.approx(2048.0), floor.name
        assert shapely.union_all(shapes).area == pytest.approx(2048.0), floor.name


def test_the_building_is_valid(building: Building) -> None:
    assert building_problems(building) == []


def test_two_calls_build_the_same_building() -> None:
    assert demo_building() == demo_building()


# --- uses -------------------------------------------------------------------------------------------------------


def kinds(building: Building, floor: str) -> dict[str, SpaceKind]:
    return {s.id: s.kind for s in building.floor(floor).spaces}


def test_core_zone_and_corridor_on_every_floor(building: Building) -> None:
    zone = box(*CORE_ZONE)
    for floor in building.floors:
        spaces = {s.id.removeprefix(f"{floor.id}-"): s for s in floor.spaces}
        corridor = spaces["CORRIDOR"]
        assert corridor.kind == SpaceKind.CIRCULATION
        assert corridor.area_m2 == pytest.approx(48 * 12 - 44 * 8)
        in_zone = [s for s in floor.spaces if s.geometry is not None and zone.covers(s.geometry)]
        assert {s.kind for s in in_zone} <= {SpaceKind.CORE, SpaceKind.AMENITY, SpaceKind.PLANT}
        assert sum(s.area_m2 or 0 for s in in_zone) == pytest.approx(44 * 8)
        assert spaces["STAIR-W"].kind == spaces["STAIR-E"].kind == SpaceKind.CORE


def test_lift_lobbies_only_where_the_bank_stops(building: Building) -> None:
    assert kinds(building, "12F")["12F-LIFT-LOW"] == SpaceKind.CORE
    assert kinds(building, "12F")["12F-LIFT-HIGH"] == SpaceKind.PLANT  # shafts pass, no stop
    assert kinds(building, "13F")["13F-LIFT-LOW"] == SpaceKind.PLANT
    assert kinds(building, "13F")["13F-LIFT-HIGH"] == SpaceKind.CORE
    assert kinds(building, "1F")["1F-LIFT-B"] == SpaceKind.CORE
    assert kinds(building, "2F")["2F-LIFT-B"] == SpaceKind.PLANT


def test_published_uses_are_on_their_floors(building: Building) -> None:
    def names_of(floor: str, kind: SpaceKind) -> list[str]:
        return [s.name for s in building.floor(floor).spaces if s.kind == kind]

    assert any("地下鉄" in n for n in names_of("B3", SpaceKind.PUBLIC))
    assert any("区民ひろば" in n for n in names_of("B2", SpaceKind.PUBLIC))
    assert any("atrium" in n for n in names_of("1F", SpaceKind.PUBLIC))
    assert len(names_of("1F", SpaceKind.COUNTER)) == 1
    assert len([n for n in names_of("2F", SpaceKind.COUNTER) if "戸籍住民課" in n]) == 2
    assert any("ぴよぴよひろば" in n for n in names_of("5F", SpaceKind.PUBLIC))
    assert len(names_of("24F", SpaceKind.MEETING)) == 8  # six committee rooms and the two end rooms
    assert any("lounge" in n for n in names_of("25F", SpaceKind.PUBLIC))
    assert any("restaurant" in n for n in names_of("25F", SpaceKind.PUBLIC))
    assert any("Sky Hall" in n for n in names_of("26F", SpaceKind.PUBLIC))


def test_no_office_desks_outside_the_office_floors(building: Building) -> None:
    with_desks = {f.name for f in building.floors if f.desks}
    assert with_desks == {f"{n}F" for n in range(2, 22)}
    for name in ("22F", "23F", "24F"):
        assert SpaceKind.OFFICE not in kinds(building, name).values()


# --- cores ------------------------------------------------------------------------------------------------------


def test_cores(building: Building) -> None:
    cores = {c.id: c for c in building.cores}
    assert set(cores) == {"low", "high", "basement", "stair-west", "stair-east"}
    assert cores["low"].levels == tuple(range(0, 12))
    assert cores["high"].levels == (0, *range(12, 26))
    assert cores["basement"].levels == (-4, -3, -2, -1, 0)
    for stair in ("stair-west", "stair-east"):
        assert cores[stair].kind == CoreKind.STAIR
        assert cores[stair].levels == tuple(range(-4, 27))
        assert len(cores[stair].levels) == 31
    for lift in ("low", "high", "basement"):
        assert cores[lift].kind == CoreKind.LIFT
        assert cores[lift].wait_s == 30.0  # default timing


def test_core_footprints_in_the_core_zone_and_banks_apart(building: Building) -> None:
    zone = box(*CORE_ZONE)
    cores = {c.id: c for c in building.cores}
    for core in cores.values():
        assert core.footprint is not None and zone.covers(core.footprint), core.id
    low, high = cores["low"].position, cores["high"].position
    assert low is not None and high is not None
    assert (low.x, low.y, high.x, high.y) == (24.0, 16.0, 40.0, 16.0)  # a 16 m transfer walk on 1F


# --- desks ------------------------------------------------------------------------------------------------------


def test_desk_totals(building: Building) -> None:
    per_floor = {f.name: f.seat_capacity for f in building.floors if f.seat_capacity}
    # 20 desks an office: 2F and 3F three offices, 4F five, 5F four, 6F-21F six.
    expected = {"2F": 60, "3F": 60, "4F": 100, "5F": 80} | {f"{n}F": 120 for n in range(6, 22)}
    assert per_floor == expected
    total = sum(1 for _ in building.desks())
    assert total == 2220
    assert 2000 <= total <= 2600
    for floor in building.floors:
        assert floor.seat_capacity == len(floor.desks)
        assert all(s.capacity is None for s in floor.spaces if s.kind == SpaceKind.OFFICE)


def test_one_office_by_hand(building: Building) -> None:
    # 6F-N1 is x 8-24, y 22-32, corridor on its south side. Across: islands of 1.6 m, 2.0 m apart, 1.5 m clear at
    # each end: floor((10 - 3 + 2) / 3.6) = 2 islands, block 5.2 m, so the rows start 2.4 m from the corridor:
    # y 24.4, 25.2 | 28.0, 28.8. Along: islands of 5 desks (8 m), 1.6 m apart, 1.5 m clear:
    # floor((16 - 3 + 1.6) / 9.6) = 1 island, centred: x 12.0 to 20.0.
    ids = desk_ids(building, "6F-N1")
    assert ids == [f"6F-N1-{i:02d}" for i in range(1, 21)]
    desks = {d.id: d for d in building.floor("6F").desks}
    assert desks["6F-N1-01"].geometry.bounds == (12.0, 24.4, 13.6, 25.2)
    assert desks["6F-N1-05"].geometry.bounds == (18.4, 24.4, 20.0, 25.2)
    assert desks["6F-N1-06"].geometry.bounds == (12.0, 25.2, 13.6, 26.0)
    assert desks["6F-N1-20"].geometry.bounds == (18.4, 28.8, 20.0, 29.6)
    # The south wing mirrors it: row 1 is the one nearest the corridor, now on the north side.
    assert desks["6F-S1-01"].geometry.bounds == (12.0, 6.8, 13.6, 7.6)
    assert desks["6F-S1-20"].geometry.bounds == (18.4, 2.4, 20.0, 3.2)


def test_desk_attributes_follow_the_pattern(building: Building) -> None:
    desks = [d for d in building.floor("6F").desks if d.space_id == "6F-N1"]

    def numbers(attribute: str) -> list[int]:
        return [int(d.id[-2:]) for d in desks if d.attributes[attribute] is True]

    assert numbers("accessible") == [1, 5]
    assert numbers("monitor") == [*range(6, 11), *range(16, 21)]
    assert numbers("standing") == [20]
    floor_desks = building.floor("6F").desks
    assert sum(bool(d.attributes["standing"]) for d in floor_desks) == 6
    assert sum(bool(d.attributes["accessible"]) for d in floor_desks) == 12


def test_desks_are_standard_desks_inside_their_office(building: Building) -> None:
    spaces = {s.id: s for s in building.spaces()}
    for desk in building.desks():
        space = spaces[desk.space_id]
        assert space.kind == SpaceKind.OFFICE
        assert space.geometry is not None and space.geometry.contains(desk.geometry)
        assert desk.geometry.area == pytest.approx(1.6 * 0.8)


# --- the grid rule on small spaces ------------------------------------------------------------------------------


def test_islands_that_fit() -> None:
    assert islands_that_fit(16.0, island_m=8.0, aisle_m=1.6, margin_m=1.5) == 1
    assert islands_that_fit(20.6, island_m=8.0, aisle_m=1.6, margin_m=1.5) == 2  # 1.5 + 8 + 1.6 + 8 + 1.5 exactly
    assert islands_that_fit(20.5, island_m=8.0, aisle_m=1.6, margin_m=1.5) == 1
    assert islands_that_fit(10.9, island_m=8.0, aisle_m=1.6, margin_m=1.5) == 0


def test_grid_in_a_wider_and_a_shallow_space() -> None:
    wide = make_space("W", "6F", (0, 0, 20.6, 10))  # two islands along, two across
    desks = desk_grid(wide, corridor_side="south")
    assert len(desks) == 40
    # Row 1 runs over both islands: its end desks are the first of the west and the last of the east island.
    assert [d.id for d in desks if d.attributes["accessible"]] == ["W-01", "W-10"]
    assert desks[5].geometry.bounds == (11.1, 2.4, 12.7, 3.2)  # the east island starts at 1.5 + 8 + 1.6
    shallow = make_space("S", "6F", (0, 0, 16, 4.5))  # floor((4.5 - 3 + 2) / 3.6) = 0 islands
    assert desk_grid(shallow, corridor_side="north") == ()


def test_grid_leaves_out_desks_outside_a_space_that_is_not_a_rectangle() -> None:
    # An L: the 16 x 10 office without its north-east corner (x > 10, y > 5). Desks run x 4.0-12.0 in columns of
    # 1.6 m, so in rows 3 and 4 (y 6.0-7.6) the desks at x 8.8-10.4 and 10.4-12.0 would cross into it.
    shape = Polygon([(0, 0), (16, 0), (16, 5), (10, 5), (10, 10), (0, 10)])
    office = Space(id="L", floor_id="6F", kind=SpaceKind.OFFICE, geometry=shape)
    desks = desk_grid(office, corridor_side="south")
    assert len(desks) == 20 - 2 * 2
    assert all(shape.covers(d.geometry) for d in desks)
    assert [d.id for d in desks] == [f"L-{i:02d}" for i in range(1, 17)]


# --- public and illustrative ------------------------------------------------------------------------------------


def test_metadata_separates_public_from_illustrative(building: Building) -> None:
    meta = building.metadata
    sources = meta["sources"]
    assert len(sources) >= 10
    assert all(entry["fact"] and entry["source"] for entry in sources)
    assert any("low-rise" in e["fact"] and "towerup" in e["source"] for e in sources)
    illustrative = " ".join(meta["illustrative"])
    for word in ("slab", "elevations", "lift", "desk grid"):
        assert word in illustrative
    assert any("emergency" in item for item in meta["not_modelled"])


def test_floor_uses_are_short_everyday_descriptions(building: Building) -> None:
    uses = {f.name: f.use for f in building.floors}
    assert uses["B2"] == "区民ひろば (event plaza)"
    assert uses["2F"] == "戸籍住民課 counters"
    assert uses["6F"] == uses["9F"] == uses["21F"] == "ward offices"
    assert uses["26F"] == "Sky Hall"
    for name, use in uses.items():
        assert use and len(use) <= 32, name
        assert not any(mark in use for mark in ("[", "public", "illustrative", "blog")), name


def test_each_floor_says_in_the_metadata_what_is_public_and_what_is_illustrative(building: Building) -> None:
    floors = building.metadata["floors"]
    assert list(floors) == [f.name for f in building.floors]
    for name, facts in floors.items():
        assert set(facts) == {"public", "illustrative"}, name
        assert all(entry["fact"] and entry["source"] for entry in facts["public"]), name
        assert any("plan" in item for item in facts["illustrative"]), name  # no floor's plan is published
    assert {"fact": "戸籍住民課 counters, moving in and out", "source": "en.wikipedia"} in floors["2F"]["public"]
    assert {"fact": "福祉部 障害福祉課", "source": "third-party guide text"} in floors["9F"]["public"]
    assert [e["source"] for e in floors["6F"]["public"]] == [
        "en.wikipedia: 6F-24F mainly ward offices; a 2012 blog: 8F-21F"
    ]
    assert "offices, meeting rooms, archives" in floors["6F"]["illustrative"]
    for unsourced in ("B4", "B1", "4F", "27F"):
        assert floors[unsourced]["public"] == [], unsourced
        assert len(floors[unsourced]["illustrative"]) == 2, unsourced  # its use and its plan


def test_provenance_survives_the_geojson_file(building: Building) -> None:
    text = json.dumps(building_to_geojson(building), ensure_ascii=False)
    again = building_from_geojson(json.loads(text), source="demo.geojson")
    assert again.metadata["floors"] == building.metadata["floors"]
    assert again.floor("26F").use == "Sky Hall"
