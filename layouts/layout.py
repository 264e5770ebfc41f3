"""Layouts: where each unit's seats are, and how a layout's place names map onto the building.

A layout gives, for each leaf unit, seats per *place name*: a floor (its name or id) or a space id. The places
travel is measured between are the building's office spaces on drawn floors (and any other space a layout
names), and whole floors on floors known only from a floor guide. Seats given for a drawn floor are spread over
its office spaces in proportion to their seats (``capacity``, or the desks drawn in them), so a floor-level layout
scores as if its people sat evenly over the floor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from floorplan.circulation import Place, places_of
from floorplan.model import Building, Floor, Space, SpaceKind, space_seats


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
    """Index the places of ``building``: office spaces (plus ``extra_spaces``) on drawn floors, floor-guide floors."""
    wanted_extra = set(extra_spaces)
    desks_per_space: dict[str, int] = {}
    for desk in building.desks():
        desks_per_space[desk.space_id] = desks_per_space.get(desk.space_id, 0) + 1

    places: list[Place] = []
    capacity: dict[str, int] = {}
    spread: dict[str, dict[str, float]] = {}
    floors: dict[str, Floor] = {}
    office = {p.id: p for p in places_of(building)}
    for floor in building.floors:
        if not floor.is_drawn:
            place = office[floor.id]
            places.append(place)
            capacity[floor.id] = floor.seat_capacity
            spread[floor.id] = spread[floor.name] = {floor.id: 1.0}
            floors[floor.id] = floors[floor.name] = floor
            continue
        members: list[tuple[Space, int]] = []
        for space in floor.spaces:
            if space.kind != SpaceKind.OFFICE and space.id not in wanted_extra:
                continue
            seats = space_seats(space, desks_per_space.get(space.id, 0))
            p = space.position
            places.append(Place(space.id, floor.id, floor.level, None if p is None else (p.x, p.y), space.name))
            capacity[space.id] = seats
            spread[space.id] = {space.id: 1.0}
            floors[space.id] = floor
            if space.kind == SpaceKind.OFFICE:
                members.append((space, seats))
        total = sum(seats for _, seats in members)
        share = {s.id: seats / total for s, seats in members if seats > 0} if total > 0 else {}
        spread[floor.id] = spread[floor.name] = share
        floors[floor.id] = floors[floor.name] = floor
    places.sort(key=lambda p: (p.level, p.id))
    return PlaceIndex(building, tuple(places), capacity, spread, floors)
