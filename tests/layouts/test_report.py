"""The HTML report of a comparison, read back with the standard library's HTML parser.

The hand-made scenario: floors 1F-3F of a floor guide (100 seats each, every walk 25 m at 1.3 m/s, a lift and a
stair over all floors), two sections of one department meeting 1500 times a week, no internal traffic.
- ``base``: 1F and 2F, one floor apart by stairs: t = 2 * 25/1.3 + (20 + 15)/2 = 55.96 s, so travel
  1500 * 55.96 / 3600 = 23.32 h, vertical 1500 * 17.5 / 3600 = 7.29 h, 1,500 trips between floors, 1,500 crossed.
- ``together``: both on 1F: t = 25/1.3 = 19.23 s, travel 8.01 h (-15.30 h, -66 %), nothing vertical.
- ``far``: 1F and 3F, two floors by stairs (35 s; the lift takes 30 + 5.5 + 8/2.5 + 2.5 = 41.2 s):
  t = 73.46 s, travel 30.61 h (+7.29 h, +31 %), vertical 14.58 h, 1,500 trips, 3,000 floors crossed.
The department may use one floor (max_floors 1): base and far break that, together keeps it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from layouts.checks import Violation
from layouts.compare import Comparison, compare_layouts
from layouts.demo import DEMO_SCENARIO
from layouts.layout import Layout
from layouts.report import comparison_to_html
from layouts.report.catalogue import Catalogue, signed
from layouts.report.stacking import scope_svg_ids
from layouts.report.violations import unit_labeller, violation_in_words
from layouts.scenario import read_scenario, scenario_from_dict

DAY = date(2026, 11, 26)
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr"}


# -- a small DOM from html.parser ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = dataclasses.field(default_factory=list)

    @property
    def text(self) -> str:
        """The text as a reader gets it: whitespace collapsed, nothing added between elements."""
        return re.sub(r"\s+", " ", self.raw_text).strip()

    @property
    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def find(self, tag: str, **attrs: str) -> Node:
        return next(self.find_all(tag, **attrs))

    def find_all(self, tag: str, **attrs: str) -> Iterator[Node]:
        for node in self.iter(tag):
            if all(v in node.attrs.get(k.rstrip("_"), "").split() for k, v in attrs.items()):
                yield node

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root.find("html")


def table_rows(table: Node) -> dict[str, list[Node]]:
    """Row header text -> the row's data cells."""
    return {row.find("th").text: list(row.find_all("td")) for row in table.find("tbody").find_all("tr")}


# -- scenarios -------------------------------------------------------------------------------------------------------


def hand_made(**extra: Any) -> Comparison:
    data = {
        "name": "Test & <trial>",
        "building": {
            "name": "Annex",
            "floors": [{"name": f"{lv + 1}F", "level": lv, "seats": 100} for lv in range(3)],
            "cores": [
                {"id": "L", "kind": "lift", "levels": [0, 1, 2]},
                {"id": "S", "kind": "stair", "levels": [0, 1, 2]},
            ],
        },
        "internal_trips_per_person": 0,
        "units": [
            {"id": "ops", "name": "Operations"},
            {"id": "ops.a", "name": "<&> Lab", "parent": "ops", "headcount": 10},
            {"id": "ops.b", "name": "Desk B", "parent": "ops", "headcount": 10},
        ],
        "relations": [["ops.a", "ops.b", 1500]],
        "constraints": {"max_floors": {"ops": 1}},
        "layouts": {
            "base": {"ops.a": {"1F": 8}, "ops.b": {"2F": 8}},
            "together": {"ops.a": {"1F": 8}, "ops.b": {"1F": 8}},
            "far": {"ops.a": {"1F": 8}, "ops.b": {"3F": 8}},
        },
        **extra,
    }
    return compare_layouts(scenario_from_dict(data))


@pytest.fixture(scope="module")
def small() -> Comparison:
    return hand_made()


@pytest.fixture(scope="module")
def small_en(small: Comparison) -> str:
    return comparison_to_html(small, generated=DAY)


@pytest.fixture(scope="module")
def small_ja(small: Comparison) -> str:
    return comparison_to_html(small, lang="ja", generated=DAY)


@pytest.fixture(scope="module")
def demo() -> Comparison:
    return compare_layouts(read_scenario(DEMO_SCENARIO))


# -- the figures -----------------------------------------------------------------------------------------------------


def test_figures_table_values_and_signed_changes(small_en: str) -> None:
    page = parse(small_en)
    table = page.find("table", class_="figures")
    assert [th.text for th in table.find("thead").find_all("th")] == ["Figure", "base baseline", "together", "far"]
    rows = table_rows(table)
    travel = rows["Travel time (person-hours)"]
    assert [c.find("span", class_="value").text for c in travel] == ["23.3", "8.0", "30.6"]
    assert travel[0].text == "23.3"  # the baseline has no change
    assert travel[1].find("span", class_="change").classes == ["change", "better"]
    assert travel[1].text == "8.0 ▼ −15.3 (−66%) (lower than the baseline)"
    assert travel[2].find("span", class_="change").classes == ["change", "worse"]
    assert travel[2].text == "30.6 ▲ +7.3 (+31%) (higher than the baseline)"
    vertical = rows["of which vertical (lifts, stairs)"]
    assert [c.text for c in vertical] == [
        "7.3",
        "0.0 ▼ −7.3 (−100%) (lower than the baseline)",
        "14.6 ▲ +7.3 (+100%) (higher than the baseline)",
    ]
    trips = rows["Trips between floors"]
    assert [c.find("span", class_="value").text for c in trips] == ["1,500", "0", "1,500"]
    assert trips[2].find("span", class_="change").classes == ["change", "same"]
    assert trips[2].text == "1,500 ± 0 (as the baseline)"
    crossed = rows["Floors crossed"]
    assert crossed[2].text == "3,000 ▲ +1,500 (+100%) (higher than the baseline)"
    assert [c.text for c in rows["People who change floor"]] == ["0", "10", "10"]
    assert [c.text for c in rows["Units split over floors"]] == ["0"] + ["0 ± 0 (as the baseline)"] * 2
    broken = rows["Constraints broken"]
    assert [c.find("span", class_="value").text for c in broken] == ["1", "0", "1"]
    assert broken[1].text == "0 ▼ −1 (lower than the baseline)"  # counts carry no percentage


def test_japanese_figures_and_words(small_ja: str) -> None:
    page = parse(small_ja)
    assert page.attrs["lang"] == "ja"
    rows = table_rows(page.find("table", class_="figures"))
    assert rows["移動時間(人・時間)"][1].text == "8.0 ▼ −15.3 (−66%) (基準より小さい)"
    assert rows["階をまたぐ移動(回)"][0].text == "1,500"
    assert "作成日" in page.find("dl", class_="meta").text
    assert "2026年11月26日" in page.find("dl", class_="meta").text
    violations = [li.text for li in page.find_all("ul", class_="violations") for li in li.find_all("li")]
    assert violations == [
        "! Operationsが2フロア(1F、2F)に分かれています(上限1フロア)",
        "! Operationsが2フロア(1F、3F)に分かれています(上限1フロア)",
    ]


def test_lang_attribute_headings_and_date(small_en: str, small_ja: str) -> None:
    for html, lang, headings, day in (
        (
            small_en,
            "en",
            ["Figures per week", "Seats by floor", "Layout “base” (baseline)", "Layout “far”"],
            "26 November 2026",
        ),
        (
            small_ja,
            "ja",
            ["週あたりの指標", "階別の席数", "レイアウト「base」(基準)", "レイアウト「far」"],
            "2026年11月26日",
        ),
    ):
        page = parse(html)
        assert page.attrs["lang"] == lang
        assert page.find("h1").text == "Test & <trial>"
        h2 = [h.text for h in page.iter("h2")]
        assert all(h in h2 for h in headings)
        assert day in page.find("footer").text
        # Headings in order: one h1 first, and never a level skipped on the way down.
        levels = [int(n.tag[1]) for n in page.iter() if re.fullmatch(r"h[1-6]", n.tag)]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_names_are_escaped(small_en: str) -> None:
    assert "<&>" not in small_en
    assert "<trial>" not in small_en
    assert "&lt;&amp;&gt; Lab" in small_en
    page = parse(small_en)
    pairs = page.find("section", class_="layout").find("table", class_="pairs")
    assert list(table_rows(pairs)) == ["<&> Lab – Desk B"]
    # in the drawing too: the segment of the unit on 1F
    assert any(t.text.startswith("<&> Lab: 8 seats") for t in page.iter("title"))


def test_one_drawing_per_layout_with_its_title_and_own_ids(small_en: str) -> None:
    page = parse(small_en)
    drawings = list(page.iter("svg"))
    assert len(drawings) == 3
    for svg, name in zip(drawings, ["base", "together", "far"], strict=True):
        assert svg.attrs["viewbox"].startswith("0 0 ")
        assert svg.children and svg.find("title").text.startswith(f"{name}: seats by floor")
    ids = [n.attrs["id"] for n in page.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]+)\)", small_en):
        assert ref in ids


def test_self_contained(small_en: str, demo: Comparison) -> None:
    for html in (small_en, comparison_to_html(demo, generated=DAY)):
        page = parse(html)
        links = [n.attrs[a] for n in page.iter() for a in ("src", "href") if a in n.attrs]
        assert not [u for u in links if re.match(r"(https?:)?//", u)]
        assert all(u.startswith("#") for u in links)
        assert not list(page.iter("script")) and not list(page.iter("link"))
        style = page.find("style").text
        assert "@import" not in style and "url(" not in style


def test_every_table_header_has_a_scope(small_en: str) -> None:
    page = parse(small_en)
    headers = list(page.iter("th"))
    assert headers and all(th.attrs.get("scope") in ("col", "row") for th in headers)


def test_seat_balance_marks_a_floor_over_capacity() -> None:
    comparison = hand_made()
    crowded = Layout("crowded", {"ops.a": {"1F": 90}, "ops.b": {"1F": 20}})
    scenario = dataclasses.replace(comparison.scenario, layouts={**comparison.scenario.layouts, "crowded": crowded})
    page = parse(comparison_to_html(compare_layouts(scenario), generated=DAY))
    rows = table_rows(page.find("table", class_="seat-balance"))
    assert list(rows) == ["3F", "2F", "1F"]
    assert [c.text for c in rows["1F"]] == ["8 / 100", "16 / 100", "8 / 100", "110 / 100 ▲ 10 over"]
    assert [c.classes for c in rows["1F"]][3] == ["num", "over"]
    assert rows["2F"][1].text == "· not used"


def test_japanese_drawings_carry_japanese_words() -> None:
    # 90 + 20 = 110 seats on 1F of 100: ten over; 3 floors of 100 seats, 110 used. A scenario file may not hold
    # such a layout, so it is added to the scenario read.
    scenario = hand_made(layouts={"only": {"ops.a": {"1F": 8}, "ops.b": {"1F": 8}}}).scenario
    crowded = Layout("crowded", {"ops.a": {"1F": 90}, "ops.b": {"1F": 20}})
    comparison = compare_layouts(dataclasses.replace(scenario, layouts={**scenario.layouts, "crowded": crowded}))
    *_, svg = parse(comparison_to_html(comparison, lang="ja", generated=DAY)).iter("svg")
    assert svg.attrs["aria-label"] == "crowded:階別の席数。3フロア · 300席中110席を使用"
    texts = [t.text for t in svg.iter("text")]
    assert texts[:2] == ["crowded:階別の席数", "3フロア · 300席中110席を使用"]
    assert "110 / 100 (10席超過)" in texts and "0 / 100" in texts
    assert "席数" in texts  # under the axis
    assert texts[-3:] == ["Operations", "空席", "席数超過"]  # the legend
    titles = [t.text for t in svg.iter("title")]
    assert "1F:100席中110席を使用 (<&> Lab 90, Desk B 20)" in titles and "2F:100席中0席を使用" in titles
    assert "<&> Lab(Operations):90席" in titles and "Desk B(Operations):20席" in titles
    english = re.compile(r"seats|over|free|floors|used")
    assert not [t for t in [svg.attrs["aria-label"], *texts, *titles] if english.search(t)]

    # The same layout in English keeps the diagram's own words.
    *_, svg = parse(comparison_to_html(comparison, generated=DAY)).iter("svg")
    assert svg.attrs["aria-label"] == "crowded: seats by floor: 3 floors · 110 of 300 seats used"
    texts = [t.text for t in svg.iter("text")]
    assert "seats" in texts and "110 / 100 (+10 over)" in texts
    assert texts[-3:] == ["Operations", "free seats", "over capacity"]


def test_moved_and_changed_pairs_of_a_proposal(small_en: str) -> None:
    page = parse(small_en)
    far = page.find("section", class_="layout", **{"aria-labelledby": "layout-3"})
    moved = far.find("table", class_="moved")
    assert [c.text for c in table_rows(moved)["Desk B"]] == ["Operations", "2F", "3F", "10", "10"]
    assert [c.text for c in moved.find("tfoot").iter() if c.tag in ("th", "td")] == ["Total", "10"]
    changes = table_rows(list(far.find_all("table", class_="pairs"))[1])
    assert [c.text for c in changes["<&> Lab – Desk B"]] == [
        "23.32",
        "30.61",
        "▲ +7.29 (+31%) (higher than the baseline)",
    ]


def test_a_scenario_of_one_layout_is_its_own_baseline() -> None:
    comparison = hand_made(layouts={"only": {"ops.a": {"1F": 8}, "ops.b": {"1F": 8}}})
    html = comparison_to_html(comparison)
    page = parse(html)
    assert len(list(page.iter("svg"))) == 1
    assert not list(page.find_all("span", class_="change"))
    assert [h.text for h in page.iter("h2")][-1] == "Layout “only” (baseline)"
    assert Catalogue("en").date(date.today()) in page.find("dl", class_="meta").text


# -- the demo --------------------------------------------------------------------------------------------------------


def test_demo_report(demo: Comparison) -> None:
    page = parse(comparison_to_html(demo, generated=DAY))
    assert page.find("h1").text == demo.scenario.name
    meta = page.find("dl", class_="meta").text
    assert "文京シビックセンター (demo)" in meta and "current" in meta and "552 people, 457 seats" in meta
    rows = table_rows(page.find("table", class_="figures"))
    by_layout = {c.score.layout: c for c in demo.layouts}
    for cell, name in zip(rows["Travel time (person-hours)"], ["current", "low-rise", "fukushi-high"], strict=True):
        assert cell.find("span", class_="value").text == f"{by_layout[name].score.travel_hours_per_week:.1f}"
    floors = rows["Floors crossed"]
    assert floors[0].text == f"{by_layout['current'].score.floors_crossed_per_week:,.0f}"
    assert "," in floors[0].text  # 2,667: thousands grouped
    assert floors[1].find("span", class_="change").classes == ["change", "better"]
    assert floors[1].find("span", class_="change").text.startswith("▼ −")
    assert [c.text for c in rows["People who change floor"]] == ["0", "305", "390"]
    assert len(list(page.iter("svg"))) == 3
    current = page.find("section", class_="layout")
    split = table_rows(current.find("table"))
    assert [c.text for c in split["税務課"]] == ["区民部", "3F 24 · 8F 20"]
    assert next(li.text for li in current.find("ul", class_="violations").find_all("li")) == (
        "! 区民部 is on 4 floors (2F, 3F, 8F, 16F), more than 3"
    )
    # Floors other departments hold are marked in the drawing, so that their empty bars do not read as room.
    assert "0 / 120 · not available" in current.find("svg").text


def test_demo_in_japanese(demo: Comparison) -> None:
    page = parse(comparison_to_html(demo, lang="ja", generated=DAY))
    assert page.attrs["lang"] == "ja"
    assert [h.text for h in page.iter("h2")][:2] == ["週あたりの指標", "階別の席数"]
    current = page.find("section", class_="layout")
    assert next(li.text for li in current.find("ul", class_="violations").find_all("li")) == (
        "! 区民部が4フロア(2F、3F、8F、16F)に分かれています(上限3フロア)"
    )
    assert "使用不可" in current.find("svg").text
    assert "seats" not in current.find("svg").text and "席数" in current.find("svg").text


# -- the parts -------------------------------------------------------------------------------------------------------


def test_catalogue_numbers_dates_and_languages() -> None:
    en, ja = Catalogue("en"), Catalogue("ja")
    assert en.number(1234567.25, 1) == "1,234,567.2"  # round half to even, as Python formats
    assert en.number(-2667) == "−2,667"
    assert en.number(-0.04, 1) == "0.0"  # no minus on a figure that rounds to zero
    assert ja.number(2667) == "2,667"
    assert signed(-0.04, 1) == ("±0.0", 0)
    assert signed(1500, 0) == ("+1,500", 1)
    assert signed(-6.46, 1) == ("−6.5", -1)
    assert en.date(date(2026, 1, 5)) == "5 January 2026"
    assert ja.date(date(2026, 1, 5)) == "2026年1月5日"
    with pytest.raises(ValueError, match="en, ja"):
        Catalogue("fr")
    with pytest.raises(ValueError):
        comparison_to_html(hand_made(), lang="de")


def test_violations_of_every_kind_in_both_languages() -> None:
    label = unit_labeller({"a": "甲課", "b": "乙課", "d": "部"})
    cases = [
        (
            Violation("fixed", ("a",), ("3F",), allowed=("2F",)),
            "甲課 is on 3F, but is fixed to 2F",
            "甲課が3Fにありますが、2Fに固定されています",
        ),
        (
            Violation("available", ("a",), ("6F", "7F")),
            "甲課 is on 6F, 7F, outside the floors available to the scenario",
            "甲課がシナリオで使える階の外(6F、7F)にあります",
        ),
        (Violation("closed", ("a",), ("13F",)), "甲課 is on closed floor(s) 13F", "甲課が閉鎖階(13F)にあります"),
        (
            Violation("max_floors", ("d",), ("2F", "3F", "8F"), limit=2),
            "部 is on 3 floors (2F, 3F, 8F), more than 2",
            "部が3フロア(2F、3F、8F)に分かれています(上限2フロア)",
        ),
        (
            Violation("adjacent", ("d",), ("2F", "4F")),
            "部 is on 2F, 4F, which are not adjacent floors",
            "部の階(2F、4F)が連続していません",
        ),
        (
            Violation("apart", ("a", "b"), ("2F",)),
            "甲課 and 乙課 are to be kept apart but share 2F",
            "甲課と乙課は離す決まりですが、同じ階(2F)にあります",
        ),
    ]
    for violation, english, japanese in cases:
        assert violation_in_words(violation, lang="en", label=label) == english
        assert violation_in_words(violation, lang="ja", label=label) == japanese


def test_scope_svg_ids() -> None:
    svg = '<svg><defs><pattern id="p"/></defs><rect fill="url(#p)"/><use href="#p"/><g data-id="x"/></svg>'
    assert scope_svg_ids(svg, "L1-") == (
        '<svg><defs><pattern id="L1-p"/></defs><rect fill="url(#L1-p)"/><use href="#L1-p"/><g data-id="x"/></svg>'
    )
