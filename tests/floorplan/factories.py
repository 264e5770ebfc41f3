"""Small buildings for tests, with keyword defaults."""

from __future__ import annotations

from collections.abc import Sequence

from shapely import Point, box

from floorplan.model import Building, Core, CoreKind, Desk, Floor, Space, SpaceKind

Bounds = tuple[float, float, float, float]


def make_space(sid: str, floor_id: str, bounds: Bounds, *, kind: SpaceKind = SpaceKind.OFFICE, **kw: object) -> Space:
    return Space(id=sid, floor_id=floor_id, kind=kind, geometry=box(*bounds), **kw)  # type: ignore[arg-type]


def make_desk(did: str, space_id: str, x: float, y: float, **kw: object) -> Desk:
    return Desk(id=did, space_id=space_id, geometry=Point(x, y), **kw)  # type: ignore[arg-type]


def make_floor(
    level: int,
    *,
    name: str | None = None,
    elevation_m: float | None = None,
    outline: tuple[float, float, float, float] | None = (0, 0, 40, 20),
    spaces: Sequence[Space] = (),
    desks: Sequence[Desk] = (),
    **kw: object,
) -> Floor:
    name = name or (f"{level + 1}F" if level >= 0 else f"B{-level}")
    return Floor(
        id=name,
        level=level,
        name=name,
        elevation_m=4.0 * level if elevation_m is None else elevation_m,
        outline=None if outline is None else box(*outline),
        spaces=tuple(spaces),
        desks=tuple(desks),
        **kw,  # type: ignore[arg-type]
    )


def make_core(
    cid: str,
    kind: CoreKind | str,
    levels: Sequence[int],
    *,
    bounds: tuple[float, float, float, float] | None = None,
    **kw: object,
) -> Core:
    return Core(
        id=cid,
        kind=CoreKind(kind),
        levels=tuple(levels),
        footprint=None if bounds is None else box(*bounds),
        **kw,  # type: ignore[arg-type]
    )


def guide_building(levels: Sequence[int], cores: Sequence[Core], *, walk_m: float | None = None) -> Building:
    """A floor-guide building: floors 4 m apart (level 0 at 0 m), 100 seats each, no geometry."""
    floors = [make_floor(lv, outline=None, seats=100, walk_m=walk_m) for lv in levels]
    return Building(id="guide", name="Guide", floors=tuple(floors), cores=tuple(cores))
