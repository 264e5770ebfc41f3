"""Circulation: the building as a graph, and the door-to-door travel time between any two places.

The rule, from DESIGN.md ("Travel time, exactly"):

- Vertical movement is a graph over (core, level) for the levels each core serves. A lift links every pair of
  levels it serves with one ride of ``wait + doors + flight(d)``, d the difference of elevations, where
  ``flight(d) = 2*sqrt(d/a)`` when ``d < v*v/a``, else ``d/v + v/a``. A stair (or an escalator) links each two
  levels it serves whose ordinals differ by 1, up and down at their own seconds per floor. Changing from one core
  to another on a level costs the walk between them.
- ``t(a->b)`` on different levels is the least, over cores c serving a's level and c' serving b's level, of
  ``walk(a, c) + shortest path from (c, level a) to (c', level b) + walk(c', b)``; on the same level it is the
  walk. The time of a pair of places is the mean of both directions; so is its vertical part, the time spent in
  the graph (waits, rides, climbs, transfers).
- Where two routes are equally fast, the one with less vertical time is taken (so the split into vertical and
  horizontal seconds does not depend on the order of cores).

Walks are in `floorplan.walking`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from floorplan.errors import FloorplanError, UnknownPlace
from floorplan.model import Building, Core, CoreKind, SpaceKind
from floorplan.walking import Coordinate, FloorWalks

Node = tuple[str, int]  # (core id, level)


class NoRoute(FloorplanError):
    """No core, or chain of cores, links two levels."""


def flight_time_s(distance_m: float, *, speed_mps: float, accel_mps2: float) -> float:
    """Seconds a lift car takes to travel ``distance_m``: accelerate, cruise at rated speed, brake."""
    d = abs(distance_m)
    if d < speed_mps * speed_mps / accel_mps2:
        return 2.0 * math.sqrt(d / accel_mps2)
    return d / speed_mps + speed_mps / accel_mps2


@dataclass(frozen=True, slots=True)
class Place:
    """Somewhere people sit or go: a space of a drawn building, a desk, or a whole floor of a floor guide."""

    id: str
    floor_id: str
    level: int
    position: Coordinate | None
    name: str = ""


def places_of(building: Building, *, kinds: Iterable[SpaceKind] = (SpaceKind.OFFICE,)) -> list[Place]:
    """The places units sit in: the spaces of the given kinds on drawn floors, and each floor-guide floor whole."""
    wanted = set(kinds)
    out: list[Place] = []
    for floor in building.floors:
        if not floor.is_drawn:
            out.append(Place(floor.id, floor.id, floor.level, None, floor.name))
            continue
        for space in floor.spaces:
            if space.kind in wanted:
                out.append(_space_place(space.id, floor.id, floor.level, space.position, space.name))
    return out


def place_of(building: Building, name: str) -> Place:
    """The place called ``name``: a space id, a desk id, or a floor's id or name (a drawn floor: its centre)."""
    for floor in building.floors:
        if name in (floor.id, floor.name):
            position = None
            if floor.outline is not None:
                c = floor.outline.centroid
                position = (float(c.x), float(c.y))
            return Place(floor.id, floor.id, floor.level, position, floor.name)
        for space in floor.spaces:
            if space.id == name:
                return _space_place(space.id, floor.id, floor.level, space.position, space.name)
        for desk in floor.desks:
            if desk.id == name:
                p = desk.position
                return Place(desk.id, floor.id, floor.level, (float(p.x), float(p.y)), desk.name)
    choices = [f.name for f in building.floors] + [s.id for s in building.spaces()]
    raise UnknownPlace(name, choices=choices)


def _space_place(sid: str, fid: str, level: int, position: object, name: str) -> Place:
    xy = None if position is None else (float(position.x), float(position.y))  # type: ignore[attr-defined]
    return Place(sid, fid, level, xy, name)


LegKind = Literal["walk", "wait", "doors", "ride", "climb", "transfer"]


@dataclass(frozen=True, slots=True)
class Leg:
    """One part of a trip. Waits, doors, rides, climbs and transfers are vertical; walks to and from cores are not."""

    kind: LegKind
    seconds: float
    text: str
    core: str = ""

    @property
    def is_vertical(self) -> bool:
        return self.kind != "walk"


@dataclass(frozen=True, slots=True)
class Route:
    """A trip from one place to another, leg by leg."""

    origin: Place
    destination: Place
    legs: tuple[Leg, ...]

    @property
    def total_s(self) -> float:
        return sum(leg.seconds for leg in self.legs)

    @property
    def vertical_s(self) -> float:
        return sum(leg.seconds for leg in self.legs if leg.is_vertical)

    @property
    def horizontal_s(self) -> float:
        return self.total_s - self.vertical_s


@dataclass(frozen=True)
class TravelMatrix:
    """Travel times between places, in seconds.

    ``directed_s[i, j]`` is t(i->j); ``seconds`` and ``vertical_seconds`` are the means of both directions, the
    figures layouts are scored by. Unreachable pairs are ``inf``. The arrays are read-only.
    """

    places: tuple[Place, ...]
    directed_s: NDArray[np.float64]
    directed_vertical_s: NDArray[np.float64]
    seconds: NDArray[np.float64] = field(init=False)
    vertical_seconds: NDArray[np.float64] = field(init=False)
    levels: NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        arrays = {
            "seconds": (self.directed_s + self.directed_s.T) / 2.0,
            "vertical_seconds": (self.directed_vertical_s + self.directed_vertical_s.T) / 2.0,
            "levels": np.array([p.level for p in self.places], dtype=np.int64),
        }
        for name, value in arrays.items():
            object.__setattr__(self, name, value)
        for value in (self.directed_s, self.directed_vertical_s, *arrays.values()):
            value.setflags(write=False)

    def index(self, place_id: str) -> int:
        for i, p in enumerate(self.places):
            if p.id == place_id:
                return i
        raise KeyError(place_id)


class Circulation:
    """The vertical circulation of a building as a graph over (core, level), with walks on each floor.

    Build it once per building; `travel_matrix` and `route` then answer any number of questions.
    """

    def __init__(self, building: Building) -> None:
        self.building = building
        self.speed = building.walking_speed_mps
        self._floors = {f.level: f for f in building.floors}
        self.walks = {f.level: FloorWalks(f.corridors, walk_m=building.walk_m(f)) for f in building.floors}
        self._core_xy = {c.id: _xy(c) for c in building.cores}
        self.graph = self._vertical_graph()
        self.nodes: list[Node] = list(self.graph.nodes)
        self._node_index = {n: i for i, n in enumerate(self.nodes)}
        self._distance = self._all_pairs()

    # -- the graph ------------------------------------------------------------------------------------------------

    def core_position(self, core: Core, level: int) -> Coordinate | None:
        """Where a walk to ``core`` ends on ``level``: its footprint's centroid on a drawn floor."""
        return self._core_xy[core.id] if self._floors[level].is_drawn else None

    def _vertical_graph(self) -> nx.DiGraph:
        g: nx.DiGraph = nx.DiGraph()
        elevation = {lv: f.elevation_m for lv, f in self._floors.items()}
        for core in self.building.cores:
            levels = [lv for lv in core.levels if lv in elevation]
            g.add_nodes_from((core.id, lv) for lv in levels)
            if core.kind == CoreKind.LIFT:
                for lo, hi in itertools.permutations(levels, 2):
                    d = abs(elevation[hi] - elevation[lo])
                    flight = flight_time_s(d, speed_mps=core.speed_mps, accel_mps2=core.accel_mps2)
                    g.add_edge(
                        (core.id, lo),
                        (core.id, hi),
                        seconds=core.wait_s + core.door_s + flight,
                        kind="ride",
                        wait_s=core.wait_s,
                        door_s=core.door_s,
                        flight_s=flight,
                    )
            else:
                for lo, hi in itertools.pairwise(levels):
                    if hi - lo == 1:
                        g.add_edge((core.id, lo), (core.id, hi), seconds=core.up_s_per_floor, kind="climb")
                        g.add_edge((core.id, hi), (core.id, lo), seconds=core.down_s_per_floor, kind="climb")
        by_level: dict[int, list[Core]] = {}
        for core in self.building.cores:
            for lv in core.levels:
                if lv in elevation:
                    by_level.setdefault(lv, []).append(core)
        for lv, cores in by_level.items():
            for c1, c2 in itertools.permutations(cores, 2):
                metres = self.walks[lv].distance(self.core_position(c1, lv), self.core_position(c2, lv))
                g.add_edge((c1.id, lv), (c2.id, lv), seconds=metres / self.speed, kind="transfer", metres=metres)
        return g

    def _all_pairs(self) -> NDArray[np.float64]:
        n = len(self.nodes)
        if n == 0:
            return np.zeros((0, 0))
        return np.asarray(nx.floyd_warshall_numpy(self.graph, nodelist=self.nodes, weight="seconds"), dtype=float)

    def _cores_at(self, level: int) -> list[Core]:
        return [c for c in self.building.cores if c.serves(level) and (c.id, level) in self._node_index]

    # -- travel times ---------------------------------------------------------------------------------------------

    def travel_matrix(self, places: Sequence[Place] | None = None) -> TravelMatrix:
        """Travel times between every pair of ``places`` (default: `places_of` the building)."""
        places = tuple(places_of(self.building) if places is None else places)
        n = len(places)
        total = np.full((n, n), np.inf)
        vertical = np.zeros((n, n))
        groups: dict[int, list[int]] = {}
        for i, p in enumerate(places):
            groups.setdefault(p.level, []).append(i)
        for la, ia in groups.items():
            for lb, ib in groups.items():
                t, v = self._block(la, [places[i] for i in ia], lb, [places[j] for j in ib])
                total[np.ix_(ia, ib)] = t
                vertical[np.ix_(ia, ib)] = v
        return TravelMatrix(places, total, vertical)

    def _block(
        self, la: int, a: Sequence[Place], lb: int, b: Sequence[Place]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        pa = [p.position for p in a]
        pb = [p.position for p in b]
        if la == lb:
            return self.walks[la].matrix(pa, pb) / self.speed, np.zeros((len(a), len(b)))
        best = np.full((len(a), len(b)), np.inf)
        vert = np.zeros((len(a), len(b)))
        ca, cb = self._cores_at(la), self._cores_at(lb)
        if not ca or not cb:
            return best, vert
        wa = self.walks[la].matrix(pa, [self.core_position(c, la) for c in ca]) / self.speed
        wb = self.walks[lb].matrix([self.core_position(c, lb) for c in cb], pb) / self.speed
        for i, c in enumerate(ca):
            for j, c2 in enumerate(cb):
                d = self._distance[self._node_index[(c.id, la)], self._node_index[(c2.id, lb)]]
                if not np.isfinite(d):
                    continue
                t = wa[:, i, None] + d + wb[None, j, :]
                better = (t < best) | ((t == best) & (d < vert))
                best = np.where(better, t, best)
                vert = np.where(better, d, vert)
        return best, vert

    def route(self, origin: Place, destination: Place) -> Route:
        """The fastest trip from ``origin`` to ``destination``, leg by leg."""
        walk = self.walks[origin.level]
        if origin.level == destination.level:
            metres = walk.distance(origin.position, destination.position)
            leg = Leg("walk", metres / self.speed, f"walk {metres:.1f} m on {self._floors[origin.level].name}")
            return Route(origin, destination, (leg,))
        choice: tuple[float, float, Core, Core] | None = None
        for c in self._cores_at(origin.level):
            for c2 in self._cores_at(destination.level):
                d = self._distance[self._node_index[(c.id, origin.level)], self._node_index[(c2.id, destination.level)]]
                t = (
                    walk.distance(origin.position, self.core_position(c, origin.level)) / self.speed
                    + d
                    + self.walks[destination.level].distance(
                        self.core_position(c2, destination.level), destination.position
                    )
                    / self.speed
                )
                if np.isfinite(t) and (choice is None or (t, d) < (choice[0], choice[1])):
                    choice = (t, d, c, c2)
        if choice is None:
            a, b = self._floors[origin.level].name, self._floors[destination.level].name
            raise NoRoute(
                f"no lift, stair or escalator links {a} (level {origin.level}) and {b} (level {destination.level})"
            )
        _, _, c, c2 = choice
        return Route(origin, destination, tuple(self._legs(origin, destination, c, c2)))

    def _legs(self, origin: Place, destination: Place, c: Core, c2: Core) -> list[Leg]:
        kinds = {core.id: core.kind.value for core in self.building.cores}
        name = {lv: f.name for lv, f in self._floors.items()}
        m = self.walks[origin.level].distance(origin.position, self.core_position(c, origin.level))
        legs = [Leg("walk", m / self.speed, f"walk {m:.1f} m to {kinds[c.id]} {c.id} on {name[origin.level]}")]
        path = nx.dijkstra_path(self.graph, (c.id, origin.level), (c2.id, destination.level), weight="seconds")
        for u, v in itertools.pairwise(path):
            e = self.graph.edges[u, v]
            if e["kind"] == "ride":
                legs.append(Leg("wait", e["wait_s"], f"wait for lift {u[0]} on {name[u[1]]}", u[0]))
                legs.append(Leg("doors", e["door_s"], "doors and start", u[0]))
                legs.append(Leg("ride", e["flight_s"], f"ride lift {u[0]} from {name[u[1]]} to {name[v[1]]}", u[0]))
            elif e["kind"] == "climb":
                way = "up" if v[1] > u[1] else "down"
                text = f"{kinds[u[0]]} {u[0]} {way} from {name[u[1]]} to {name[v[1]]}"
                legs.append(Leg("climb", e["seconds"], text, u[0]))
            else:
                legs.append(
                    Leg("transfer", e["seconds"], f"walk {e['metres']:.1f} m from {u[0]} to {v[0]} on {name[u[1]]}")
                )
        m = self.walks[destination.level].distance(self.core_position(c2, destination.level), destination.position)
        legs.append(
            Leg("walk", m / self.speed, f"walk {m:.1f} m from {kinds[c2.id]} {c2.id} on {name[destination.level]}")
        )
        return legs


def _xy(core: Core) -> Coordinate | None:
    p = core.position
    return None if p is None else (float(p.x), float(p.y))


def travel_matrix(building: Building, places: Sequence[Place] | None = None) -> TravelMatrix:
    """Travel times between places of ``building`` (default: its office spaces and floor-guide floors)."""
    return Circulation(building).travel_matrix(places)
