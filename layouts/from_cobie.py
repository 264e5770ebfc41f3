"""A scenario from a COBie spreadsheet: the building, one unit per department zone, and today's layout.

COBie has no headcounts and no seats, so both come from floor area: each department zone's seats on a floor are
the net area of its spaces there (circulation, plant and shafts left out) divided by ``m2_per_seat``, rounded,
and at least one where the zone has any such area. The zone's spaces get those seats as their capacity (split in
proportion to area), so the building's floors hold exactly what today's layout uses. Zones whose area is mostly
circulation, plant or shafts ("Circulation", "Mechanical") are not departments and are left out. Units start
with ``fixed_share: 1`` (headcount = seats today) and no relations: the planner adds them.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import networkx as nx

from floorplan.circulation import Circulation
from floorplan.cobie import read_cobie
from floorplan.model import Building, Space, SpaceKind

#: Net office area per seat assumed when a COBie file gives none (a planner's rule of thumb; override it).
DEFAULT_M2_PER_SEAT = 10.0
_NOT_SEATS = {SpaceKind.CIRCULATION, SpaceKind.PLANT, SpaceKind.CORE}


def unit_id(zone: str) -> str:
    """A scenario-friendly id for a zone name: lower case, words joined by '-' ("Adult Medicine" -> adult-medicine)."""
    slug = re.sub(r"[^\w]+", "-", zone.strip().lower()).strip("-")
    return slug or "zone"


def scenario_from_cobie(
    path: str | Path, *, building_file: str, m2_per_seat: float = DEFAULT_M2_PER_SEAT
) -> tuple[Building, dict[str, Any], list[str]]:
    """The building (with seats from area), the scenario mapping naming ``building_file``, and notes."""
    if m2_per_seat <= 0:
        raise ValueError("m2_per_seat must be greater than 0")
    imported = read_cobie(path)
    building = imported.building
    notes = list(imported.notes)
    zones: dict[str, tuple[str, ...]] = dict(building.metadata.get("zones", {}))
    spaces = {s.id: s for s in building.spaces()}
    floor_of = {s.id: f for f in building.floors for s in f.spaces}

    units: list[dict[str, Any]] = []
    current: dict[str, dict[str, int]] = {}
    capacity: dict[str, int] = {}
    skipped: list[str] = []
    for zone, members in zones.items():
        usable = [spaces[sid] for sid in members if sid in spaces and spaces[sid].kind not in _NOT_SEATS]
        all_area = sum(spaces[sid].area_m2 or 0.0 for sid in members if sid in spaces)
        usable_area = sum(s.area_m2 or 0.0 for s in usable)
        if all_area == 0 or usable_area < all_area / 2:
            skipped.append(zone)
            continue
        by_floor: dict[str, list[Space]] = {}
        for s in usable:
            by_floor.setdefault(floor_of[s.id].id, []).append(s)
        seats_by_floor: dict[str, int] = {}
        for fid, members_on_floor in by_floor.items():
            area = sum(s.area_m2 or 0.0 for s in members_on_floor)
            seats = max(1, round(area / m2_per_seat)) if area > 0 else 0
            if seats:
                seats_by_floor[fid] = seats
                capacity.update(_share_out(members_on_floor, seats))
        if not seats_by_floor:
            skipped.append(zone)
            continue
        uid = unit_id(zone)
        total = sum(seats_by_floor.values())
        units.append({"id": uid, "name": zone, "headcount": total, "fixed_share": 1.0})
        current[uid] = {building.floor(fid).name: n for fid, n in seats_by_floor.items()}
    if skipped:
        notes.append(f"zones left out as not departments (mostly circulation, plant or shafts): {', '.join(skipped)}")
    if not units:
        notes.append("no department zones found: the scenario has no units; add them by hand")

    floors = []
    for floor in building.floors:
        new_spaces = tuple(replace(s, capacity=capacity[s.id]) if s.id in capacity else s for s in floor.spaces)
        used = sum(capacity.get(s.id, 0) for s in floor.spaces)
        # Floors known only as a list (no placed spaces) hold their seats as a stated figure.
        stated: int | None = None if floor.is_drawn else used
        floors.append(replace(floor, spaces=new_spaces, seats=stated))
    building = replace(building, floors=tuple(floors))
    notes += _unlinked_floors(building, current)

    scenario: dict[str, Any] = {
        "name": f"{building.name or Path(path).stem} (from COBie)",
        "building": building_file,
        "internal_trips_per_person": 5,
        "units": units,
        "relations": [],
        "layouts": {"current": current},
    }
    return building, scenario, notes


def _share_out(spaces: list[Space], seats: int) -> dict[str, int]:
    """Split ``seats`` over ``spaces`` in proportion to area, largest remainders first, so they add up exactly."""
    areas = [s.area_m2 or 0.0 for s in spaces]
    total = sum(areas)
    exact = [seats * a / total for a in areas]
    out = [math.floor(x) for x in exact]
    order = sorted(range(len(spaces)), key=lambda i: (-(exact[i] - out[i]), spaces[i].id))
    for i in order[: seats - sum(out)]:
        out[i] += 1
    return {s.id: n for s, n in zip(spaces, out, strict=True) if n > 0}


def _unlinked_floors(building: Building, current: dict[str, dict[str, int]]) -> list[str]:
    """A note for each floor in use that no chain of lifts and stairs links to the others."""
    used = sorted({building.floor(f).level for seats in current.values() for f in seats})
    if len(used) < 2:
        return []
    graph = Circulation(building).graph
    name = {f.level: f.name for f in building.floors}
    advice = "add a core to the building file before scoring layouts that use more than one floor"
    no_core = [name[lv] for lv in used if not any(node[1] == lv for node in graph)]
    if no_core:
        return [f"no lift or stair serves {', '.join(no_core)}: {advice}"]
    start = [node for node in graph if node[1] == used[0]]
    reach = set(start).union(*(nx.descendants(graph, n) for n in start))
    cut = [name[lv] for lv in used[1:] if not any(node[1] == lv for node in reach)]
    if cut:
        return [f"no chain of lifts and stairs links {name[used[0]]} with {', '.join(cut)}: {advice}"]
    return []
