"""Desks on a regular grid of islands, the way a Japanese ward office seats its sections (島型).

An *island* is two rows of desks pushed together face to face, ``DESKS_PER_SIDE`` desks long, the rows parallel
to the corridor wall. Islands are repeated across the depth of the space (3.6 m apart: 1.8 m per row of desks)
and along it, as many as fit with the minimum aisles below, and the block of islands is centred in the space.

Rows are numbered from the corridor side (the side facing the building's core), desks west to east within a
row, and a desk's id is ``<space id>-NN`` in that order. The attributes follow one pattern, so that a booking
page has something to filter on:

- ``accessible``: the two end desks of the row nearest the corridor, which open onto the main aisle and a
  cross-aisle (shortest way from the lifts, room for a wheelchair to turn);
- ``monitor``: every desk of the window-side row of each island (the even rows);
- ``standing``: the last desk of the window-side row farthest from the corridor (one a space).
"""

from __future__ import annotations

import math
from typing import Literal

from shapely import Polygon, box

from floorplan.model import Desk, Space

#: A standard Japanese office desk (1600 x 800 mm, the common size in public-office furniture catalogues).
DESK_WIDTH_M = 1.6
DESK_DEPTH_M = 0.8
#: Ten desks to an island: a section team (係) with its members face to face.
DESKS_PER_SIDE = 5
#: Between two islands: both rows of chairs back to back and a way between them. With the 1.6 m island this
#: gives a 3.6 m island pitch, 1.8 m per row of desks.
ISLAND_AISLE_M = 2.0
#: Across a row, between the ends of two islands: a way through, wide enough for a wheelchair (1.5 m).
CROSS_AISLE_M = 1.6
#: Least clearance along the corridor wall (the main aisle) and along the windows (cabinets, a perimeter way).
MIN_END_AISLE_M = 1.5
#: Least clearance at the space's side walls; what is left over there holds the section head's desk, cabinets
#: and printers, which are not drawn.
MIN_SIDE_AISLE_M = 1.5

CorridorSide = Literal["north", "south"]


def islands_that_fit(length_m: float, *, island_m: float, aisle_m: float, margin_m: float) -> int:
    """How many islands of ``island_m`` fit in ``length_m`` with ``aisle_m`` between them and ``margin_m`` at
    both ends."""
    return max(0, math.floor((length_m - 2 * margin_m + aisle_m) / (island_m + aisle_m) + 1e-9))


def desk_grid(space: Space, *, corridor_side: CorridorSide) -> tuple[Desk, ...]:
    """The desks of an office ``space`` whose ``corridor_side`` edge faces the core, in id order.

    The grid is laid out in the space's bounding box; a desk that would not lie inside the space (a space that
    is not a rectangle) is left out.
    """
    if space.geometry is None:
        return ()
    minx, miny, maxx, maxy = space.geometry.bounds
    rows = _row_spans(maxy - miny)
    columns = _column_starts(maxx - minx)
    desks: list[Desk] = []
    last_row = len(rows)
    for row_number, (near, far) in enumerate(rows, start=1):
        # Offsets are measured from the corridor edge; turn them into y for the side the corridor is on.
        y0, y1 = (miny + near, miny + far) if corridor_side == "south" else (maxy - far, maxy - near)
        for column, x_offset in enumerate(columns):
            shape = _rounded_box(minx + x_offset, y0, minx + x_offset + DESK_WIDTH_M, y1)
            if not space.geometry.covers(shape):
                continue
            desks.append(
                Desk(
                    id=f"{space.id}-{len(desks) + 1:02d}",
                    space_id=space.id,
                    geometry=shape,
                    attributes={
                        "monitor": row_number % 2 == 0,
                        "standing": row_number == last_row and column == len(columns) - 1,
                        "accessible": row_number == 1 and column in (0, len(columns) - 1),
                    },
                )
            )
    return tuple(desks)


def _row_spans(depth_m: float) -> list[tuple[float, float]]:
    """(near, far) offsets of each row of desks from the corridor edge, nearest first."""
    island_depth = 2 * DESK_DEPTH_M
    count = islands_that_fit(depth_m, island_m=island_depth, aisle_m=ISLAND_AISLE_M, margin_m=MIN_END_AISLE_M)
    block = count * island_depth + max(0, count - 1) * ISLAND_AISLE_M
    start = (depth_m - block) / 2
    spans: list[tuple[float, float]] = []
    for i in range(count):
        near = start + i * (island_depth + ISLAND_AISLE_M)
        spans += [(near, near + DESK_DEPTH_M), (near + DESK_DEPTH_M, near + island_depth)]
    return spans


def _column_starts(width_m: float) -> list[float]:
    """Offsets of each desk's west edge from the space's west edge, west to east."""
    island_length = DESKS_PER_SIDE * DESK_WIDTH_M
    count = islands_that_fit(width_m, island_m=island_length, aisle_m=CROSS_AISLE_M, margin_m=MIN_SIDE_AISLE_M)
    block = count * island_length + max(0, count - 1) * CROSS_AISLE_M
    start = (width_m - block) / 2
    return [
        start + i * (island_length + CROSS_AISLE_M) + j * DESK_WIDTH_M
        for i in range(count)
        for j in range(DESKS_PER_SIDE)
    ]


def _rounded_box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    # To the millimetre, so that ids and coordinates read the same on every machine and in exported files.
    return box(round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3))
