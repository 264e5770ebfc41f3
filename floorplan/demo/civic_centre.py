"""The demo building: a 31-level civic tower modelled on the Bunkyo Civic Center (文京シビックセンター).

Public, with sources (`floorplan.demo.sources`, NOTES.md): 4 basements and 27 storeys above ground; a low-rise
lift bank for 2F-12F and a high-rise bank for 13F and up; the uses of B3 (subway connection), B2 (区民ひろば),
1F (entrance atrium, after-hours family-register desk), 2F (戸籍住民課 counters), 5F (ぴよぴよひろば), 6F-24F
(mainly ward offices), 9F (障害福祉課), 22F-24F (ward assembly), 25F (observation lounge, restaurant) and 26F
(Sky Hall).

Illustrative, chosen here because no source gives them: the 64 m x 32 m slab and every floor's plan, the
elevations, the positions of the lift banks and stairs (and which lobby floors they stop at), the uses of B4,
B1, 3F, 4F and 27F, where each use sits on its floor, the desk grid and the desk attributes. The building's
``metadata`` says the same: ``sources``, ``illustrative`` and ``not_modelled`` for the building, and ``floors``
(floor name -> ``public`` facts with sources, ``illustrative`` parts) for each floor's ``use``, which is kept
short ("ward offices", "Sky Hall").

Every floor has the same plan (metres, origin at the south-west corner, x east, y north)::

       0    8          24         40         56    64
   32  +----+----------+----------+----------+-----+
       | NW |    N1    |    N2    |    N3    | NE  |  north wing, 10 m deep
   22  +----+----------+----------+----------+-----+
       |    |  corridor ring, 2 m wide,      |     |
       | W  |  around the core zone          |  E  |  central band, 12 m deep
       |    |  (x 10-54, y 12-20)            |     |
   10  +----+----------+----------+----------+-----+
       | SW |    S1    |    S2    |    S3    | SE  |  south wing, 10 m deep
    0  +----+----------+----------+----------+-----+

On an office floor N1-N3 and S1-S3 are offices with 20 desks each, W and E meeting rooms beside the stairs,
the corners archives and amenities. Other floors put their uses in the same bays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from shapely import Polygon, box

from floorplan.demo.desk_grid import CorridorSide, desk_grid
from floorplan.demo.sources import building_metadata, floor_use
from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind
from floorplan.validation import check_building

Bounds = tuple[float, float, float, float]

BUILDING_ID = "bunkyo-civic-centre"
BUILDING_NAME = "文京シビックセンター (demo)"

#: IMDF ordinals: 1F is 0. Public: 4 basement storeys and 27 above ground (the penthouse is not modelled).
LOWEST_LEVEL = -4
TOP_LEVEL = 26
ALL_LEVELS = tuple(range(LOWEST_LEVEL, TOP_LEVEL + 1))

# Floor-to-floor heights, illustrative: a tall entrance floor, a counter floor, then typical office storeys.
BASEMENT_HEIGHT_M = 4.5  # car parks and plant rooms need headroom for ducts
LOBBY_HEIGHT_M = 6.0  # 1F: the entrance floor of a civic building
SECOND_FLOOR_HEIGHT_M = 5.0  # 2F: public counters under a higher ceiling
TYPICAL_HEIGHT_M = 4.2  # 3F and up: CTBUH's 3.9 m typical office storey plus a raised floor

# The slab: about 2,000 m², the floor plate of a tower of this height (illustrative).
SLAB_WIDTH_M = 64.0  # east-west
SLAB_DEPTH_M = 32.0  # north-south: two 10 m office wings either side of a 12 m central band
CORRIDOR_OUTER: Bounds = (8.0, 10.0, 56.0, 22.0)  # the corridor ring, 2 m wide around the core zone
CORE_ZONE: Bounds = (10.0, 12.0, 54.0, 20.0)

# The core zone, west to east. The two lift banks are 16 m apart, so a transfer on 1F is a real walk.
STAIR_WEST: Bounds = (10.0, 12.0, 15.0, 20.0)
BASEMENT_LIFT: Bounds = (15.0, 12.0, 19.0, 16.0)
ELECTRICAL_SHAFT: Bounds = (15.0, 16.0, 19.0, 20.0)
LOW_BANK: Bounds = (19.0, 12.0, 29.0, 20.0)  # room for five cars facing five (the split is not published)
PIPE_SHAFTS: Bounds = (29.0, 12.0, 35.0, 16.0)
TOILETS: Bounds = (29.0, 16.0, 35.0, 20.0)
HIGH_BANK: Bounds = (35.0, 12.0, 45.0, 20.0)
PANTRY: Bounds = (45.0, 12.0, 49.0, 16.0)
ACCESSIBLE_TOILET: Bounds = (45.0, 16.0, 49.0, 20.0)
STAIR_EAST: Bounds = (49.0, 12.0, 54.0, 20.0)

# Levels served. Public: low-rise bank 2F-12F, high-rise 13F and up; both must also stop at the lobby (1F) to
# be reachable at all. The top floor, 27F, is plant: no lift stops there.
LOW_BANK_LEVELS = tuple(range(0, 12))  # 1F-12F
HIGH_BANK_LEVELS = (0, *range(12, 26))  # 1F, 13F-26F
BASEMENT_LIFT_LEVELS = tuple(range(LOWEST_LEVEL, 1))  # B4-1F

# The perimeter of the slab in bays: the two wings in 8 m / 16 m bays, and the two ends of the central band.
NORTH_WING = ("NW", "N1", "N2", "N3", "NE")
SOUTH_WING = ("SW", "S1", "S2", "S3", "SE")
_BAY_X = (0.0, 8.0, 24.0, 40.0, 56.0, SLAB_WIDTH_M)
BAYS: dict[str, Bounds] = {
    **{bay: (_BAY_X[i], 22.0, _BAY_X[i + 1], SLAB_DEPTH_M) for i, bay in enumerate(NORTH_WING)},
    **{bay: (_BAY_X[i], 0.0, _BAY_X[i + 1], 10.0) for i, bay in enumerate(SOUTH_WING)},
    "W": (0.0, 10.0, 8.0, 22.0),
    "E": (56.0, 10.0, SLAB_WIDTH_M, 22.0),
}


class Room(NamedTuple):
    """A space of a floor's perimeter: the bays it covers (a run of one wing, or an end), its id suffix (the
    space id is ``<floor>-<suffix>``), kind and name."""

    bays: tuple[str, ...]
    suffix: str
    kind: SpaceKind
    name: str

    @classmethod
    def of(cls, bays: str, suffix: str, kind: SpaceKind, name: str) -> Room:
        """A room over the bays named in ``bays``, separated by spaces: ``Room.of("S1 S2", ...)``."""
        return cls(tuple(bays.split()), suffix, kind, name)


#: A room without its bays: (id suffix, kind, name).
Use = tuple[str, SpaceKind, str]


def demo_building() -> Building:
    """The demo building, built by code: the same every call, and valid (`check_building` has passed)."""
    building = Building(
        id=BUILDING_ID,
        name=BUILDING_NAME,
        floors=tuple(build_floor(level) for level in ALL_LEVELS),
        cores=demo_cores(),
        timezone="Asia/Tokyo",
        metadata=building_metadata([floor_name(level) for level in ALL_LEVELS]),
    )
    return check_building(building, source="floorplan.demo")


def floor_name(level: int) -> str:
    """``B4``..``B1`` below ground, ``1F``..``27F`` above; also the floor's id."""
    return f"B{-level}" if level < 0 else f"{level + 1}F"


def floor_height_m(level: int) -> float:
    if level < 0:
        return BASEMENT_HEIGHT_M
    if level == 0:
        return LOBBY_HEIGHT_M
    if level == 1:
        return SECOND_FLOOR_HEIGHT_M
    return TYPICAL_HEIGHT_M


def floor_elevation_m(level: int) -> float:
    """Elevation of the floor's slab above 1F: 1F 0.0 m, 2F 6.0 m, 3F 11.0 m, then 4.2 m a storey; B1 -4.5 m."""
    if level < 0:
        return round(level * BASEMENT_HEIGHT_M, 3)
    return round(sum((floor_height_m(lv) for lv in range(level)), 0.0), 3)


def slab_outline() -> Polygon:
    return box(0.0, 0.0, SLAB_WIDTH_M, SLAB_DEPTH_M)


def demo_cores() -> tuple[Core, ...]:
    """The lift banks and stairs staff use every day, with default timing (the figures are not published)."""
    return (
        Core("low", CoreKind.LIFT, LOW_BANK_LEVELS, box(*LOW_BANK), name="low-rise lifts (1F-12F)"),
        Core("high", CoreKind.LIFT, HIGH_BANK_LEVELS, box(*HIGH_BANK), name="high-rise lifts (1F, 13F-26F)"),
        Core("basement", CoreKind.LIFT, BASEMENT_LIFT_LEVELS, box(*BASEMENT_LIFT), name="basement lift (B4-1F)"),
        Core("stair-west", CoreKind.STAIR, ALL_LEVELS, box(*STAIR_WEST), name="west stair (B4-27F)"),
        Core("stair-east", CoreKind.STAIR, ALL_LEVELS, box(*STAIR_EAST), name="east stair (B4-27F)"),
    )


def build_floor(level: int) -> Floor:
    """One floor: the core zone, the corridor ring and the rooms of its program, with desks in its offices."""
    floor_id = floor_name(level)
    spaces = [*core_zone_spaces(floor_id, level), corridor_ring(floor_id)]
    desks: list[Desk] = []
    for room in floor_rooms(floor_id):
        space = Space(
            id=f"{floor_id}-{room.suffix}",
            floor_id=floor_id,
            kind=room.kind,
            geometry=box(*bays_bounds(room.bays)),
            name=room.name,
        )
        spaces.append(space)
        if room.kind == SpaceKind.OFFICE:
            desks += desk_grid(space, corridor_side=corridor_side(room.bays))
    return Floor(
        id=floor_id,
        level=level,
        name=floor_id,
        elevation_m=floor_elevation_m(level),
        height_m=floor_height_m(level),
        outline=slab_outline(),
        spaces=tuple(spaces),
        desks=tuple(desks),
        use=floor_use(floor_id),
    )


def core_zone_spaces(floor_id: str, level: int) -> list[Space]:
    """The core zone of one floor, west to east: stairs, lift lobbies (or shafts where a bank does not stop),
    shafts, toilets and a pantry. Space ids are the same on every floor; names say what is there."""

    def part(suffix: str, kind: SpaceKind, name: str, bounds: Bounds) -> Space:
        return Space(id=f"{floor_id}-{suffix}", floor_id=floor_id, kind=kind, geometry=box(*bounds), name=name)

    def lift_bank(suffix: str, name: str, bounds: Bounds, levels: Sequence[int]) -> Space:
        if level in levels:
            return part(suffix, SpaceKind.CORE, f"{name}, lift lobby", bounds)
        if min(levels) < level < max(levels):
            return part(suffix, SpaceKind.PLANT, f"{name}, shafts (no stop here)", bounds)
        return part(suffix, SpaceKind.PLANT, f"plant room (the {name} do not reach this floor)", bounds)

    return [
        part("STAIR-W", SpaceKind.CORE, "west stair", STAIR_WEST),
        lift_bank("LIFT-B", "basement lift", BASEMENT_LIFT, BASEMENT_LIFT_LEVELS),
        part("EPS", SpaceKind.PLANT, "electrical shaft", ELECTRICAL_SHAFT),
        lift_bank("LIFT-LOW", "low-rise lifts", LOW_BANK, LOW_BANK_LEVELS),
        part("PS", SpaceKind.PLANT, "pipe and duct shafts", PIPE_SHAFTS),
        part("WC", SpaceKind.AMENITY, "toilets", TOILETS),
        lift_bank("LIFT-HIGH", "high-rise lifts", HIGH_BANK, HIGH_BANK_LEVELS),
        part("PANTRY", SpaceKind.AMENITY, "pantry (給湯室)", PANTRY),
        part("WC-A", SpaceKind.AMENITY, "accessible toilet", ACCESSIBLE_TOILET),
        part("STAIR-E", SpaceKind.CORE, "east stair", STAIR_EAST),
    ]


def corridor_ring(floor_id: str) -> Space:
    """The 2 m corridor around the core zone: a polygon with the core zone as its hole."""
    ring = Polygon(box(*CORRIDOR_OUTER).exterior.coords, [box(*CORE_ZONE).exterior.coords])
    return Space(
        id=f"{floor_id}-CORRIDOR", floor_id=floor_id, kind=SpaceKind.CIRCULATION, geometry=ring, name="corridor"
    )


def bays_bounds(bays: Sequence[str]) -> Bounds:
    """The rectangle a run of adjacent bays covers."""
    parts = [BAYS[bay] for bay in bays]
    return (min(b[0] for b in parts), min(b[1] for b in parts), max(b[2] for b in parts), max(b[3] for b in parts))


def corridor_side(bays: Sequence[str]) -> CorridorSide:
    """The edge of a wing room that faces the core: south for the north wing, north for the south wing."""
    return "south" if bays[0] in NORTH_WING else "north"


def office_floor_rooms() -> list[Room]:
    """The typical office floor (6F-21F): six offices, two meeting rooms by the stairs, archives, amenities."""
    return [
        Room.of("NW", "ST1", SpaceKind.STORAGE, "archive (書庫)"),
        *(Room.of(bay, bay, SpaceKind.OFFICE, f"office {bay}") for bay in ("N1", "N2", "N3")),
        Room.of("NE", "AM1", SpaceKind.AMENITY, "lockers and refresh area"),
        Room.of("W", "M1", SpaceKind.MEETING, "meeting room, west"),
        Room.of("E", "M2", SpaceKind.MEETING, "meeting room, east"),
        Room.of("SW", "ST2", SpaceKind.STORAGE, "archive (書庫)"),
        *(Room.of(bay, bay, SpaceKind.OFFICE, f"office {bay}") for bay in ("S1", "S2", "S3")),
        Room.of("SE", "AM2", SpaceKind.AMENITY, "copy and print room"),
    ]


def with_rooms(base: Sequence[Room], *rooms: Room) -> list[Room]:
    """``base`` with ``rooms`` put in, each replacing the rooms of ``base`` on any of its bays."""
    taken = {bay for room in rooms for bay in room.bays}
    return [room for room in base if taken.isdisjoint(room.bays)] + list(rooms)


def public_floor_rooms(*, north: Use, south: Use, west: Use, east: Use) -> list[Room]:
    """A floor of four rooms, each wing whole and the two ends: the public, basement and plant floors."""
    return [Room(NORTH_WING, *north), Room(SOUTH_WING, *south), Room(("W",), *west), Room(("E",), *east)]


def floor_rooms(name: str) -> list[Room]:
    """The perimeter rooms of the floor ``name``; uses follow the public sources where there is one (NOTES.md)."""
    office = office_floor_rooms()
    public, plant, other = SpaceKind.PUBLIC, SpaceKind.PLANT, SpaceKind.OTHER
    storage, amenity, meeting = SpaceKind.STORAGE, SpaceKind.AMENITY, SpaceKind.MEETING
    counter = SpaceKind.COUNTER
    match name:
        case "B4":
            return public_floor_rooms(
                north=("PARK-N", other, "parking"),
                south=("PARK-S", other, "parking"),
                west=("PLANT-W", plant, "plant room"),
                east=("PLANT-E", plant, "plant room"),
            )
        case "B3":
            return public_floor_rooms(
                north=("PARK", other, "parking"),
                south=("SUBWAY", public, "subway connection (地下鉄連絡通路)"),
                west=("PLANT-W", plant, "plant room"),
                east=("PLANT-E", plant, "plant room"),
            )
        case "B2":
            return public_floor_rooms(
                north=("ST1", storage, "storage"),
                south=("HIROBA", public, "区民ひろば (event plaza)"),
                west=("WC2", amenity, "toilets for the plaza"),
                east=("ST2", storage, "plaza storage"),
            )
        case "B1":
            return public_floor_rooms(
                north=("PLANT-N", plant, "electrical and mechanical plant"),
                south=("ST1", storage, "storage (倉庫)"),
                west=("ST2", storage, "storage"),
                east=("PLANT-E", plant, "tank room"),
            )
        case "1F":
            return with_rooms(
                office,
                Room.of("SW S1 S2 S3 SE", "ATRIUM", public, "entrance atrium (open to 3F)"),
                Room.of("N1 N2 N3", "LOBBY", public, "north lobby"),
                Room.of("W", "C1", counter, "after-hours desk (休日・夜間受付)"),
                Room.of("E", "INFO", public, "information desk"),
                Room.of("NW", "SEC", other, "security (防災センター)"),
                Room.of("NE", "ST1", storage, "loading bay and storage"),
            )
        case "2F":
            return with_rooms(
                office,
                Room.of("S1", "C1", counter, "戸籍住民課 counters: moving in and out (転入・転出)"),
                Room.of("S2", "VOID", other, "atrium void (open from 1F)"),
                Room.of("S3", "C2", counter, "戸籍住民課 counters: certificates and family register"),
                Room.of("W", "WAIT", public, "waiting area"),
                Room.of("E", "M1", meeting, "consultation rooms (相談室)"),
            )
        case "3F":
            return with_rooms(
                office,
                Room.of("S1", "C1", counter, "counters"),
                Room.of("S2", "VOID", other, "atrium void (open from 1F)"),
                Room.of("S3", "C2", counter, "counters"),
            )
        case "4F":
            return with_rooms(office, Room.of("S2", "C1", counter, "counters"))
        case "5F":
            return with_rooms(
                office,
                Room.of("SW S1 S2", "PIYO", public, "ぴよぴよひろば (子ども家庭支援センター)"),
                Room.of("SE", "AM2", amenity, "nursing room (授乳室)"),
            )
        case "22F":
            return with_rooms(
                office,
                Room.of("N1 N2 N3", "CHAMBER", other, "assembly chamber (議場)"),
                Room.of("S1 S2 S3", "SECRETARIAT", other, "assembly secretariat (議会事務局)"),
            )
        case "23F":
            return with_rooms(
                office,
                Room.of("N1 N2 N3", "GALLERY", other, "public gallery (傍聴席) over the chamber"),
                Room.of("S1 S2 S3", "MEMBERS", other, "members' rooms (会派控室)"),
            )
        case "24F":
            bays = ("N1", "N2", "N3", "S1", "S2", "S3")
            return with_rooms(
                office, *(Room.of(bay, f"CR{i}", meeting, f"committee room {i}") for i, bay in enumerate(bays, 1))
            )
        case "25F":
            return public_floor_rooms(
                north=("RESTAURANT", public, "restaurant"),
                south=("LOUNGE", public, "observation lounge (展望ラウンジ)"),
                west=("KITCHEN", amenity, "restaurant kitchen"),
                east=("VIEW-E", public, "observation corner, east"),
            )
        case "26F":
            return public_floor_rooms(
                north=("HALL", public, "Sky Hall (スカイホール)"),
                south=("FOYER", public, "Sky Hall foyer"),
                west=("ST1", storage, "hall storage"),
                east=("GREEN", amenity, "green room"),
            )
        case "27F":
            return public_floor_rooms(
                north=("PLANT-N", plant, "machine room"),
                south=("PLANT-S", plant, "machine room"),
                west=("PLANT-W", plant, "plant room"),
                east=("PLANT-E", plant, "plant room"),
            )
    return office
