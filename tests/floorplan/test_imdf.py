"""The IMDF reader on sound archives: floors, spaces, cores and desks, sizes checked by hand (see imdf_factories)."""

from __future__ import annotations

from pathlib import Path

import pytest

from floorplan.circulation import travel_matrix
from floorplan.imdf import read_imdf, space_kind
from floorplan.importing import detect_format, read_building
from floorplan.model import CoreKind, SpaceKind
from tests.floorplan.imdf_factories import (
    DX,
    DY,
    box,
    collection,
    level,
    office_tower,
    read_both,
    ring,
    summary,
    unit,
    write_imdf,
)


def test_floors_from_levels(tmp_path: Path) -> None:
    building = read_both(tmp_path, office_tower()).building
    assert [(f.id, f.level, f.name, f.elevation_m, f.height_m) for f in building.floors] == [
        ("L0", 0, "1F", 0.0, 4.0),
        ("L1", 1, "2F", 4.0, 4.0),
        ("L2", 2, "3F", 8.0, 4.0),
    ]
    assert (building.id, building.name) == ("B", "Civic Centre")
    outline = building.floors[0].outline
    assert outline is not None
    minx, miny, maxx, maxy = outline.bounds
    # Centred on the middle of the levels: 3 steps either side east-west, 1.5 steps north-south.
    assert (minx, maxx) == (pytest.approx(-3 * DX, abs=0.01), pytest.approx(3 * DX, abs=0.01))
    assert (miny, maxy) == (pytest.approx(-1.5 * DY, abs=0.01), pytest.approx(1.5 * DY, abs=0.01))
    assert outline.area == pytest.approx(18 * DX * DY, rel=1e-4)  # 1807.3 m²
    assert building.metadata["origin_lon_lat"] == pytest.approx((139.7503, 35.71015))
    assert "+proj=aeqd" in building.metadata["crs"]


def test_spaces_from_units(tmp_path: Path) -> None:
    building = read_both(tmp_path, office_tower()).building
    office = building.space("O1")
    assert (office.floor_id, office.kind, office.name) == ("L1", SpaceKind.OFFICE, "Office 2F")
    assert office.attributes["imdf_category"] == "office"
    assert office.geometry is not None
    minx, miny, maxx, maxy = office.geometry.bounds
    assert maxx - minx == pytest.approx(3 * DX, abs=0.01)  # 27.15 m east-west
    assert maxy - miny == pytest.approx(3 * DY, abs=0.01)  # 33.29 m north-south
    assert minx == pytest.approx(-3 * DX, abs=0.01)
    assert [s.kind for s in building.floor(1).spaces] == [
        SpaceKind.OFFICE,
        SpaceKind.CIRCULATION,
        SpaceKind.CORE,
        SpaceKind.CORE,
    ]


def test_stacked_stairs_and_lifts_become_cores(tmp_path: Path) -> None:
    building = read_both(tmp_path, office_tower()).building
    assert [(c.id, c.kind, c.levels, c.name) for c in building.cores] == [
        ("lift-1", CoreKind.LIFT, (0, 1, 2), "Lift"),
        ("stair-1", CoreKind.STAIR, (0, 1, 2), "Stair A"),
    ]
    stair = building.cores[1].footprint
    assert stair is not None
    assert stair.area == pytest.approx(1.5 * DX * DY, rel=1e-4)  # 150.6 m², the same on every level
    assert stair.centroid.x == pytest.approx(0.75 * DX, abs=0.01)


def test_desks_from_desk_amenities_in_offices(tmp_path: Path) -> None:
    imported = read_both(tmp_path, office_tower())
    desks = list(imported.building.desks())
    assert [(d.id, d.space_id, d.name, dict(d.attributes)) for d in desks] == [
        ("D1", "O1", "1-01", {}),
        ("D2", "O1", "", {"accessible": True}),
    ]
    assert desks[0].position.x == pytest.approx(-2.5 * DX, abs=0.01)
    assert desks[0].position.y == pytest.approx(-1.0 * DY, abs=0.01)
    assert imported.building.floor(1).seat_capacity == 2
    assert "amenity.geojson: desks not in an office unit, not read: D3" in imported.notes
    assert "amenity.geojson: 2 amenities that are not desks, not read (restroom 2)" in imported.notes


def test_notes_count_openings_and_list_files_not_read(tmp_path: Path) -> None:
    notes = read_both(tmp_path, office_tower()).notes
    assert "opening.geojson: 2 openings (pedestrian 1, service 1), not used for travel times" in notes
    assert "not read: fixture.geojson" in notes
    assert notes[0].startswith("projected from WGS84 to an azimuthal equidistant plane centred on 139.750300 E")


def test_zip_of_a_folder_reads_like_the_folder(tmp_path: Path) -> None:
    folder, archive = write_imdf(tmp_path, office_tower(), zip_folder="civic-centre")
    assert summary(read_imdf(archive)) == summary(read_imdf(folder))
    assert detect_format(folder) == detect_format(archive) == "imdf"


def test_level_names_prefer_english_short_names(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    files["level.geojson"] = collection(level(0, short_name={"ja": "1階", "ko": "1층"}))
    files["unit.geojson"] = collection()
    assert read_both(tmp_path / "a", files).building.floors[0].name == "1階"
    files["level.geojson"] = collection(level(0, short_name=None, name={"en-GB": "Ground"}))
    assert read_both(tmp_path / "b", files).building.floors[0].name == "Ground"
    files["level.geojson"] = collection(level(0, short_name=None, name=None))
    assert read_both(tmp_path / "c", files).building.floors[0].name == "L0"


def test_elevations_given_on_every_level_are_used(tmp_path: Path) -> None:
    files = office_tower()
    files["level.geojson"] = collection(level(0, elevation=0), level(1, elevation=5.5), level(2, elevation=9.5))
    floors = read_both(tmp_path / "a", files).building.floors
    assert [(f.elevation_m, f.height_m) for f in floors] == [(0.0, 5.5), (5.5, 4.0), (9.5, 4.0)]
    files["level.geojson"] = collection(level(0, elevation=0), level(1, elevation=5.5), level(2))
    imported = read_both(tmp_path / "b", files)
    assert [f.elevation_m for f in imported.building.floors] == [0.0, 4.0, 8.0]
    assert any("only some levels give an elevation" in n for n in imported.notes)


def test_express_lift_skips_levels_and_a_lone_stair_is_no_core(tmp_path: Path) -> None:
    files = office_tower()
    # The lift has no door on level 1; the stair does not reach level 2.
    files["unit.geojson"]["features"] = [f for f in files["unit.geojson"]["features"] if f["id"] not in ("E1", "S1")]
    imported = read_both(tmp_path, files)
    assert [(c.id, c.levels) for c in imported.building.cores] == [("lift-1", (0, 2))]
    assert "unit.geojson, feature 'S0': no stair unit over or under it on level 0; kept as a space, not a core" in (
        imported.notes
    )
    assert imported.building.space("S2").kind == SpaceKind.CORE


def test_two_stairs_side_by_side_are_two_cores(tmp_path: Path) -> None:
    files = office_tower(levels=[0, 1])
    files["unit.geojson"]["features"] += [
        unit(f"T{n}", f"L{n}", "stairs", box(5.0, 2, 6, 3), name={"en": "Stair B"}) for n in (0, 1)
    ]
    files["unit.geojson"]["features"] = [
        {**f, "geometry": box(3, 1, 5, 3)} if f["id"].startswith("W") else f for f in files["unit.geojson"]["features"]
    ]
    cores = read_both(tmp_path, files).building.cores
    assert [(c.id, c.name, c.levels) for c in cores] == [
        ("lift-1", "Lift", (0, 1)),
        ("stair-1", "Stair A", (0, 1)),  # west of stair B
        ("stair-2", "Stair B", (0, 1)),
    ]


def test_levels_sharing_an_ordinal_make_one_floor(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    east_wing = level(0, fid="L0-east", geometry=box(6, 0, 9, 3), short_name={"en": "1F east"})
    files["level.geojson"]["features"].append(east_wing)
    imported = read_both(tmp_path, files)
    (floor,) = imported.building.floors
    assert (floor.id, floor.name) == ("L0", "1F")
    assert floor.outline is not None
    assert floor.outline.area == pytest.approx(27 * DX * DY, rel=1e-4)
    assert "level.geojson: features 'L0', 'L0-east' share ordinal 0; read as one floor" in imported.notes


def test_multipolygon_level_keeps_its_largest_part(tmp_path: Path) -> None:
    files = office_tower(levels=[0])
    kiosk = ring(8, 0, 9, 1)
    files["level.geojson"] = collection(
        level(0, geometry={"type": "MultiPolygon", "coordinates": [[ring(0, 0, 6, 3)], [kiosk]]})
    )
    files["unit.geojson"]["features"].append(unit("K0", "L0", "foodservice", box(8, 0, 9, 1)))
    imported = read_both(tmp_path, files)
    floor = imported.building.floors[0]
    assert floor.outline is not None
    assert floor.outline.area == pytest.approx(18 * DX * DY, rel=1e-4)
    assert any("the outline of level 0 has 2 parts; kept the largest (1807 of 1908 m²)" in n for n in imported.notes)
    assert "unit.geojson: left out units outside the kept floor outline: K0" in imported.notes
    assert [s.id for s in floor.spaces] == ["O0", "W0", "S0", "E0"]


def test_outdoor_levels_are_left_out(tmp_path: Path) -> None:
    files = office_tower(levels=[0, 1])
    files["level.geojson"]["features"].append(level(2, fid="roof", outdoor=True, category="unspecified"))
    files["unit.geojson"]["features"].append(unit("terrace", "roof", "terrace", box(0, 0, 6, 3)))
    imported = read_both(tmp_path, files)
    assert [f.level for f in imported.building.floors] == [0, 1]
    assert "level.geojson: left out 1 outdoor level(s) and their units" in imported.notes


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("office", SpaceKind.OFFICE),
        ("conferenceroom", SpaceKind.MEETING),
        ("walkway.island", SpaceKind.CIRCULATION),
        ("lobby", SpaceKind.CIRCULATION),
        ("ramp", SpaceKind.CORE),
        ("storage", SpaceKind.STORAGE),
        ("restroom.female.wheelchair", SpaceKind.AMENITY),
        ("kitchen", SpaceKind.AMENITY),
        ("mechanical", SpaceKind.PLANT),
        ("room", SpaceKind.OTHER),
        ("", SpaceKind.OTHER),
    ],
)
def test_space_kind_from_unit_category(category: str, kind: SpaceKind) -> None:
    assert space_kind(category) == kind


def test_read_building_dispatches_folders_and_zips_here(tmp_path: Path) -> None:
    folder, archive = write_imdf(tmp_path, office_tower())
    assert summary(read_building(folder)) == summary(read_building(archive)) == summary(read_imdf(folder))


def test_travel_time_between_offices_two_floors_apart(tmp_path: Path) -> None:
    """Offices O0 and O2 through the stair, worked by hand with the default figures.

    Office centroid (-1.5 DX, 0), stair centroid (0.75 DX, -1 DY): a walk of 2.25 DX + DY = 31.456 m at each end,
    62.913 m / 1.3 m/s = 48.395 s. Up two floors 2 × 20 s, down 2 × 15 s: 88.395 s and 78.395 s, mean 83.395 s.
    (The lift is slower: a walk of 3.75 DX + DY = 45.03 m each end is 69.28 s before its 30 + 5.5 + 5.7 s ride.)
    """
    matrix = travel_matrix(read_both(tmp_path, office_tower()).building)
    o0, o2 = matrix.index("O0"), matrix.index("O2")
    assert matrix.directed_s[o0, o2] == pytest.approx(88.395, abs=0.01)
    assert matrix.seconds[o0, o2] == pytest.approx(83.395, abs=0.01)
