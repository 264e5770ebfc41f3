"""What the report shows, worked out from a `Comparison` and written as text in the report's language.

The template only lays these out: every figure is formatted here, so that what a reader sees can be tested
without parsing markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from layouts.compare import Comparison, LayoutComparison
from layouts.report.catalogue import N_, Catalogue, signed
from layouts.report.stacking import department_colours, layout_stack_svg, stack_words
from layouts.report.violations import unit_labeller, violation_in_words
from layouts.scoring import LayoutScore, UnitSeats


@dataclass(frozen=True, slots=True)
class Change:
    """A figure against the baseline: ``text`` signed ("−6.5"), ``direction`` after rounding (-1 lower, 0, 1)."""

    text: str
    direction: int
    percent: str  # "−24%", or "" when the baseline is 0
    words: str  # the direction in words, for readers who do not see the arrow or the colour

    @property
    def css_class(self) -> str:
        return {-1: "better", 0: "same", 1: "worse"}[self.direction]

    @property
    def arrow(self) -> str:
        return {-1: "▼", 0: "±", 1: "▲"}[self.direction]

    @property
    def shown(self) -> str:
        """The change as printed: its ± sign is in the arrow column already."""
        return self.text.removeprefix("±")


@dataclass(frozen=True, slots=True)
class FigureCell:
    value: str
    change: Change | None  # None: the baseline itself, or a figure that is a change already


@dataclass(frozen=True, slots=True)
class FigureRow:
    label: str
    cells: tuple[FigureCell, ...]
    part_of_previous: bool = False  # "of which vertical" is indented under the travel time


@dataclass(frozen=True, slots=True)
class SeatCell:
    text: str  # "46 / 60", or "" where the layout does not use the floor
    over: str  # "+10 over", or "" within capacity


@dataclass(frozen=True, slots=True)
class SeatRow:
    floor: str
    cells: tuple[SeatCell, ...]


@dataclass(frozen=True, slots=True)
class SplitUnit:
    unit: str
    department: str
    floors: str  # "3F 24 · 8F 20"


@dataclass(frozen=True, slots=True)
class PairRow:
    units: str
    trips: str
    hours: str
    vertical_hours: str


@dataclass(frozen=True, slots=True)
class PairChangeRow:
    units: str
    baseline_hours: str
    hours: str
    change: Change


@dataclass(frozen=True, slots=True)
class MovedRow:
    unit: str
    department: str
    headcount: str
    moved: str
    from_floors: str
    to_floors: str


@dataclass(frozen=True, slots=True)
class LayoutSection:
    anchor: str
    name: str
    heading: str
    is_baseline: bool
    svg: str  # well-formed SVG from `stack_to_svg`, inlined as it is
    split_units: tuple[SplitUnit, ...]
    violations: tuple[str, ...]
    top_pairs: tuple[PairRow, ...]
    pair_changes: tuple[PairChangeRow, ...]
    moved: tuple[MovedRow, ...]
    moved_total: str


#: The figures of the table, the decimals each is shown with.
FIGURES = (
    ("travel_hours_per_week", 1),
    ("vertical_hours_per_week", 1),
    ("vertical_trips_per_week", 0),
    ("floors_crossed_per_week", 0),
)
#: Each figure's name in the table.
FIGURE_NAMES = {
    "travel_hours_per_week": N_("Travel time (person-hours)"),
    "vertical_hours_per_week": N_("of which vertical (lifts, stairs)"),
    "vertical_trips_per_week": N_("Trips between floors"),
    "floors_crossed_per_week": N_("Floors crossed"),
    "units_split": N_("Units split over floors"),
    "violations_count": N_("Constraints broken"),
}
#: A change's direction against the baseline (after rounding) in words.
CHANGE_WORDS = {-1: N_("lower than the baseline"), 0: N_("as the baseline"), 1: N_("higher than the baseline")}
#: Pairs of each layout shown under "changed most"; the comparison may hold more.
PAIR_CHANGES_SHOWN = 8


class ReportSections:
    """The parts of the report of ``comparison`` in the language of ``catalogue``."""

    def __init__(self, comparison: Comparison, catalogue: Catalogue) -> None:
        self.comparison = comparison
        self.scenario = comparison.scenario
        self.t = catalogue
        org = self.scenario.organisation
        self.label = unit_labeller({u.id: u.label for u in org})
        by_name = {c.score.layout: c for c in comparison.layouts}
        self.base = by_name[comparison.baseline].score

    # -- helpers --------------------------------------------------------------------------------------------------

    def change(self, value: float, baseline: float, decimals: int, *, with_percent: bool = True) -> Change:
        text, direction = signed(value - baseline, decimals)
        percent = ""
        if with_percent and abs(baseline) > 1e-12 and direction != 0:
            percent, _ = signed(100 * (value - baseline) / baseline, 0)
            percent += "%"
        words = self.t(CHANGE_WORDS[direction])
        return Change(text, direction, percent, words)

    def department_of(self, unit: str) -> str:
        org = self.scenario.organisation
        if unit not in org:
            return ""
        department = org.department(unit)
        return "" if department == unit else self.label(department)

    def pair_units(self, a: str, b: str) -> str:
        if a == b:
            return self.t("%(unit)s (within the unit)", unit=self.label(a))
        return self.t("%(a)s – %(b)s", a=self.label(a), b=self.label(b))

    def floors_text(self, seats: UnitSeats | None, *, with_seats: bool) -> str:
        if seats is None or not seats.floors:
            return "–"
        if with_seats:
            return " · ".join(f"{floor} {self.t.number(n)}" for floor, n in seats.floors.items())
        return ", ".join(seats.floors)

    # -- the parts ------------------------------------------------------------------------------------------------

    def figure_rows(self) -> list[FigureRow]:
        """The figures table: one row per figure, one cell per layout, each with its change against the baseline."""
        base = self.base
        rows = []
        for key, decimals in FIGURES:
            cells = []
            for c in self.comparison.layouts:
                value = float(getattr(c.score, key))
                change = None if c.score is base else self.change(value, float(getattr(base, key)), decimals)
                cells.append(FigureCell(self.t.number(value, decimals), change))
            rows.append(FigureRow(self.t(FIGURE_NAMES[key]), tuple(cells), key == "vertical_hours_per_week"))
        rows.append(
            FigureRow(
                self.t("People who change floor"),
                tuple(FigureCell(self.t.number(c.people_moved), None) for c in self.comparison.layouts),
            )
        )
        for key in ("units_split", "violations_count"):
            cells = []
            for c in self.comparison.layouts:
                n = _counts(c.score)[key]
                change = None if c.score is base else self.change(n, _counts(base)[key], 0, with_percent=False)
                cells.append(FigureCell(self.t.number(n), change))
            rows.append(FigureRow(self.t(FIGURE_NAMES[key]), tuple(cells)))
        return rows

    def seat_rows(self) -> list[SeatRow]:
        """Floors (top first) by layouts: seats used / available, on every floor some layout uses."""
        used: dict[str, dict[str, tuple[int, int]]] = {}
        levels: dict[str, int] = {}
        for c in self.comparison.layouts:
            for f in c.score.seats:
                levels[f.floor] = f.level
                if f.needed:
                    used.setdefault(f.floor, {})[c.score.layout] = (f.needed, f.available)
        rows = []
        for floor in sorted(used, key=lambda name: -levels[name]):
            cells = []
            for c in self.comparison.layouts:
                if c.score.layout not in used[floor]:
                    cells.append(SeatCell("", ""))
                    continue
                needed, available = used[floor][c.score.layout]
                over = self.t("%(n)s over", n=self.t.number(needed - available)) if needed > available else ""
                cells.append(SeatCell(f"{self.t.number(needed)} / {self.t.number(available)}", over))
            rows.append(SeatRow(floor, tuple(cells)))
        return rows

    def layout_sections(self) -> list[LayoutSection]:
        colours = department_colours(self.scenario)
        return [self.layout_section(i, c, colours) for i, c in enumerate(self.comparison.layouts, start=1)]

    def layout_section(self, index: int, c: LayoutComparison, colours: Mapping[str, str]) -> LayoutSection:
        score = c.score
        name = score.layout
        is_baseline = name == self.comparison.baseline
        anchor = f"layout-{index}"
        svg = layout_stack_svg(
            self.scenario,
            score.units,
            colours,
            title=self.t("%(name)s: seats by floor", name=name),
            notes={"closed": self.t("closed"), "unavailable": self.t("not available")},
            id_prefix=f"{anchor}-",
            words=stack_words(self.t),
        )
        return LayoutSection(
            anchor=anchor,
            name=name,
            heading=self.t("Layout “%(name)s” (baseline)", name=name)
            if is_baseline
            else self.t("Layout “%(name)s”", name=name),
            is_baseline=is_baseline,
            svg=svg,
            split_units=tuple(
                SplitUnit(self.label(u.unit), self.department_of(u.unit), self.floors_text(u, with_seats=True))
                for u in score.split_units
            ),
            violations=tuple(violation_in_words(v, lang=self.t.lang, label=self.label) for v in score.violations),
            top_pairs=tuple(
                PairRow(
                    self.pair_units(p.a, p.b),
                    self.t.number(p.trips_per_week, 1),
                    self.t.number(p.hours_per_week, 2),
                    self.t.number(p.vertical_hours_per_week, 2),
                )
                for p in score.top_pairs
            ),
            pair_changes=()
            if is_baseline
            else tuple(
                PairChangeRow(
                    self.pair_units(p.a, p.b),
                    self.t.number(p.baseline_hours, 2),
                    self.t.number(p.hours, 2),
                    self.change(p.hours, p.baseline_hours, 2),
                )
                for p in c.pair_changes[:PAIR_CHANGES_SHOWN]
            ),
            moved=() if is_baseline else self.moved_rows(c, score),
            moved_total=self.t.number(c.people_moved),
        )

    def moved_rows(self, c: LayoutComparison, score: LayoutScore) -> tuple[MovedRow, ...]:
        """The units that change floor, in the order of the scenario file, with their floors before and after."""
        before = {u.unit: u for u in self.base.units}
        after = {u.unit: u for u in score.units}
        order = {uid: i for i, uid in enumerate(self.scenario.organisation.units)}
        moved = sorted(c.moved_by_unit.items(), key=lambda kv: order.get(kv[0], len(order)))
        return tuple(
            MovedRow(
                self.label(unit),
                self.department_of(unit),
                self.t.number(after[unit].headcount if unit in after else 0),
                self.t.number(people),
                self.floors_text(before.get(unit), with_seats=False),
                self.floors_text(after.get(unit), with_seats=False),
            )
            for unit, people in moved
        )

    def headcount_and_seats(self) -> str:
        org = self.scenario.organisation
        leaves = org.leaves()
        people = sum(org[u].headcount for u in leaves)
        seats = sum(org.seats_needed(u) for u in leaves)
        return self.t("%(people)s people, %(seats)s seats", people=self.t.number(people), seats=self.t.number(seats))


def _counts(score: LayoutScore) -> dict[str, int]:
    return {"units_split": len(score.split_units), "violations_count": len(score.violations)}
