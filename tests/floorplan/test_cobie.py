"""COBie workbooks: the two public test buildings, and small workbooks written here for the cases they lack."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from shapely import box

from floorplan.cobie import read_cobie, space_kind_from_category
from floorplan.errors import InvalidBuilding
from floorplan.importing import Imported
from floorplan.model import CoreKind, SpaceKind

Cells = Sequence[object]

# ---------------------------------------------------------------- the clinic and the duplex (real files)


@pytest.fixture(scope="module")
def clinic(shared_data: Path) -> Imported:
    return read_cobie(shared_data / "cobie" / "clinic-design.xlsx")


@pytest.fixture(scope="module")
def duplex(shared_data: Path) -> Imported:
    return read_cobie(shared_data / "cobie" / "duplex-design.xlsx")


def test_clinic_floors_are_the_two_occupiable_storeys(clinic: Imported) -> None:
    floors = clinic.building.floors
    assert [(f.name, f.level, f.elevation_m) for f in floors] == [("First Floor", 0, 0.0), ("Second Floor", 1, 4.57)]
    # Height is 0 in the sheet: the distance to the next storey up (Second Floor, then Roof - Main at 9.25 m).
    assert [f.height_m for f in floors] == pytest.approx([4.57, 4.68])
    skipped = [n for n in clinic.notes if "skipped" in n]
    assert len(skipped) == 3
    assert any("'Roof - Main'" in n and "roof" in n for n in skipped)
    assert any("'TOF Footing'" in n and "footing" in n for n in skipped)
    assert any("'Site'" in n for n in skipped)


def test_clinic_spaces(clinic: Imported) -> None:
    b = clinic.building
    assert len(list(b.spaces())) == 269
    # 155 rows on the First Floor plus the Site row; 107 on the Second Floor plus 6 on the roof storey.
    assert [len(f.spaces) for f in b.floors] == [156, 113]
    reception = b.space("1A01")
    assert reception.floor_id == "First Floor"
    assert reception.name == "PATIENT ADMIN. RECEPT."
    assert reception.kind == SpaceKind.COUNTER
    assert reception.area_m2 == pytest.approx(19.767)
    assert reception.attributes["category"] == "13-11 11 31: Reception Space"
    assert reception.geometry is not None
    assert reception.geometry.bounds == pytest.approx((-7.386, 34.904, -4.362, 41.23), abs=1e-3)
    assert b.space("1A02").kind == SpaceKind.OFFICE
    assert b.space("2D01").kind == SpaceKind.STORAGE
    assert b.space("E1").kind == SpaceKind.CORE
    assert b.space("1AS1").kind == SpaceKind.CORE
    penthouse = b.space("3D01")
    assert penthouse.floor_id == "Second Floor" and penthouse.attributes["cobie_floor"] == "Roof - Main"
    assert b.space("Site").geometry is None
    assert any("1 of 269 spaces could not be placed" in n and "Site" in n for n in clinic.notes)


def test_clinic_outlines_are_the_envelopes_of_the_spaces(clinic: Imported) -> None:
    # The sheet's own Floor boxes (rows "First Floor-box-...", "Second Floor-box-...") give the same extent.
    first, second = clinic.building.floors
    assert first.outline is not None and second.outline is not None
    assert first.outline.bounds == pytest.approx((-52.013, -9.554, 0.2465, 56.253), abs=1e-3)
    assert second.outline.bounds == pytest.approx((-52.013, -0.113, 0.113, 56.253), abs=1e-3)


def test_clinic_departments(clinic: Imported) -> None:
    b = clinic.building
    zones = b.metadata["zones"]
    assert len(zones) == 18
    assert zones["Administration"] == ("1A01", "1A02", "1A03", "1A04", "1A05", "1A06", "1A07")
    assert zones["Pharmacy"] == ("1A08", "1A09", "1A10", "1A12", "1A13", "1A14", "1A15", "1A16")
    assert sum(len(ids) for ids in zones.values()) == 260

    def floors_of(zone: str) -> set[str]:
        return {b.floor_of_space(s).name for s in zones[zone]}

    assert floors_of("Dental") == {"Second Floor"}
    assert floors_of("Logistics") == {"First Floor", "Second Floor"}
    assert floors_of("Pediatrics") == {"First Floor"}
    assert b.space("2D01").zone == "Logistics"
    assert b.space("1A01").zone == "Administration"


def test_clinic_cores(clinic: Imported) -> None:
    cores = {c.id: c for c in clinic.building.cores}
    assert sorted(cores) == ["lift-E1", "stair-1AS1", "stair-1BS2", "stair-1CS3"]
    for stair in ("stair-1AS1", "stair-1BS2", "stair-1CS3"):
        assert cores[stair].kind == CoreKind.STAIR
        assert cores[stair].levels == (0, 1)
    b = clinic.building
    footprint = cores["stair-1AS1"].footprint
    assert footprint is not None
    assert footprint.covers(b.space("1AS1").geometry) and footprint.covers(b.space("2AS1").geometry)
    lift = cores["lift-E1"]
    # E1 is listed on the First Floor only; its box runs from 0 m to 9.25 m, through the Second Floor at 4.57 m.
    assert lift.kind == CoreKind.LIFT and lift.levels == (0, 1)
    assert lift.footprint is not None and lift.footprint.equals(b.space("E1").geometry)
    assert "Elevator-Hydraulic" in lift.name


def test_duplex_imports_without_geometry(duplex: Imported) -> None:
    b = duplex.building
    assert b.name == "Duplex Apartment"
    assert [(f.name, f.level, f.elevation_m) for f in b.floors] == [("Level 1", 0, 0.0), ("Level 2", 1, 3.1)]
    assert [f.height_m for f in b.floors] == pytest.approx([3.1, 2.9])
    assert len(list(b.spaces())) == 22
    assert all(s.geometry is None for s in b.spaces())
    assert all(f.outline is None for f in b.floors)
    assert any("22 of 22 spaces could not be placed" in n and "21 with a box of no area" in n for n in duplex.notes)
    assert b.metadata["zones"]["Apartment A"][:3] == ("A101", "A102", "A103")
    assert b.space("A101").zone == "Apartment A"
    # Its stairways have no usable box, so nothing links the two floors.
    assert b.cores == ()
    assert any(n.startswith("stairway A105") for n in duplex.notes)


# ---------------------------------------------------------------- small workbooks

FLOOR_HEAD = ["Name", "CreatedBy", "CreatedOn", "Category", "Elevation", "Height"]
SPACE_HEAD = ["Name", "CreatedOn", "Category", "FloorName", "Description", "GrossArea", "NetArea"]
ZONE_HEAD = ["Name", "Category", "SpaceNames"]
COORD_HEAD = ["Name", "Category", "SheetName", "RowName", "CoordinateXAxis", "CoordinateYAxis", "CoordinateZAxis"]
OFFICE = "13-15 11 34 11: Office"
STAIR = "13-85 21 11: Stairway"
SHAFT = "13-81 21 31: Elevator Shaft"


def write_workbook(path: Path, sheets: Mapping[str, Sequence[Cells]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def floor_row(name: str, elevation: object, height: object = 0, category: str = "Floor") -> Cells:
    return [name, "a@example.org", "2011-09-27T16:15:03.421-05:00", category, elevation, height]


def space_row(name: str, floor: str, category: str = OFFICE, net: object = 10.0, gross: object = 10.0) -> Cells:
    return [name, datetime(2011, 9, 14, 16, 57), category, floor, f"room {name}", gross, net]


def box_rows(space: str, x1: float, y1: float, x2: float, y2: float, z1: float = 0.0, z2: float = 3.0) -> list[Cells]:
    # Named as the clinic names them; the duplex names both rows after the space, RowName is what counts.
    return [
        [f"{space}-box-lowerleft", "box-lowerleft", "Space", space, x1, y1, z1],
        [f"{space}-box-upperright", "box-upperright", "Space", space, x2, y2, z2],
    ]


def small_cobie(
    path: Path,
    *,
    floors: Sequence[Cells] = (),
    spaces: Sequence[Cells] = (),
    coordinates: Sequence[Cells] = (),
    zones: Sequence[Cells] = (),
    units: str = "meters",
    area_units: str = "squaremeters",
    extra: Mapping[str, Sequence[Cells]] | None = None,
) -> Path:
    sheets: dict[str, Sequence[Cells]] = {
        "Facility": [["Name", "LinearUnits", "AreaUnits", "Description"], ["HQ", units, area_units, "Head office"]],
        "Floor": [FLOOR_HEAD, *(floors or [floor_row("GF", 0), floor_row("1F", 4.0)])],
        "Space": [SPACE_HEAD, *(spaces or [space_row("G01", "GF")])],
        "Zone": [ZONE_HEAD, *zones],
        "Coordinate": [COORD_HEAD, *coordinates],
        **(extra or {}),
    }
    return write_workbook(path / "building.xlsx", sheets)


def test_levels_count_from_the_lowest_floor_at_or_above_zero(tmp_path: Path) -> None:
    floors = [
        floor_row("2F", "7.5", 3.8),  # a number written as text
        floor_row("B1", -3.5),
        floor_row("GF", 0.02),  # "just above" 0 m
        floor_row("1F", 4.0),
        floor_row("Roof", 11.0, category="Roof"),
        floor_row("Footing", -5.0, category="Floor"),
    ]
    spaces = [space_row("G01", "GF")]
    b = read_cobie(small_cobie(tmp_path, floors=floors, spaces=spaces)).building
    assert [(f.name, f.level) for f in b.floors] == [("B1", -1), ("GF", 0), ("1F", 1), ("2F", 2)]
    # B1 -> GF: 3.52; GF -> 1F: 3.98; 1F -> 2F: 3.5; 2F states its own 3.8.
    assert [f.height_m for f in b.floors] == pytest.approx([3.52, 3.98, 3.5, 3.8])


def test_the_top_floor_without_a_roof_has_the_default_height(tmp_path: Path) -> None:
    b = read_cobie(small_cobie(tmp_path)).building
    assert [f.height_m for f in b.floors] == [4.0, 4.0]
    assert b.id == "HQ" and b.name == "Head office"


def test_feet_become_metres(tmp_path: Path) -> None:
    floors = [floor_row("GF", 0), floor_row("1F", 15)]
    spaces = [space_row("G01", "GF", net=100)]
    path = small_cobie(
        tmp_path,
        floors=floors,
        spaces=spaces,
        coordinates=box_rows("G01", 0, 0, 10, 20),
        units="feet",
        area_units="squarefeet",
    )
    imported = read_cobie(path)
    b = imported.building
    assert b.floor("1F").elevation_m == pytest.approx(4.572)
    g01 = b.space("G01")
    assert g01.area_m2 == pytest.approx(9.290304)
    assert g01.geometry is not None and g01.geometry.bounds == pytest.approx((0, 0, 3.048, 6.096))
    assert any("from feet to metres" in n for n in imported.notes)


def test_unknown_units_are_taken_as_metres_with_a_note(tmp_path: Path) -> None:
    imported = read_cobie(small_cobie(tmp_path, units="cubits"))
    assert imported.building.floors[0].elevation_m == 0.0
    assert any("unknown LinearUnits 'cubits'" in n for n in imported.notes)


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        ("13-15 11 34 11: Office", SpaceKind.OFFICE),
        ("13-11 21 17: Conference Room", SpaceKind.MEETING),
        ("13-11 11 31: Reception Space", SpaceKind.COUNTER),
        ("13-85 11 11: Corridor", SpaceKind.CIRCULATION),
        ("13-85 31 11: Entry Vestibule", SpaceKind.CIRCULATION),
        ("13-85 31 99: Other Transitional Circulation Spaces", SpaceKind.CIRCULATION),
        ("13-85 21 11: Stairway", SpaceKind.CORE),
        ("13-81 21 31: Elevator Shaft", SpaceKind.CORE),
        ("13-75 11 11: Storage Room", SpaceKind.STORAGE),
        ("13-81 21 17: Mechanical Room", SpaceKind.PLANT),
        ("13-81 21 21: Electrical Room", SpaceKind.PLANT),
        ("13-81 21 11: Equipment Room", SpaceKind.PLANT),
        ("13-41 11 14 21: Restroom", SpaceKind.AMENITY),
        ("13-51 11 21: Break Room", SpaceKind.AMENITY),
        ("13-11 19 11 11: Kitchen", SpaceKind.AMENITY),
        ("13-51 31 11: Waiting Room", SpaceKind.PUBLIC),
        ("13-41 41 14: Physical Examination Room", SpaceKind.OTHER),
        ("", SpaceKind.OTHER),
    ],
)
def test_space_kind_from_category(category: str, kind: SpaceKind) -> None:
    assert space_kind_from_category(category) == kind


def test_area_falls_back_to_gross_and_reads_numbers_written_as_text(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF", net="n/a", gross="20.5"), space_row("G02", "GF", net="12,5", gross=30)]
    b = read_cobie(small_cobie(tmp_path, spaces=spaces)).building
    assert b.space("G01").area_m2 == 20.5
    assert b.space("G02").area_m2 == 12.5


def test_outline_is_the_envelope_of_the_placed_boxes(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF"), space_row("G02", "GF"), space_row("G03", "GF")]
    coordinates = [*box_rows("G01", 0, 0, 10, 5), *box_rows("G02", 12, 3, 20, 9), *box_rows("G03", 4, 4, 4, 4)]
    imported = read_cobie(small_cobie(tmp_path, spaces=spaces, coordinates=coordinates))
    floor = imported.building.floors[0]
    assert floor.outline is not None and floor.outline.equals(box(0, 0, 20, 9))
    assert floor.space("G03").geometry is None
    assert any("1 of 3 spaces could not be placed: 1 with a box of no area (G03)" in n for n in imported.notes)


def test_zones_become_departments(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF"), space_row("G02", "GF"), space_row("101", "1F")]
    zones = [
        ["Tax", "Occupancy Zone", "G01, 101"],
        ["Tax", "Occupancy Zone", "G09"],
        ["Welfare", "OccupancyZoneName", "G02"],
        ["East wing", "Circulation Zone", "G01"],
    ]
    imported = read_cobie(small_cobie(tmp_path, spaces=spaces, zones=zones))
    b = imported.building
    assert b.metadata["zones"] == {"Tax": ("G01", "101"), "Welfare": ("G02",)}
    assert [b.space(s).zone for s in ("G01", "G02", "101")] == ["Tax", "Welfare", "Tax"]
    assert any("'Circulation Zone' (1 rows)" in n for n in imported.notes)
    assert any("sheet Zone, row 3" in n and "'G09'" in n for n in imported.notes)


def test_stairs_stack_and_lifts_serve_the_floors_their_shaft_passes(tmp_path: Path) -> None:
    floors = [floor_row("GF", 0), floor_row("1F", 4), floor_row("2F", 8), floor_row("Roof", 12, category="Roof")]
    spaces = [
        *(space_row(f"{p}01", name) for p, name in (("G", "GF"), ("1", "1F"), ("2", "2F"))),
        space_row("GS1", "GF", STAIR),
        space_row("1S1", "1F", STAIR),
        space_row("2S1", "2F", STAIR),
        space_row("2S2", "2F", STAIR),  # nothing under it
        space_row("GL1", "GF", SHAFT),  # shaft box from 0 m to 8 m: GF and 1F, not 2F at 8 m
        space_row("1L2", "1F", SHAFT),  # shaft box in floor heights (0 to 3 m on a floor at 4 m)
    ]
    coordinates = [
        *box_rows("G01", 0, 0, 20, 10),
        *box_rows("101", 0, 0, 20, 10, 4, 7),
        *box_rows("201", 0, 0, 20, 10, 8, 11),
        *box_rows("GS1", 1, 1, 3, 5),
        *box_rows("1S1", 1.2, 1, 3, 5, 4, 7),
        *box_rows("2S1", 1, 1, 3, 5.5, 8, 11),
        *box_rows("2S2", 15, 1, 17, 5, 8, 11),
        *box_rows("GL1", 5, 1, 7, 3, 0, 8),
        *box_rows("1L2", 9, 1, 11, 3, 0, 3),
    ]
    types = [["Name", "Category"], ["Elevator-Hydraulic", "23-50 05 11: Elevators"], ["Desk", "Furniture"]]
    components = [["Name", "TypeName", "Space"], ["Lift car 1", "Elevator-Hydraulic", "GL1"]]
    components.append(["Lift car 2", "Elevator-Hydraulic", "n/a"])
    path = small_cobie(
        tmp_path,
        floors=floors,
        spaces=spaces,
        coordinates=coordinates,
        extra={"Type": types, "Component": components},
    )
    imported = read_cobie(path)
    cores = {c.id: c for c in imported.building.cores}
    assert sorted(cores) == ["lift-1L2", "lift-GL1", "stair-GS1"]
    stair = cores["stair-GS1"]
    assert stair.kind == CoreKind.STAIR and stair.levels == (0, 1, 2)
    # The union of [1,3]x[1,5], [1.2,3]x[1,5] and [1,3]x[1,5.5] is the last box, 2 m x 4.5 m.
    assert stair.footprint is not None and stair.footprint.equals(box(1, 1, 3, 5.5))
    assert stair.footprint.area == pytest.approx(9.0)
    assert cores["lift-GL1"].levels == (0, 1)
    assert "Elevator-Hydraulic" in cores["lift-GL1"].name
    assert cores["lift-1L2"].levels == (0, 1, 2)
    notes = imported.notes
    assert any(n.startswith("stairway 2S2") for n in notes)
    assert any(n.startswith("lift 1L2") and "outline covers" in n for n in notes)
    assert any("'Lift car 2' has no known space" in n for n in notes)


def test_an_outline_grows_to_a_stair_drawn_wider_on_another_floor(tmp_path: Path) -> None:
    spaces = [
        space_row("G01", "GF"),
        space_row("GS1", "GF", STAIR),
        space_row("101", "1F"),
        space_row("1S1", "1F", STAIR),
    ]
    coordinates = [
        *box_rows("G01", 0, 0, 20, 10),
        *box_rows("GS1", 1, 1, 3, 5),
        *box_rows("101", 3, 0, 20, 10, 4, 7),
        *box_rows("1S1", 2, 1, 3, 5, 4, 7),
    ]
    b = read_cobie(small_cobie(tmp_path, spaces=spaces, coordinates=coordinates)).building
    # 1F's spaces span [2,20]x[0,10]; the stair through it is [1,3]x[1,5].
    first, ground = b.floor("1F").outline, b.floor("GF").outline
    assert first is not None and first.equals(box(1, 0, 20, 10))
    assert ground is not None and ground.equals(box(0, 0, 20, 10))
    assert [c.levels for c in b.cores] == [(0, 1)]


def test_unknown_columns_are_noted(tmp_path: Path) -> None:
    spaces_sheet: list[Cells] = [[*SPACE_HEAD, "Colour"], [*space_row("G01", "GF"), "blue"]]
    imported = read_cobie(small_cobie(tmp_path, extra={"Space": spaces_sheet}))
    assert any(n.startswith("sheet Space: columns not read") and "Colour" in n for n in imported.notes)


# ---------------------------------------------------------------- errors


def problems_of(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidBuilding) as caught:
        read_cobie(path)
    assert caught.value.source == str(path)
    return [(p.message, p.where, p.field) for p in caught.value.problems]


def test_a_space_on_an_unknown_floor_is_a_problem_naming_its_row(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF"), space_row("301", "3F")]
    [(message, where, field)] = problems_of(small_cobie(tmp_path, spaces=spaces))
    assert where == "sheet Space, row 3 (space '301')" and field == "FloorName"
    assert "'3F' is not in the Floor sheet" in message


def test_a_non_numeric_area_is_a_problem_naming_sheet_row_and_column(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF", net="twelve"), space_row("G02", "GF"), space_row("G03", "GF", gross="?")]
    problems = problems_of(small_cobie(tmp_path, spaces=spaces))
    assert problems == [
        ("'twelve' is not a number", "sheet Space, row 2", "NetArea"),
        ("'?' is not a number", "sheet Space, row 4", "GrossArea"),
    ]


def test_problems_of_several_sheets_come_together(tmp_path: Path) -> None:
    floors = [floor_row("GF", 0), floor_row("1F", "high"), floor_row("2F", 8.0, height="tall")]
    spaces = [space_row("G01", "GF", net="x"), space_row("101", "1F")]
    problems = problems_of(small_cobie(tmp_path, floors=floors, spaces=spaces))
    assert [(where, field) for _, where, field in problems] == [
        ("sheet Floor, row 3", "Elevation"),
        ("sheet Floor, row 4", "Height"),
        ("sheet Space, row 2", "NetArea"),
    ]


def test_an_unreadable_coordinate_leaves_the_space_unplaced_with_a_note(tmp_path: Path) -> None:
    coordinates = box_rows("G01", 0, 0, 10, 5)
    coordinates[1] = [*coordinates[1][:5], "north", 3.0]
    imported = read_cobie(small_cobie(tmp_path, coordinates=coordinates))
    assert imported.building.space("G01").geometry is None
    assert "sheet Coordinate, row 3, column CoordinateYAxis: 'north' is not a number; the box is not used" in (
        imported.notes
    )


def test_duplicate_space_names_are_problems(tmp_path: Path) -> None:
    spaces = [space_row("G01", "GF"), space_row("G01", "GF")]
    [(message, where, field)] = problems_of(small_cobie(tmp_path, spaces=spaces))
    assert (message, where, field) == ("space 'G01' is already on row 2", "sheet Space, row 3", "Name")


def test_a_workbook_without_a_space_sheet_is_not_cobie(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "floors.xlsx", {"Floor": [FLOOR_HEAD, floor_row("GF", 0)]})
    [(message, _, _)] = problems_of(path)
    assert message == "not a COBie workbook: it has no Space sheet"


def test_a_file_that_is_no_workbook_is_not_cobie(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("Name,FloorName\nG01,GF\n")
    [(message, _, _)] = problems_of(path)
    assert message.startswith("not a COBie workbook: the file is not an Excel .xlsx workbook")
