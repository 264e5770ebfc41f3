"""The building model: floors, spaces, desks and vertical circulation cores.

Everything here is immutable. Geometry is shapely, in metres in a local plane (x east, y north). Floors are
identified by an integer *level* as in IMDF: the entrance floor is 0, adjacent floors differ by 1, basements are
negative. Readers build these objects and validate them (`floorplan.validation`); nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

from shapely import LineString, Point, Polygon

from floorplan.errors import UnknownPlace

#: A desk or space attribute: ``monitor: 2``, ``standing: true``, ``note: "window"``.
AttributeValue = str | int | float | bool


class SpaceKind(StrEnum):
    """What a space is used for. Only office spaces hold desks that units occupy."""

    OFFICE = "office"
    MEETING = "meeting"
    COUNTER = "counter"
    STORAGE = "storage"
    CIRCULATION = "circulation"
    CORE = "core"
    AMENITY = "amenity"
    PUBLIC = "public"
    PLANT = "plant"
    OTHER = "other"


class CoreKind(StrEnum):
    """Vertical circulation: how a traveller moves between levels."""

    LIFT = "lift"
    STAIR = "stair"
    ESCALATOR = "escalator"


@dataclass(frozen=True, slots=True)
class TravelDefaults:
    """Figures used where a building or a core does not give its own (DESIGN.md, "Defaults").

    | figure | default | source |
    | floor-to-floor height | 4.0 m | CTBUH height calculator: 3.9 m typical office floor |
    | walking speed | 1.3 m/s | 78 m/min, Japanese evacuation-verification rules for office occupants |
    | lift: average wait | 30 s | BCO 2014 / CIBSE Guide D office target (25-30 s) |
    | lift: doors and start per stop | 5.5 s | door open about 2 s, close about 3 s, start delay 0.5 s |
    | lift: rated speed | 2.5 m/s | rule of thumb: speed (m/s) = travel height (m) / 25 |
    | lift: acceleration | 1.0 m/s² | |
    | stairs | 20 s per floor up, 15 s down | about 12 m of stair path per 4 m floor at 0.6 / 0.8 m/s |
    | escalator | as stairs unless given | (floorwise's choice: riders walk on, so about a stair's time) |
    | walk on a floor known only from a floor guide | 25 m | |
    """

    floor_height_m: float = 4.0
    walking_speed_mps: float = 1.3
    walk_m: float = 25.0
    lift_wait_s: float = 30.0
    lift_door_s: float = 5.5
    lift_speed_mps: float = 2.5
    lift_accel_mps2: float = 1.0
    stair_up_s_per_floor: float = 20.0
    stair_down_s_per_floor: float = 15.0

    def core_timing(self) -> dict[str, float]:
        """Keyword arguments of `Core` for the timing a core does not give itself."""
        return {
            "wait_s": self.lift_wait_s,
            "door_s": self.lift_door_s,
            "speed_mps": self.lift_speed_mps,
            "accel_mps2": self.lift_accel_mps2,
            "up_s_per_floor": self.stair_up_s_per_floor,
            "down_s_per_floor": self.stair_down_s_per_floor,
        }


DEFAULTS = TravelDefaults()


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True)
class Desk:
    """A bookable desk: a point (or a small polygon) inside an office space."""

    id: str
    space_id: str
    geometry: Point | Polygon
    name: str = ""
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen_mapping(self.attributes))

    @property
    def position(self) -> Point:
        """The point a walk to this desk starts or ends at."""
        if isinstance(self.geometry, Point):
            return self.geometry
        return self.geometry.centroid


@dataclass(frozen=True, slots=True)
class Space:
    """A room or an area of a floor.

    ``geometry`` is None only for spaces an importer knew by name and area but could not place (a COBie row
    without usable coordinates); walks to such a space count as the floor's ``walk_m``. ``capacity`` is the
    number of seats; when None, it is the number of desks drawn in the space.
    """

    id: str
    floor_id: str
    kind: SpaceKind
    geometry: Polygon | None
    name: str = ""
    area_m2: float | None = None
    capacity: int | None = None
    zone: str = ""
    hourly: bool = False
    attributes: Mapping[str, AttributeValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen_mapping(self.attributes))
        if self.area_m2 is None and self.geometry is not None:
            object.__setattr__(self, "area_m2", float(self.geometry.area))

    @property
    def position(self) -> Point | None:
        """The point that stands for the space in walks: the centroid of its polygon."""
        return None if self.geometry is None else self.geometry.centroid


@dataclass(frozen=True, slots=True)
class Floor:
    """One level of the building.

    A *drawn* floor has an outline and spaces with polygons. A floor known only from a floor guide has neither:
    it is one place, with ``seats`` seats, and every walk on it counts ``walk_m`` metres.
    """

    id: str
    level: int
    name: str
    elevation_m: float
    height_m: float = DEFAULTS.floor_height_m
    outline: Polygon | None = None
    spaces: tuple[Space, ...] = ()
    desks: tuple[Desk, ...] = ()
    corridors: tuple[LineString, ...] = ()
    seats: int | None = None
    walk_m: float | None = None
    use: str = ""

    @property
    def is_drawn(self) -> bool:
        return self.outline is not None

    @property
    def seat_capacity(self) -> int:
        """Seats available to units on this floor: a stated ``seats`` wins, else the sum of `space_seat_counts`."""
        if self.seats is not None:
            return self.seats
        return sum(self.space_seat_counts().values())

    def space_seat_counts(self) -> dict[str, int]:
        """Seats of each space that has any: its ``capacity``, else the desks drawn in it (spaces in file order)."""
        desks_per_space: dict[str, int] = {}
        for desk in self.desks:
            desks_per_space[desk.space_id] = desks_per_space.get(desk.space_id, 0) + 1
        seats = {s.id: space_seats(s, desks_per_space.get(s.id, 0)) for s in self.spaces}
        return {sid: n for sid, n in seats.items() if n > 0}

    def space(self, space_id: str) -> Space:
        for s in self.spaces:
            if s.id == space_id:
                return s
        raise KeyError(space_id)


def space_seats(space: Space, desk_count: int) -> int:
    """A space's seats: its stated capacity, else the number of desks drawn in it."""
    return space.capacity if space.capacity is not None else desk_count


@dataclass(frozen=True, slots=True)
class Core:
    """A lift bank, a stair or an escalator, with the levels it serves and its own timing.

    ``footprint`` is its outline in plan (the same on every level it serves); walks to the core end at its
    centroid. Timing fields that a core does not use (stair timing on a lift) are kept but ignored.
    """

    id: str
    kind: CoreKind
    levels: tuple[int, ...]
    footprint: Polygon | None = None
    name: str = ""
    wait_s: float = DEFAULTS.lift_wait_s
    door_s: float = DEFAULTS.lift_door_s
    speed_mps: float = DEFAULTS.lift_speed_mps
    accel_mps2: float = DEFAULTS.lift_accel_mps2
    up_s_per_floor: float = DEFAULTS.stair_up_s_per_floor
    down_s_per_floor: float = DEFAULTS.stair_down_s_per_floor

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(sorted(set(self.levels))))

    def serves(self, level: int) -> bool:
        return level in self.levels

    @property
    def position(self) -> Point | None:
        return None if self.footprint is None else self.footprint.centroid


@dataclass(frozen=True)
class Building:
    """A building: its floors (sorted by level), its cores and the figures its travel times use."""

    id: str
    name: str
    floors: tuple[Floor, ...]
    cores: tuple[Core, ...] = ()
    defaults: TravelDefaults = DEFAULTS
    timezone: str = "Asia/Tokyo"
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "floors", tuple(sorted(self.floors, key=lambda f: f.level)))
        object.__setattr__(self, "metadata", _frozen_mapping(self.metadata))

    def floor(self, key: str | int) -> Floor:
        """The floor with this id, name or level (an int is a level); `UnknownPlace` (a KeyError) if none."""
        found = self._floor_keys.get(key)
        if found is None:
            raise UnknownPlace(str(key), choices=[f.name for f in self.floors])
        return found

    @cached_property
    def _floor_keys(self) -> dict[str | int, Floor]:
        keys: dict[str | int, Floor] = {}
        for f in reversed(self.floors):  # where a name is another floor's id, the first floor wins
            keys[f.level] = f
            keys[f.name] = f
        for f in reversed(self.floors):
            keys[f.id] = f
        return keys

    def floor_by_level(self, level: int) -> Floor:
        return self.floor(level)

    def spaces(self) -> Iterator[Space]:
        for f in self.floors:
            yield from f.spaces

    def desks(self) -> Iterator[Desk]:
        for f in self.floors:
            yield from f.desks

    def space(self, space_id: str) -> Space:
        for s in self.spaces():
            if s.id == space_id:
                return s
        raise KeyError(space_id)

    def floor_of_space(self, space_id: str) -> Floor:
        for f in self.floors:
            if any(s.id == space_id for s in f.spaces):
                return f
        raise KeyError(space_id)

    @property
    def walking_speed_mps(self) -> float:
        return self.defaults.walking_speed_mps

    def walk_m(self, floor: Floor) -> float:
        """The length of every walk on a floor known only from a floor guide."""
        return floor.walk_m if floor.walk_m is not None else self.defaults.walk_m
