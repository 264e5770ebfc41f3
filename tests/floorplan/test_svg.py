"""SVG drawings: parsed back with ElementTree, their structure and coordinates checked against hand-worked values."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest
from shapely import Point, box

from floorplan.errors import UnknownPlace
from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind
from floorplan.svg import StackSegment, StackWords, department_palette, floor_to_svg, stack_to_svg
from floorplan.svg.document import fit_text, text_width, wrap_text
from floorplan.svg.palette import DEPARTMENT_COLOURS, FAINT_INK, text_colour_on
from floorplan.svg.stack_row import segment_label
from floorplan.validation import check_building

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


def drawn_building() -> Building:
    """Two floors with a 20 m x 10 m outline; on 2F two offices (3 + 3 desks), a corridor, a meeting room and a
    small store, with a stair and a lift at the north-west corner serving both floors.

        y=10 +---------+---------+----------------------+----+
             | stair S | lift L  |  meeting             |stor|
        y=7  +---------+---------+----------------------+----+
             |                 corridor                      |
        y=5  +------------------------+----------------------+
             | A: 戸籍住民課 . . .     | B: R&D . . #          |
        y=0  +------------------------+----------------------+
            x=0       3         6     10                18   20
    """
    outline = box(0, 0, 20, 10)
    spaces = (
        Space("A", "f2", SpaceKind.OFFICE, box(0, 0, 10, 5), name="戸籍住民課"),
        Space("B", "f2", SpaceKind.OFFICE, box(10, 0, 20, 5), name="R&D <lab>"),
        Space("C", "f2", SpaceKind.CIRCULATION, box(0, 5, 20, 7)),
        Space("core", "f2", SpaceKind.CORE, box(0, 7, 6, 10)),
        Space("M", "f2", SpaceKind.MEETING, box(6, 7, 18, 10), name="Meeting"),
        Space("st", "f2", SpaceKind.STORAGE, box(18, 7, 20, 10), name="Archive of the registry and its records"),
    )
    desks = (
        Desk("a1", "A", Point(2, 1)),
        Desk("a2", "A", Point(5, 1)),
        Desk("a3", "A", Point(8, 1)),
        Desk("b1", "B", Point(12, 1)),
        Desk("b2", "B", Point(15, 1)),
        Desk("b3", "B", box(17, 0.5, 18.6, 1.3), name="window desk", attributes={"monitor": 2, "standing": True}),
    )
    ground = Floor(
        "f1",
        0,
        "1F",
        0.0,
        outline=outline,
        spaces=(Space("P", "f1", SpaceKind.PUBLIC, box(6, 0, 20, 10), name="Lobby"),),
    )
    upper = Floor("f2", 1, "2F", 4.0, outline=outline, spaces=spaces, desks=desks)
    cores = (
        Core("S", CoreKind.STAIR, (0, 1), footprint=box(0, 7, 3, 10)),
        Core("L", CoreKind.LIFT, (0, 1), footprint=box(3, 7, 6, 10)),
    )
    return check_building(Building("hq", "Town Hall & Annex", (ground, upper), cores=cores))


def guide_building() -> Building:
    """Known from a floor guide: B1 plant, 1F 40 seats, 2F 20 seats, 3F 30 seats."""
    floors = (
        Floor("b1", -1, "B1", -4.0, seats=0, use="plant"),
        Floor("g1", 0, "1F", 0.0, seats=40),
        Floor("g2", 1, "2F", 4.0, seats=20),
        Floor("g3", 2, "3F", 8.0, seats=30),
    )
    return check_building(Building("g", "戸籍住民課 & Co.", floors, cores=(Core("E", CoreKind.LIFT, (-1, 0, 1, 2)),)))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def floats(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in points.split())]


def by_id(root: ET.Element, element_id: str) -> ET.Element:
    found = root.find(f".//*[@id='{element_id}']")
    assert found is not None, element_id
    return found


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


# --- floor_to_svg -------------------------------------------------------------------------------------------------


def test_every_desk_has_its_id_class_and_link() -> None:
    classes = {"a1": "free", "a2": "booked", "b1": "mine", "b3": "blocked", "elsewhere": "reserved"}
    links = {"a1": "/desks/a1?date=2026-04-01&slot=am", "b2": "/desks/b2"}
    root = parse(floor_to_svg(drawn_building(), "2F", desk_classes=classes, desk_links=links))

    desks = [e for e in root.iter() if "desk" in (e.get("class") or "").split() and e.get("id")]
    assert sorted(e.get("id", "") for e in desks) == ["desk-a1", "desk-a2", "desk-a3", "desk-b1", "desk-b2", "desk-b3"]
    assert by_id(root, "desk-a1").get("class") == "desk free"
    assert by_id(root, "desk-a2").get("class") == "desk booked"
    assert by_id(root, "desk-a3").get("class") == "desk"
    assert by_id(root, "desk-b3").tag == f"{SVG}polygon"  # drawn as its own polygon, not a circle
    assert by_id(root, "desk-a1").tag == f"{SVG}circle"

    anchors = {a.get("href"): [c.get("id") for c in a] for a in root.iter(f"{SVG}a")}
    assert anchors == {"/desks/a1?date=2026-04-01&slot=am": ["desk-a1"], "/desks/b2": ["desk-b2"]}

    title = by_id(root, "desk-b3").find("svg:title", NS)
    assert title is not None and title.text == "Desk window desk (monitor: 2, standing), blocked"
    title = by_id(root, "desk-b1").find("svg:title", NS)
    assert title is not None and title.text == "Desk b1, booked by you"


def test_desk_state_patterns_are_defined_and_styled() -> None:
    root = parse(floor_to_svg(drawn_building(), "2F", desk_classes={"a1": "reserved"}))
    pattern_ids = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert {f"fw-desk-{s}" for s in ("free", "booked", "mine", "blocked", "reserved")} <= pattern_ids
    style = root.find(".//svg:style", NS)
    assert style is not None and ".desk.booked { fill: url(#fw-desk-booked); }" in (style.text or "")
    assert by_id(root, "desk-a1").get("fill") == "url(#fw-desk-reserved)"


def test_y_axis_is_flipped_and_the_aspect_ratio_kept() -> None:
    root = parse(floor_to_svg(drawn_building(), "2F", width_px=900))
    # 900 px less two 24 px margins leaves 852 px for 20 m: 42.6 px per metre.
    assert root.get("data-px-per-m") == "42.6"
    outline = root.find(".//svg:polygon[@class='outline']", NS)
    assert outline is not None
    xs, ys = zip(*floats(outline.get("points", "")), strict=True)
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    assert right - left == pytest.approx(852.0)
    assert bottom - top == pytest.approx(426.0)  # 10 m, so the 2:1 outline stays 2:1

    # Office A is box(0, 0, 10, 5): its corner at y = 0 (south) is at the bottom of the drawing, y = 5 halfway up.
    corners = set(floats(by_id(root, "space-A").get("points", "")))
    assert corners == {
        (left, bottom),
        (left + 426.0, bottom),
        (left + 426.0, bottom - 213.0),
        (left, bottom - 213.0),
    }
    # Desk a1 at (2, 1): 85.2 px from the west wall, 42.6 px above the south wall.
    a1 = by_id(root, "desk-a1")
    assert float(a1.get("cx", "")) == pytest.approx(left + 85.2)
    assert float(a1.get("cy", "")) == pytest.approx(bottom - 42.6)


def test_names_are_escaped_and_japanese_kept() -> None:
    svg = floor_to_svg(drawn_building(), "2F", title="Town Hall & Annex <2F>")
    assert "R&amp;D &lt;lab&gt;" in svg and "Town Hall &amp; Annex &lt;2F&gt;" in svg
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label", "").startswith("Town Hall & Annex <2F>: 6 seats")
    assert "戸籍住民課" in texts(root)
    title = by_id(root, "space-A").find("svg:title", NS)
    assert title is not None and title.text == "戸籍住民課 (office, 50 m², 3 seats)"


def test_labels_fit_or_are_left_out() -> None:
    root = parse(floor_to_svg(drawn_building(), "2F", labels={"M": "会議室"}))
    shown = texts(root)
    assert "会議室" in shown and "Meeting" not in shown  # the given label replaces the name
    assert "3 seats" in shown  # the offices' second line
    # The store is 2 m (85 px) wide: its long name cannot fit even at the smallest size, but keeps its title.
    assert "Archive of the registry and its records" not in shown
    store = by_id(root, "space-st").find("svg:title", NS)
    assert store is not None and store.text is not None and store.text.startswith("Archive of the registry")

    # The label of office A keeps clear of its desks, which sit on the line y = 1 m.
    label = root.find(".//svg:g[@data-space='A']/svg:text", NS)
    assert label is not None
    desk_y = float(by_id(root, "desk-a1").get("cy", ""))
    size = float(label.get("font-size", ""))
    assert desk_y - float(label.get("y", "")) > size  # baseline well above the desks' row


def test_cores_are_drawn_with_symbol_and_id() -> None:
    root = parse(floor_to_svg(drawn_building(), 1))
    lift, stair = by_id(root, "core-L"), by_id(root, "core-S")
    assert lift.get("class") == "core lift" and stair.get("class") == "core stair"
    lift_title = lift.find("svg:title", NS)
    assert lift_title is not None and lift_title.text == "Lift L (serves 1F, 2F)"
    assert [t.text for t in lift.iter(f"{SVG}text")] == ["L"]
    # The lift's cross: two diagonals of its 3 m x 3 m shaft.
    (cross,) = lift.findall("svg:path", NS)
    assert cross.get("d", "").count("M") == 2
    # The stair's treads, 30 cm apart, across its 3 m width: nine lines inside.
    (treads,) = stair.findall("svg:path", NS)
    assert treads.get("d", "").count("M") == 9


def test_fill_by_space_and_legend() -> None:
    colours = department_palette(["区民部"])
    root = parse(floor_to_svg(drawn_building(), "2F", fill={"A": colours["区民部"]}, legend=colours))
    assert by_id(root, "space-A").get("fill") == "#77AADD"
    assert by_id(root, "space-B").get("fill") != "#77AADD"
    legend = root.find(".//svg:g[@class='legend']", NS)
    assert legend is not None
    # The given entry first, then the kinds of the spaces not filled, in the order of SpaceKind.
    assert texts(legend) == ["区民部", "office", "meeting", "storage", "circulation", "lift, stair"]


LONG_USE = (
    "ward offices [public: en.wikipedia: 6F-24F mainly ward offices; a 2012 blog: 8F-21F]; offices, meeting "
    "rooms, archives [illustrative]; plan illustrative"
)


def with_use(building: Building, name: str, use: str) -> Building:
    floors = tuple(dataclasses.replace(f, use=use) if f.name == name else f for f in building.floors)
    return dataclasses.replace(building, floors=floors)


def subheadings(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.get("class") == "subheading"]


def test_a_long_summary_wraps_clear_of_the_north_arrow() -> None:
    root = parse(floor_to_svg(with_use(drawn_building(), "2F", LONG_USE), "2F"))
    lines = subheadings(root)
    first, second = (t.text or "" for t in lines)
    assert f"{first} {second}" == f"6 seats · 6 desks · 200 m² · {LONG_USE}"  # broken at a space, nothing lost
    # The header may take 900 - 2 x 24 px less 48 px kept for the arrow: every line ends by x = 828, left of the
    # arrow's west point at 900 - 24 - 14 - 8 = 854; and the first line is as full as it can be.
    for line in lines:
        assert float(line.get("x", "")) + text_width(line.text or "", 12.0) <= 828.0
    assert 24 + text_width(f"{first} {second.split()[0]}", 12.0) > 828.0
    # Baselines 24 + 34 + 0.36 x 12 px, and 16 px below it.
    assert [line.get("y") for line in lines] == ["62.32", "78.32"]
    # The plan moves down by that second line: its top at 24 + 56 + 16 px instead of 24 + 56.
    outline = root.find(".//svg:polygon[@class='outline']", NS)
    assert outline is not None
    assert min(y for _, y in floats(outline.get("points", ""))) == pytest.approx(96.0)
    assert LONG_USE in root.get("aria-label", "")  # screen readers still get all of it


def test_a_summary_too_long_for_two_lines_is_ellipsized() -> None:
    root = parse(floor_to_svg(with_use(drawn_building(), "2F", f"{LONG_USE}; {LONG_USE}"), "2F"))
    lines = [t.text or "" for t in subheadings(root)]
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(24 + text_width(line, 12.0) <= 828.0 for line in lines)


def test_a_short_summary_keeps_one_line() -> None:
    root = parse(floor_to_svg(with_use(drawn_building(), "2F", "ward offices"), "2F"))
    assert [t.text for t in subheadings(root)] == ["6 seats · 6 desks · 200 m² · ward offices"]
    outline = root.find(".//svg:polygon[@class='outline']", NS)
    assert outline is not None
    assert min(y for _, y in floats(outline.get("points", ""))) == pytest.approx(80.0)


def test_floor_known_from_a_floor_guide_is_a_labelled_box() -> None:
    root = parse(floor_to_svg(guide_building(), "1F"))
    shown = texts(root)
    assert "1F" in shown and "40 seats" in shown
    assert root.find(".//svg:g[@class='floor-box']/svg:rect", NS) is not None
    assert not [e for e in root.iter() if (e.get("id") or "").startswith("desk-")]


def test_bad_requests_are_refused() -> None:
    with pytest.raises(UnknownPlace, match="9F"):
        floor_to_svg(drawn_building(), "9F")
    with pytest.raises(ValueError, match=r"'a1'.*'b1'"):
        floor_to_svg(drawn_building(), "2F", desk_classes={"a1": "free booked", "b1": "x;y", "b2": "ok"})


# --- stack_to_svg -------------------------------------------------------------------------------------------------


def rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "floor" in (g.get("class") or "").split()]


def width_of(row: ET.Element, css_class: str) -> list[float]:
    return [float(r.get("width", "")) for r in row.findall("svg:rect", NS) if r.get("class") == css_class]


def test_stack_rows_run_top_floor_first_with_bars_in_proportion() -> None:
    root = parse(stack_to_svg(guide_building()))
    floors = rows(root)
    assert [r.get("data-level") for r in floors] == ["2", "1", "0", "-1"]
    ys = [float(r.findall("svg:text", NS)[0].get("y", "")) for r in floors]
    assert ys == sorted(ys)  # 3F drawn highest, B1 lowest

    # The columns, from the estimated text widths (ems: digits and lower case 0.58, capitals 0.72, space 0.32):
    # names at 12 px, "3F" 1.30 em = 15.6 px, at least 24, + 12 = 36 px; seats at 11 px, "40 seats" 4.38 em =
    # 48.18 px, at least 40, + 12 = 60.18 px. The bars get 900 - 2 x 24 - 36 - 60.18 = 755.82 px from x = 60,
    # all of it for the longest, 1F's 40 seats: 18.8955 px a seat.
    (w3,), (w2,), (w1,) = (width_of(r, "capacity") for r in floors[:3])
    assert (w1, w2, w3) == pytest.approx((755.82, 377.91, 566.87), abs=0.01)
    assert float(root.get("data-px-per-seat", "")) == pytest.approx(18.9)
    assert {r.get("x") for row in floors[:3] for r in row.findall("svg:rect", NS)} == {"60"}
    seats_1f = [t for t in floors[2].iter(f"{SVG}text") if t.get("class") == "seats"]
    assert [(t.text, t.get("x")) for t in seats_1f] == [("40 seats", "823.82")]  # 900 - 24 - 60.18 + 8

    # B1 has no seats: a 16 px grey stub where the bars start, its use after it in grey, nothing on the right.
    b1 = floors[3]
    assert width_of(b1, "capacity") == [] and width_of(b1, "no-seats") == [16.0]
    (use,) = (t for t in b1.iter(f"{SVG}text") if t.get("class") == "use")
    assert (use.text, use.get("x"), use.get("fill")) == ("plant", "82", FAINT_INK)  # 60 + 16 + 6
    assert not [t for t in b1.iter(f"{SVG}text") if t.get("class") == "seats" and t.text]
    # Behind the text, the row's white, so that the grid's lines stop short of it.
    (backing,) = (r for r in b1.findall("svg:rect", NS) if r.get("class") == "use-backing")
    assert (backing.get("x"), backing.get("fill")) == ("79", "#FFFFFF")
    title = b1.find("svg:title", NS)
    assert title is not None and title.text == "B1 (plant): 0 seats"


def test_stack_ellipsizes_what_would_run_past_its_column() -> None:
    building = with_use(guide_building(), "B1", "plant: tanks, the electrical rooms and the sprinkler pumps")
    note = "closed for renovation, April 2026 to March 2027"
    root = parse(stack_to_svg(building, highlight_levels={2: note}, width_px=400))
    row_3f, _, _, row_b1 = rows(root)
    # 400 px: the notes would need a right column of some 300 px; it may take 0.3 x (400 - 48) = 105.6 px, so
    # the bars get 352 - 36 - 105.6 = 210.4 px, from x = 60 to 270.4.
    (seats,) = (t for t in row_3f.iter(f"{SVG}text") if t.get("class") == "seats")
    text = seats.text or ""
    assert text.startswith("30 seats · clos") and text.endswith("…")
    assert float(seats.get("x", "")) == pytest.approx(400 - 24 - 105.6 + 8)
    assert float(seats.get("x", "")) + text_width(text, 11.0) <= 400 - 24
    title = row_3f.find("svg:title", NS)
    assert title is not None and note in (title.text or "")
    # B1's use starts at 82 and may run to the end of the bars' width.
    (use,) = (t for t in row_b1.iter(f"{SVG}text") if t.get("class") == "use")
    assert (use.text or "").startswith("plant: tanks") and (use.text or "").endswith("…")
    assert 82 + text_width(use.text or "", 11.0) <= 270.4
    title = row_b1.find("svg:title", NS)
    assert title is not None and "sprinkler pumps" in (title.text or "")


def test_stack_segments_and_over_capacity() -> None:
    colours = department_palette(["区民部", "福祉部"])
    segments = {
        1: [
            StackSegment("戸籍住民課", 15, colours["区民部"], "区民部"),
            StackSegment("R&D", 10, colours["福祉部"], "福祉部"),
        ],
        0: [StackSegment("税務課", 30, colours["区民部"], "区民部")],
    }
    svg = stack_to_svg(guide_building(), segments=segments, highlight_levels={2: "closed"})
    assert "R&amp;D" in svg
    root = parse(svg)
    row_3f, row_2f, row_1f, _ = rows(root)

    # The right column is as wide as "25 / 20 (+5 over)", 8.04 em at 11 px = 88.44 px, + 12 = 100.44 px; the
    # bars get 900 - 48 - 36 - 100.44 = 715.56 px for the fullest floor, 1F's 40 seats: 17.889 px a seat.
    assert width_of(row_1f, "capacity") == pytest.approx([715.56], abs=0.01)
    assert width_of(row_2f, "capacity") == pytest.approx([357.78], abs=0.01)
    # 2F: 15 + 10 = 25 seats on 20: five over.
    assert width_of(row_2f, "segment") == pytest.approx([268.335, 178.89], abs=0.01)
    assert row_2f.get("class") == "floor over-capacity"
    assert width_of(row_2f, "over") == pytest.approx([89.445], abs=0.01)
    assert "25 / 20 (+5 over)" in texts(row_2f)
    assert "戸籍住民課 15" in texts(row_2f) and "R&D 10" in texts(row_2f)
    # 1F: 30 of 40, not over; 3F closed and hatched.
    assert row_1f.get("class") == "floor" and "30 / 40" in texts(row_1f)
    assert row_3f.get("class") == "floor highlighted" and "0 / 30 · closed" in texts(row_3f)

    legend = root.find(".//svg:g[@class='legend']", NS)
    assert legend is not None
    assert texts(legend) == ["区民部", "福祉部", "free seats", "over capacity", "closed", "no seats"]


JAPANESE = StackWords(
    heading="{building}:階別の席数",
    summary_used="{floors}フロア · {capacity:,}席中{used:,}席を使用",
    summary_seats="{floors}フロア · {capacity:,}席",
    label="{heading}。{summary}",
    seats="{n}席",
    over="({n}席超過)",
    axis="席数",
    free_seats="空席",
    over_capacity="席数超過",
    no_seats="席なし",
    marked="注記あり",
    floor_used="{floor}:{capacity}席中{used}席を使用",
    floor_seats="{floor}:{n}席",
    segment="{label}:{n}席",
    segment_in_group="{label}({group}):{n}席",
)


def words_segments() -> dict[int, list[StackSegment]]:
    """2F: 15 + 10 = 25 seats on 20, five over; 1F: 30 of 40, a unit without a group."""
    colours = department_palette(["区民部", "福祉部"])
    return {
        1: [
            StackSegment("戸籍住民課", 15, colours["区民部"], "区民部"),
            StackSegment("R&D", 10, colours["福祉部"], "福祉部"),
        ],
        0: [StackSegment("税務課", 30, "#CCCCCC")],
    }


def everything_written(root: ET.Element) -> list[str]:
    """Every text, every <title> and the aria-label: all that a reader or a screen reader gets."""
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    return [root.get("aria-label", ""), *texts(root), *titles]


def titles_of(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}title")]


def test_stack_writes_the_words_it_is_given() -> None:
    # B1 without a use, so that its stub reads "no seats"; 3F marked with an empty note, so that the legend says
    # "marked". Seats: 0 + 40 + 20 + 30 = 90, used 25 + 30 = 55.
    building = with_use(guide_building(), "B1", "")
    root = parse(stack_to_svg(building, segments=words_segments(), highlight_levels={2: ""}, words=JAPANESE))
    label = "戸籍住民課 & Co.:階別の席数。4フロア · 90席中55席を使用"
    assert root.get("aria-label") == label and titles_of(root)[0] == label
    heading = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "heading"]
    assert heading == ["戸籍住民課 & Co.:階別の席数"]
    assert [t.text for t in subheadings(root)] == ["4フロア · 90席中55席を使用"]
    row_3f, row_2f, row_1f, row_b1 = rows(root)
    assert "25 / 20 (5席超過)" in texts(row_2f) and "30 / 40" in texts(row_1f) and "0 / 30" in texts(row_3f)
    assert titles_of(row_2f) == [
        "2F:20席中25席を使用 (戸籍住民課 15, R&D 10)",
        "戸籍住民課(区民部):15席",
        "R&D(福祉部):10席",
    ]
    assert titles_of(row_1f) == ["1F:40席中30席を使用 (税務課 30)", "税務課:30席"]
    assert titles_of(row_b1) == ["B1:0席中0席を使用"]
    assert [t.text for t in row_b1.iter(f"{SVG}text") if t.get("class") == "use"] == ["席なし"]
    axis = root.find(".//svg:g[@class='axis']", NS)
    assert axis is not None and texts(axis)[-1] == "席数"
    legend = root.find(".//svg:g[@class='legend']", NS)
    assert legend is not None
    assert texts(legend) == ["区民部", "福祉部", "空席", "席数超過", "注記あり", "席なし"]
    english = re.compile(r"seats|over|free|floors|marked|used")
    assert not [t for t in everything_written(root) if english.search(t)]

    # Without units: the seats alone, in the right column, the summary and the rows' titles.
    root = parse(stack_to_svg(guide_building(), words=JAPANESE))
    assert root.get("aria-label") == "戸籍住民課 & Co.:階別の席数。4フロア · 90席"
    row_3f, _, row_1f, row_b1 = rows(root)
    assert "30席" in texts(row_3f)
    assert "40席" in texts(row_1f) and titles_of(row_1f) == ["1F:40席"]
    assert titles_of(row_b1) == ["B1 (plant):0席"]
    assert not [t for t in everything_written(root) if english.search(t)]


def test_stack_words_keep_thousands_and_a_heading_without_a_name() -> None:
    floors = tuple(
        dataclasses.replace(f, seats={"1F": 600, "2F": 700}.get(f.name, f.seats)) for f in guide_building().floors
    )
    building = dataclasses.replace(guide_building(), name="", floors=floors)
    # 0 + 600 + 700 + 30 = 1,330 seats
    japanese = parse(stack_to_svg(building, words=JAPANESE))
    assert japanese.get("aria-label") == "階別の席数。4フロア · 1,330席"
    english = parse(stack_to_svg(building))
    assert english.get("aria-label") == "seats by floor: 4 floors · 1,330 seats"


def test_stack_words_default_to_english() -> None:
    building = with_use(guide_building(), "B1", "")
    svg = stack_to_svg(building, segments=words_segments(), highlight_levels={2: ""})
    assert stack_to_svg(building, segments=words_segments(), highlight_levels={2: ""}, words=StackWords()) == svg
    root = parse(svg)
    assert root.get("aria-label") == "戸籍住民課 & Co.: seats by floor: 4 floors · 55 of 90 seats used"
    row_3f, row_2f, row_1f, row_b1 = rows(root)
    assert "25 / 20 (+5 over)" in texts(row_2f) and "0 / 30" in texts(row_3f)
    assert titles_of(row_2f) == [
        "2F: 25 of 20 seats used (戸籍住民課 15, R&D 10)",
        "戸籍住民課: 15 seats, 区民部",
        "R&D: 10 seats, 福祉部",
    ]
    assert titles_of(row_1f) == ["1F: 30 of 40 seats used (税務課 30)", "税務課: 30 seats"]
    assert [t.text for t in row_b1.iter(f"{SVG}text") if t.get("class") == "use"] == ["no seats"]
    axis = root.find(".//svg:g[@class='axis']", NS)
    assert axis is not None and texts(axis)[-1] == "seats"
    legend = root.find(".//svg:g[@class='legend']", NS)
    assert legend is not None
    assert texts(legend) == ["区民部", "福祉部", "free seats", "over capacity", "marked", "no seats"]
    assert (
        parse(stack_to_svg(guide_building())).get("aria-label")
        == "戸籍住民課 & Co.: seats by floor: 4 floors · 90 seats"
    )


def test_segment_labels_shrink_to_what_fits() -> None:
    # At 11 px: "戸籍住民課 15" is 5 + 0.32 + 1.16 = 6.48 em = 71.28 px, the label alone 55 px, "戸籍…" 33 px
    # (the ellipsis is counted a full em), "15" 12.76 px.
    assert segment_label("戸籍住民課", 15, 80.0) == "戸籍住民課 15"
    assert segment_label("戸籍住民課", 15, 60.0) == "戸籍住民課"
    assert segment_label("戸籍住民課", 15, 40.0) == "戸籍…"
    assert segment_label("戸籍住民課", 15, 30.0) == "15"  # "戸…" would keep a single character
    assert segment_label("戸籍住民課", 15, 10.0) == ""


def test_stack_refuses_levels_the_building_lacks() -> None:
    with pytest.raises(ValueError, match=r"level 7.*level 9.*-1 seats"):
        stack_to_svg(
            guide_building(),
            segments={7: [], 0: [StackSegment("x", -1, "#000")]},
            highlight_levels={9: "closed"},
        )


# --- colours ------------------------------------------------------------------------------------------------------


def test_department_palette_is_distinct_and_stable() -> None:
    groups = ["区民部", "子ども家庭部", "区民部", "福祉部"]
    palette = department_palette(groups)
    assert palette == {"区民部": "#77AADD", "子ども家庭部": "#EE8866", "福祉部": "#EEDD88"}
    assert department_palette(groups) == palette
    many = department_palette([f"d{i}" for i in range(len(DEPARTMENT_COLOURS))])
    assert len(set(many.values())) == len(DEPARTMENT_COLOURS)


def test_label_colour_contrasts_with_its_fill() -> None:
    assert text_colour_on("#332288") == "#FFFFFF"  # Tol indigo
    assert text_colour_on("#EEDD88") == "#222222"  # Tol light yellow
    assert text_colour_on("rebeccapurple") == "#222222"  # not a hex colour: the default ink


# --- text ---------------------------------------------------------------------------------------------------------


def test_fit_text_cuts_with_an_ellipsis() -> None:
    assert fit_text("ward offices", 10.0, 1000.0) == "ward offices"
    # At 10 px the ellipsis takes 10 px, leaving 50: "ward offi" is 5.8 x 8 - 2.6 (the narrow i) = 47.0 px.
    assert fit_text("ward offices (B1)", 10.0, 60.0) == "ward offi…"
    assert fit_text("ward offices", 10.0, 12.0) == ""  # not a letter before the ellipsis


def test_wrap_text_breaks_at_separators_spaces_and_inside_japanese() -> None:
    # "a · bb" is 5.8 + 9.6 + 11.6 = 27 px at 10 px; " cc" would make it 41.8.
    assert wrap_text("a · bb cc", 10.0, 30.0, max_lines=2) == ["a · bb", "cc"]
    assert wrap_text("a · bb · cc", 10.0, 30.0, max_lines=3) == ["a · bb", "cc"]  # no line starts with "·"
    # Ten kana of 10 px each in 35 px: three to a line, the second line cut to two and the ellipsis.
    assert wrap_text("あいうえおかきくけこ", 10.0, 35.0, max_lines=2) == ["あいう", "えお…"]
