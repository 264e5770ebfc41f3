"""Scenarios for the planning tests, small enough to score by hand.

The tiny building: floors 1F, 2F, 3F (levels 0-2, 10 seats each) and one stair; walking at 1 m/s with every walk
on a floor 10 m, so a walk is 10 s. A stair flight is 20 s up and 15 s down: 17.5 s per floor on average. Hence
t(f, f) = 10 s (no vertical part), t(1F, 2F) = 10 + 17.5 + 10 = 37.5 s (vertical 17.5), t(1F, 3F) = 55 s
(vertical 35). Units a, b, c of 4 people with fixed desks (4 seats each), no internal trips; a-b 10 trips a week,
a-c rated A (40 trips), b-c rated X (never on one floor).

Layout ``now`` (a 1F, b 2F, c 3F): travel = 10 * 37.5 + 40 * 55 = 2575 s a week (0.7153 h), vertical
10 * 17.5 + 40 * 35 = 1575 s (0.4375 h), vertical trips 10 + 40 = 50, floors crossed 10 * 1 + 40 * 2 = 90.
"""

from __future__ import annotations

from typing import Any

import yaml

TINY_BUILDING: dict[str, Any] = {
    "name": "Tiny",
    "defaults": {"walking_speed_mps": 1.0, "walk_m": 10},
    "floors": [
        {"name": "1F", "level": 0, "seats": 10},
        {"name": "2F", "level": 1, "seats": 10},
        {"name": "3F", "level": 2, "seats": 10},
    ],
    "cores": [{"id": "s", "kind": "stair", "levels": [0, 1, 2]}],
}
TINY_UNITS: list[dict[str, Any]] = [
    {"id": "a", "name": "A課", "headcount": 4, "fixed_share": 1},
    {"id": "b", "name": "B課", "headcount": 4, "fixed_share": 1},
    {"id": "c", "name": "C課", "headcount": 4, "fixed_share": 1},
]
TINY_RELATIONS: list[Any] = [["a", "b", 10], {"a": "a", "b": "c", "rating": "A"}, {"a": "b", "b": "c", "rating": "X"}]
NOW_LAYOUT = {"a": {"1F": 4}, "b": {"2F": 4}, "c": {"3F": 4}}


def tiny_mapping(*, building: Any = None, **extra: Any) -> dict[str, Any]:
    """The tiny scenario's mapping; ``building`` defaults to the floor guide inline."""
    return {
        "name": "tiny",
        "building": TINY_BUILDING if building is None else building,
        "internal_trips_per_person": 0,
        "units": TINY_UNITS,
        "relations": TINY_RELATIONS,
        "layouts": {"now": NOW_LAYOUT, "b-up": {"a": {"1F": 4}, "b": {"3F": 4}, "c": {"2F": 4}}},
        **extra,
    }


def tiny_yaml(**kwargs: Any) -> bytes:
    return yaml.safe_dump(tiny_mapping(**kwargs), allow_unicode=True, sort_keys=False).encode()


def tiny_building_file() -> bytes:
    """The tiny building as a floor-guide file, to upload beside a scenario that names it."""
    return yaml.safe_dump(TINY_BUILDING, allow_unicode=True).encode()
