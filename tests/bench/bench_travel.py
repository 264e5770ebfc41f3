"""How long the travel-time matrix takes: the demo building's office spaces (target: under 2 s), and how the time
grows with the number of spaces on synthetic towers.

Run with ``pytest tests/bench/bench_travel.py -m bench -s``, or ``python -m tests.bench.bench_travel``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest
from shapely import box

from floorplan.circulation import Circulation, places_of
from floorplan.demo import demo_building
from floorplan.model import Building, Core, CoreKind, Floor, Space, SpaceKind

TARGET_S = 2.0


def timed(work: Callable[[], object], runs: int = 5) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return seconds


def tower(floors: int, spaces_per_floor: int) -> Building:
    """A tower of 60 m x 30 m floors, each cut into a row of office spaces; a lift bank and two stairs."""
    out = []
    width = 60 / spaces_per_floor
    for level in range(floors):
        fid = f"{level + 1}F"
        spaces = tuple(
            Space(f"{fid}-{i}", fid, SpaceKind.OFFICE, box(i * width, 0, (i + 1) * width, 12), capacity=10)
            for i in range(spaces_per_floor)
        )
        out.append(Floor(fid, level, fid, 4.0 * level, outline=box(0, 0, 60, 30), spaces=spaces))
    levels = tuple(range(floors))
    cores = (
        Core("lifts", CoreKind.LIFT, levels, box(26, 14, 34, 20)),
        Core("stair-w", CoreKind.STAIR, levels, box(1, 14, 5, 20)),
        Core("stair-e", CoreKind.STAIR, levels, box(55, 14, 59, 20)),
    )
    return Building("tower", "tower", tuple(out), cores)


def report() -> list[str]:
    lines = []
    demo = demo_building()
    n = len(places_of(demo))
    build = timed(lambda: Circulation(demo))
    full = timed(lambda: Circulation(demo).travel_matrix())
    lines.append(
        f"demo building, {n} office spaces on {len(demo.floors)} floors: graph {statistics.median(build):.3f} s, "
        f"graph + matrix {statistics.median(full):.3f} s median of 5 (target {TARGET_S} s)"
    )
    lines.append("| floors | spaces | matrix s (median of 3) | s per 1,000 pairs |")
    lines.append("| --- | --- | --- | --- |")
    for floors, per_floor in ((10, 10), (20, 10), (40, 10), (40, 20), (40, 40), (40, 80)):
        b = tower(floors, per_floor)
        s = statistics.median(timed(lambda b=b: Circulation(b).travel_matrix(), runs=3))
        spaces = floors * per_floor
        lines.append(f"| {floors} | {spaces} | {s:.3f} | {s / (spaces * spaces) * 1000:.5f} |")
    return lines


@pytest.mark.bench
def test_travel_matrix_speed() -> None:
    lines = report()
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    print("\n".join(report()))
