"""The score of a layout: the travel it causes, in person-hours per week. Reads a layout; never changes anything.

For units u, v with w(u, v) trips per week and s(u, a) the share of u's seats in place a (DESIGN.md)::

    travel(u, v) = sum over places a, b of s(u, a) * s(v, b) * t(a, b)
    score        = sum over related pairs {u, v} (and each unit with itself) of w(u, v) * travel(u, v)

t(a, b) is the mean door-to-door time of both directions (`floorplan.circulation`). With S the units x places
matrix of shares, T the travel times and W the symmetric matrix of trips (a unit's own traffic on the diagonal),
``score = (sum(W * (S T S')) + trace(W * (S T S'))) / 2``: each unordered pair once, each unit with itself once.
The vertical part uses the vertical seconds of t; vertical trips weight each pair of places on different levels
by 1, floors crossed by the difference of their levels (ordinals). Hours are seconds / 3600.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from floorplan.circulation import Circulation
from floorplan.errors import Problem
from layouts.checks import Violation, constraint_violations, floors_of_units
from layouts.errors import InvalidScenario
from layouts.layout import Layout
from layouts.relations import relation_graph
from layouts.scenario import Scenario

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class ScoringModel:
    """What scoring needs that does not depend on the layout: built once per scenario, then any layout is cheap.

    Units are the leaf units sorted by id and places are sorted by level then id, so figures do not depend on the
    order of a file.
    """

    units: tuple[str, ...]
    weights: Matrix  # symmetric; diagonal = a unit's own trips
    place_ids: tuple[str, ...]
    place_levels: NDArray[np.int64]
    seconds: Matrix
    vertical_seconds: Matrix
    levels_apart: Matrix  # |level(a) - level(b)|
    unreachable: NDArray[np.bool_]
    unit_index: Mapping[str, int] = field(init=False)
    place_index: Mapping[str, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit_index", {u: i for i, u in enumerate(self.units)})
        object.__setattr__(self, "place_index", {p: i for i, p in enumerate(self.place_ids)})


def scoring_model(scenario: Scenario) -> ScoringModel:
    """Build the relation weights and the travel matrix of ``scenario`` (the expensive part of scoring)."""
    places = scenario.place_index
    matrix = Circulation(scenario.building).travel_matrix(places.places)
    graph = relation_graph(scenario.organisation, scenario.relations, ratings=scenario.ratings)
    units = tuple(sorted(scenario.organisation.leaves()))
    weights = weights_matrix(graph, units)
    levels = matrix.levels
    unreachable = ~np.isfinite(matrix.seconds)
    return ScoringModel(
        units=units,
        weights=weights,
        place_ids=tuple(p.id for p in matrix.places),
        place_levels=levels,
        seconds=np.where(unreachable, 0.0, matrix.seconds),
        vertical_seconds=np.where(unreachable, 0.0, matrix.vertical_seconds),
        levels_apart=np.abs(levels[:, None] - levels[None, :]).astype(float),
        unreachable=unreachable,
    )


def weights_matrix(graph: nx.Graph, units: Sequence[str]) -> Matrix:
    """The symmetric matrix of trips per week between ``units``; the diagonal holds each unit's own trips."""
    index = {u: i for i, u in enumerate(units)}
    w = np.zeros((len(units), len(units)))
    for a, b, trips in graph.edges(data="trips"):
        i, j = index[a], index[b]
        w[i, j] = w[j, i] = trips
    return w


def share_matrix(scenario: Scenario, model: ScoringModel, layout: Layout) -> Matrix:
    """S[u, a]: the share of unit u's seats that ``layout`` puts in place a (floor seats spread over its spaces)."""
    spread = scenario.place_index.spread
    s = np.zeros((len(model.units), len(model.place_ids)))
    for unit, seats in layout.seats.items():
        total = sum(seats.values())
        if total == 0 or unit not in model.unit_index:
            continue
        row = model.unit_index[unit]
        for name, n in seats.items():
            for place, share in spread[name].items():
                s[row, model.place_index[place]] += n / total * share
    return s


@dataclass(frozen=True, slots=True)
class PairCost:
    a: str
    b: str
    trips_per_week: float
    hours_per_week: float
    vertical_hours_per_week: float


@dataclass(frozen=True, slots=True)
class FloorSeats:
    floor: str
    level: int
    needed: int  # seats the layout puts on the floor
    available: int

    @property
    def spare(self) -> int:
        return self.available - self.needed


@dataclass(frozen=True, slots=True)
class UnitSeats:
    unit: str
    headcount: int
    seats_needed: int
    seats: int
    floors: Mapping[str, int]  # floor name -> seats


@dataclass(frozen=True)
class LayoutScore:
    """The figures of one layout (DESIGN.md, "The score")."""

    layout: str
    travel_hours_per_week: float
    vertical_hours_per_week: float
    vertical_trips_per_week: float
    floors_crossed_per_week: float
    split_units: tuple[UnitSeats, ...]
    seats: tuple[FloorSeats, ...]
    units: tuple[UnitSeats, ...]
    top_pairs: tuple[PairCost, ...]
    violations: tuple[Violation, ...]
    pair_hours: Mapping[tuple[str, str], float] = field(repr=False)

    def to_dict(self) -> dict[str, object]:
        """The JSON form (`floorwise score --json`)."""
        return {
            "layout": self.layout,
            "travel_hours_per_week": self.travel_hours_per_week,
            "vertical_hours_per_week": self.vertical_hours_per_week,
            "vertical_trips_per_week": self.vertical_trips_per_week,
            "floors_crossed_per_week": self.floors_crossed_per_week,
            "split_units": [{"unit": u.unit, "floors": dict(u.floors)} for u in self.split_units],
            "seats": [
                {"floor": f.floor, "level": f.level, "needed": f.needed, "available": f.available} for f in self.seats
            ],
            "units": [
                {
                    "unit": u.unit,
                    "headcount": u.headcount,
                    "seats_needed": u.seats_needed,
                    "seats": u.seats,
                    "floors": dict(u.floors),
                }
                for u in self.units
            ],
            "top_pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "trips_per_week": p.trips_per_week,
                    "hours_per_week": p.hours_per_week,
                    "vertical_hours_per_week": p.vertical_hours_per_week,
                }
                for p in self.top_pairs
            ],
            "violations": [v.to_dict() for v in self.violations],
        }


def _pair_sum(w: Matrix, q: Matrix) -> float:
    """Each unordered pair once and each unit with itself once: (sum(W*Q) + trace(W*Q)) / 2."""
    wq = w * q
    return float((wq.sum() + np.trace(wq)) / 2.0)


def score_layout(
    scenario: Scenario, layout: Layout | str | None = None, *, model: ScoringModel | None = None, top: int = 10
) -> LayoutScore:
    """Score ``layout`` (a Layout or the name of one of the scenario's; default the first)."""
    if not isinstance(layout, Layout):
        layout = scenario.layout(layout)
    model = model or scoring_model(scenario)
    s = share_matrix(scenario, model, layout)
    w = model.weights
    _check_reachable(scenario, model, s, layout)
    q = s @ model.seconds @ s.T
    qv = s @ model.vertical_seconds @ s.T
    cross = (model.levels_apart > 0).astype(float)
    trips = _pair_sum(w, s @ cross @ s.T)
    floors_crossed = _pair_sum(w, s @ model.levels_apart @ s.T)

    wq, wqv = w * q, w * qv
    pairs: dict[tuple[str, str], float] = {}
    vertical_pairs: dict[tuple[str, str], float] = {}
    rows, cols = np.nonzero(np.triu(w))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        pairs[(model.units[i], model.units[j])] = float(wq[i, j]) / 3600.0
        vertical_pairs[(model.units[i], model.units[j])] = float(wqv[i, j]) / 3600.0
    ranked = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    top_pairs = tuple(
        PairCost(a, b, float(w[model.unit_index[a], model.unit_index[b]]), hours, vertical_pairs[(a, b)])
        for (a, b), hours in ranked
    )

    units = _unit_seats(scenario, layout)
    return LayoutScore(
        layout=layout.name,
        travel_hours_per_week=_pair_sum(w, q) / 3600.0,
        vertical_hours_per_week=_pair_sum(w, qv) / 3600.0,
        vertical_trips_per_week=trips,
        floors_crossed_per_week=floors_crossed,
        split_units=tuple(u for u in units if len(u.floors) > 1),
        seats=_floor_seats(scenario, layout),
        units=units,
        top_pairs=top_pairs,
        violations=tuple(constraint_violations(scenario, layout)),
        pair_hours=pairs,
    )


def _check_reachable(scenario: Scenario, model: ScoringModel, s: Matrix, layout: Layout) -> None:
    if not model.unreachable.any():
        return
    blocked = (s @ model.unreachable.astype(float) @ s.T) * model.weights
    if not (blocked > 0).any():
        return
    i, j = (int(x[0]) for x in np.nonzero(blocked))
    a, b = model.units[i], model.units[j]
    raise InvalidScenario(
        [Problem(f"units {a!r} and {b!r} meet, but no lift or stair links their floors", f"layouts.{layout.name}")],
        source=scenario.source,
    )


def _unit_seats(scenario: Scenario, layout: Layout) -> tuple[UnitSeats, ...]:
    org = scenario.organisation
    floors = floors_of_units(scenario, layout)
    out = []
    for unit in sorted(org.leaves()):
        by_floor = floors.get(unit, {})
        ordered = sorted(by_floor.items(), key=lambda item: scenario.building.floor(item[0]).level)
        named = {scenario.building.floor(fid).name: n for fid, n in ordered}
        out.append(UnitSeats(unit, org[unit].headcount, org.seats_needed(unit), layout.seats_of(unit), named))
    return tuple(out)


def _floor_seats(scenario: Scenario, layout: Layout) -> tuple[FloorSeats, ...]:
    used: dict[str, int] = {}
    for by_floor in floors_of_units(scenario, layout).values():
        for fid, n in by_floor.items():
            used[fid] = used.get(fid, 0) + n
    return tuple(
        FloorSeats(f.name, f.level, used.get(f.id, 0), f.seat_capacity)
        for f in scenario.building.floors
        if f.seat_capacity > 0 or used.get(f.id)
    )
