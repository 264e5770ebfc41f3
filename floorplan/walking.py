"""Walking on one floor: rectilinear distance, or the shortest way along a corridor network.

DESIGN.md: walking between two points of one floor is rectilinear, |dx| + |dy|, at the walking speed, unless the
building supplies a corridor network, then the shortest path on it. With a network, a point first walks
rectilinearly to the nearest point of the network, follows the corridors (their drawn lengths) and leaves the
same way. A walk with an end that has no position (a floor known only from a floor guide, a core drawn without a
footprint, a space that could not be placed) counts the floor's ``walk_m`` instead.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import LineString, MultiLineString, Point

Coordinate = tuple[float, float]


class FloorWalks:
    """Walking distances (metres) between points of one floor."""

    def __init__(self, corridors: Sequence[LineString] = (), *, walk_m: float) -> None:
        self.walk_m = walk_m
        self._network = _CorridorNetwork(corridors) if corridors else None

    def distance(self, a: Coordinate | None, b: Coordinate | None) -> float:
        """The walk from ``a`` to ``b`` in metres."""
        if a is None or b is None:
            return self.walk_m
        if self._network is None:
            return abs(a[0] - b[0]) + abs(a[1] - b[1])
        return self._network.distance(a, b)

    def matrix(self, origins: Sequence[Coordinate | None], targets: Sequence[Coordinate | None]) -> NDArray[np.float64]:
        """Distances from every origin (rows) to every target (columns), in metres."""
        if self._network is None:
            out = np.full((len(origins), len(targets)), self.walk_m)
            oi = [i for i, p in enumerate(origins) if p is not None]
            ti = [j for j, p in enumerate(targets) if p is not None]
            if oi and ti:
                o = np.array([origins[i] for i in oi], dtype=float)
                t = np.array([targets[j] for j in ti], dtype=float)
                d = np.abs(o[:, None, 0] - t[None, :, 0]) + np.abs(o[:, None, 1] - t[None, :, 1])
                out[np.ix_(oi, ti)] = d
            return out
        return np.array([[self.distance(a, b) for b in targets] for a in origins], dtype=float)


class _CorridorNetwork:
    """A floor's corridor lines as a graph; points join it at their nearest point of a corridor."""

    def __init__(self, corridors: Sequence[LineString]) -> None:
        # Node the lines so that crossing corridors meet at a vertex, then keep each segment as an edge.
        merged = shapely.unary_union(list(corridors))
        lines = list(merged.geoms) if isinstance(merged, MultiLineString) else [merged]
        graph: nx.Graph = nx.Graph()
        segments: list[tuple[Coordinate, Coordinate]] = []
        for line in lines:
            coords = [(float(x), float(y)) for x, y in line.coords]
            for p, q in itertools.pairwise(coords):
                if p != q:
                    graph.add_edge(p, q, weight=math.dist(p, q))
                    segments.append((p, q))
        self._segments = segments
        self._lines = shapely.linestrings([list(s) for s in segments])
        self._tree = shapely.STRtree(self._lines)
        self._lengths = dict(nx.all_pairs_dijkstra_path_length(graph, weight="weight"))

    def _access(self, p: Coordinate) -> tuple[int, Coordinate, float]:
        """The nearest segment to ``p``, the point where ``p`` joins it, and the rectilinear walk to that point."""
        point = Point(p)
        i = int(self._tree.nearest(point))
        line = self._lines[i]
        snap = line.interpolate(line.project(point))
        sx, sy = float(snap.x), float(snap.y)
        return i, (sx, sy), abs(p[0] - sx) + abs(p[1] - sy)

    def distance(self, a: Coordinate, b: Coordinate) -> float:
        ia, sa, wa = self._access(a)
        ib, sb, wb = self._access(b)
        if ia == ib:
            return wa + math.dist(sa, sb) + wb
        best = math.inf
        for ea in self._segments[ia]:
            for eb in self._segments[ib]:
                along = self._lengths.get(ea, {}).get(eb, math.inf)
                best = min(best, math.dist(sa, ea) + along + math.dist(eb, sb))
        return wa + best + wb
