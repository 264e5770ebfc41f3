"""Layouts side by side: their figures, the change against a baseline, and how many people move.

People moved: a unit's people move in proportion to the share of its seats that leaves a floor. For unit u with
floor shares b(u, f) in the baseline and n(u, f) in the layout, ``moved(u) = headcount(u) * sum over f of
max(0, b(u, f) - n(u, f))`` (moves between spaces of one floor are not counted: nobody changes lift). A unit
missing from the baseline moves whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from layouts.checks import floors_of_units
from layouts.layout import Layout
from layouts.scenario import Scenario
from layouts.scoring import LayoutScore, ScoringModel, score_layout, scoring_model

KPIS = ("travel_hours_per_week", "vertical_hours_per_week", "vertical_trips_per_week", "floors_crossed_per_week")


def share_moved(before: Mapping[str, float], after: Mapping[str, float]) -> float:
    """The share of a unit's people who change floor when its seats per floor go from ``before`` to ``after``:
    sum over floors f of max(0, b(f) - n(f)), b and n the floor shares; 1 when it had no seats before, 0 when it has
    none after. The one rule for people moved: `people_moved` applies it to each unit of a scenario, and the
    optimiser's move budget (`layouts.optimize.problem.people_moved`) to items that each sit whole on one floor."""
    b_total, a_total = sum(before.values()), sum(after.values())
    if b_total == 0:
        return 1.0
    if a_total == 0:
        return 0.0
    return sum(max(0.0, n / b_total - after.get(f, 0) / a_total) for f, n in before.items())


def people_moved(scenario: Scenario, layout: Layout, baseline: Layout) -> dict[str, float]:
    """People of each leaf unit who change floor going from ``baseline`` to ``layout`` (units that move only)."""
    new, old = floors_of_units(scenario, layout), floors_of_units(scenario, baseline)
    out: dict[str, float] = {}
    for unit in sorted(scenario.organisation.leaves()):
        moved = scenario.organisation[unit].headcount * share_moved(old.get(unit, {}), new.get(unit, {}))
        if moved > 1e-9:
            out[unit] = moved
    return out


@dataclass(frozen=True, slots=True)
class PairChange:
    a: str
    b: str
    baseline_hours: float
    hours: float

    @property
    def change(self) -> float:
        return self.hours - self.baseline_hours


@dataclass(frozen=True)
class LayoutComparison:
    """One layout against the baseline."""

    score: LayoutScore
    change: Mapping[str, float]  # KPI -> layout minus baseline
    people_moved: float
    moved_by_unit: Mapping[str, float]
    pair_changes: tuple[PairChange, ...]


@dataclass(frozen=True)
class Comparison:
    scenario: Scenario
    baseline: str
    layouts: tuple[LayoutComparison, ...]

    def to_dict(self) -> dict[str, object]:
        """The JSON form (`floorwise compare --json`)."""
        return {
            "scenario": self.scenario.name,
            "baseline": self.baseline,
            "layouts": [
                {
                    **c.score.to_dict(),
                    "change": dict(c.change),
                    "people_moved": c.people_moved,
                    "moved_by_unit": dict(c.moved_by_unit),
                    "units_split": len(c.score.split_units),
                    "pairs_changed_most": [
                        {"a": p.a, "b": p.b, "baseline_hours": p.baseline_hours, "hours": p.hours, "change": p.change}
                        for p in c.pair_changes
                    ],
                }
                for c in self.layouts
            ],
        }


def compare_layouts(
    scenario: Scenario, *, baseline: str | None = None, model: ScoringModel | None = None, top: int = 10
) -> Comparison:
    """Every layout of ``scenario`` against ``baseline`` (default: the first layout in the file)."""
    base_layout = scenario.layout(baseline)
    model = model or scoring_model(scenario)
    scores = {name: score_layout(scenario, lay, model=model, top=top) for name, lay in scenario.layouts.items()}
    base = scores[base_layout.name]
    out = []
    for name, layout in scenario.layouts.items():
        score = scores[name]
        moved = people_moved(scenario, layout, base_layout)
        change = {k: getattr(score, k) - getattr(base, k) for k in KPIS}
        pairs = set(score.pair_hours) | set(base.pair_hours)
        changes = [
            PairChange(a, b, base.pair_hours.get((a, b), 0.0), score.pair_hours.get((a, b), 0.0)) for a, b in pairs
        ]
        changes = [p for p in changes if abs(p.change) > 1e-12]
        changes.sort(key=lambda p: (-abs(p.change), p.a, p.b))
        out.append(LayoutComparison(score, change, sum(moved.values()), moved, tuple(changes[:top])))
    return Comparison(scenario, base_layout.name, tuple(out))
