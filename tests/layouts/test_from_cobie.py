"""Scenarios made from COBie spreadsheets: departments from the Zone sheet, seats from area."""

from __future__ import annotations

from pathlib import Path

from floorplan.model import Space, SpaceKind
from layouts.from_cobie import _share_out, scenario_from_cobie, unit_id
from layouts.scenario import scenario_from_dict
from layouts.scoring import score_layout


def test_clinic_departments_and_current_layout(shared_data: Path) -> None:
    building, data, notes = scenario_from_cobie(shared_data / "cobie" / "clinic-design.xlsx", building_file="b.geojson")
    current = data["layouts"]["current"]
    assert list(current["dental"]) == ["Second Floor"]
    assert set(current["logistics"]) == {"First Floor", "Second Floor"}
    assert "circulation" not in current and "mechanical" not in current
    assert any("Circulation, Mechanical" in n for n in notes)
    # Seats equal each floor's capacity: the building holds exactly today's layout.
    used: dict[str, int] = {}
    for seats in current.values():
        for floor, n in seats.items():
            used[floor] = used.get(floor, 0) + n
    assert used == {f.name: f.seat_capacity for f in building.floors}
    sc = scenario_from_dict(data, building=building)
    score = score_layout(sc)
    assert {u.unit for u in score.split_units} == {"housekeeping", "janitorial", "logistics", "records"}


def test_seats_from_area_are_rounded_and_shared_exactly() -> None:
    spaces = [Space(f"s{i}", "f", SpaceKind.OFFICE, None, area_m2=a) for i, a in enumerate((25.0, 15.0, 10.0))]
    # 5 seats by area 25 : 15 : 10 are 2.5, 1.5 and 1.0: whole parts 2 + 1 + 1 = 4; the one left goes to the
    # largest remainder, where s0 and s1 tie at 0.5 and s0 comes first by id.
    assert _share_out(spaces, 5) == {"s0": 3, "s1": 1, "s2": 1}
    assert sum(_share_out(spaces, 7).values()) == 7


def test_unit_ids() -> None:
    assert unit_id("Adult Medicine") == "adult-medicine"
    assert unit_id("  Apartment A ") == "apartment-a"


def test_duplex_imports_with_a_note_about_missing_cores(shared_data: Path) -> None:
    _, data, notes = scenario_from_cobie(shared_data / "cobie" / "duplex-design.xlsx", building_file="b.geojson")
    assert [u["name"] for u in data["units"]] == ["Apartment A", "Apartment B"]
    assert any("no lift or stair serves Level 1, Level 2" in n for n in notes)
