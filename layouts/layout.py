"""Layouts: where each unit's seats are, and how a layout's place names map onto the building.

A layout gives, for each leaf unit, seats per *place name*: a floor (its name or id) or a space id. The places
travel is measured between are the spaces that hold seats on drawn floors (a space's ``capacity``, or the desks
drawn in it; any other space a layout names too), and whole floors on floors known only from a floor guide.
Seats given for a drawn floor are spread over its spaces in proportion to their seats, so a floor-level layout
scores as if its people sat evenly over the floor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from floorplan.circulation import Place
from floorplan.model import Building, Floor


@dataclass(frozen=True, slots=True)
class Layout:
    """Seats per place name for each leaf unit: ``{"kumin.koseki": {"2F": 60}, ...}``."""

    name: str
    seats: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        frozen = {u: MappingProxyType(dict(p)) for u, p in self.seats.items()}
        object.__setattr__(self, "seats", MappingProxyType(frozen))

    def seats_of(self, unit_id: str) -> int:
        return sum(self.seats.get(unit_id, {}).values())


@dataclass(frozen=True)
class PlaceIndex:
    """The places of a building that layouts use, and how each place name spreads over them.

    ``places`` are in canonical order (level, then id), so that figures never depend on the order of a file.
    """

    building: Building
    places: tuple[Place, ...]
    capacity: Mapping[str, int]  # seats of each place
    spread: Mapping[str, Mapping[str, float]]  # place name (floor or space) -> place id -> share
    floors: Mapping[str, Floor]  # place name -> the floor it is on

    def knows(self, name: str) -> bool:
        return name in self.spread


def place_index(building: Building, *, extra_spaces: Iterable[str] = ()) -> PlaceIndex:
    """The places of ``building``: spaces with seats (and ``extra_spaces``) of drawn floors, floor-guide floors."""
    wanted_extra = set(extra_spaces)
    places: list[Place] = []
    capacity: dict[str, int] = {}
    spread: dict[str, dict[str, float]] = {}
    floors: dict[str, Floor] = {}
    for floor in building.floors:
        floors[floor.id] = floors[floor.name] = floor
        if not floor.is_drawn:
            places.append(Place(floor.id, floor.id, floor.level, None, floor.name))
            capacity[floor.id] = floor.seat_capacity
            spread[floor.id] = spread[floor.name] = {floor.id: 1.0}
            continue
        seats = floor.space_seat_counts()
        for space in floor.spaces:
            if space.id not in seats and space.id not in wanted_extra:
                continue
            p = space.position
            places.append(Place(space.id, floor.id, floor.level, None if p is None else (p.x, p.y), space.name))
            capacity[space.id] = seats.get(space.id, 0)
            spread[space.id] = {space.id: 1.0}
            floors[space.id] = floor
        total = sum(seats.values())
        spread[floor.id] = spread[floor.name] = {sid: n / total for sid, n in seats.items()} if total else {}
    places.sort(key=lambda p: (p.level, p.id))
    return PlaceIndex(building, tuple(places), capacity, spread, floors)
